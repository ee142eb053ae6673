#!/usr/bin/env node
// The broadcasts page end to end in headless Chromium, through the page only (clicks and
// typing on data-test elements, never the API directly): the broadcaster composes a broadcast
// to the citizens with tickets in a region, first with a text the content check refuses (the
// page must explain the problem and count the SMS), then fixed, typed key by key (the check
// must wait for a pause), saves and previews; the manager opens it, approves it, follows the
// progress bar until everything is sent, lists the recipients and saves the report. See
// tests/browser/README.md.
//
//   node broadcast.mjs --base-url https://127.0.0.1:8443 --username wulan --password pw \
//     --manager hendra:pw --bad-text TEXT --text TEXT [--title T] [--region 32.06] \
//     [--chromium /usr/bin/chromium] [--artifacts DIR] [--timeout-ms 15000] [--send-timeout-ms 90000]
//
// Exits 0 and prints one JSON line on success; on failure prints the reason to stderr, saves
// a screenshot of the page in --artifacts and exits 1 (2 for bad arguments).
import { readFileSync } from 'node:fs';
import { commandLine, fail, launch, phoneContext, reportFailure, until as waitFor } from './common.mjs';

const { values: opt, fail: usage } = commandLine('broadcast.mjs',
  '--base-url URL --username U --password P --manager U:P --bad-text TEXT --text TEXT ' +
  '[--title T] [--region CODE] [--chromium PATH] [--artifacts DIR] [--timeout-ms N] [--send-timeout-ms N]', {
    manager: { type: 'string' },
    'bad-text': { type: 'string' },
    text: { type: 'string' },
    title: { type: 'string', default: 'Siaran uji' },
    region: { type: 'string', default: '32.06' },
    artifacts: { type: 'string', default: '.' },
    'timeout-ms': { type: 'string', default: '15000' },
    'send-timeout-ms': { type: 'string', default: '90000' },
  }, (v) => {
    const missing = ['username', 'password', 'manager', 'bad-text', 'text'].find((k) => !v[k]);
    if (missing) return `--${missing} is required`;
    if (v.manager.indexOf(':') <= 0) return '--manager takes USER:PASSWORD';
    return null;
  });
const base = new URL(opt['base-url']);
const timeout = Number(opt['timeout-ms']);
const sendTimeout = Number(opt['send-timeout-ms']);
const colon = opt.manager.indexOf(':');
const people = {
  broadcaster: { username: opt.username, password: opt.password },
  manager: { username: opt.manager.slice(0, colon), password: opt.manager.slice(colon + 1) },
};
if (!people.manager.password) usage('--manager takes USER:PASSWORD');

const started = Date.now();
const foreign = [];  // requests to any other origin: the page must make none
let current = null;  // the page of the step running, for the failure screenshot
let browser = null;
let step = 'start';
const until = (page, what, all, ms = timeout) => waitFor(page, what, all, ms);

// Logs `who` in, runs `work(page, asked)` and logs out; `asked` lists the API paths requested.
async function session(who, home, work) {
  step = `login as ${who}`;
  const context = await phoneContext(browser, base, foreign);
  const page = await context.newPage();
  current = page;
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.setDefaultTimeout(timeout);
  const asked = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/api/v1/')) asked.push(r.method() + ' ' + url.pathname + url.search);
  });
  await page.goto(new URL('/ui/', base).href);
  await page.fill('[data-test=login-username]', people[who].username);
  await page.fill('[data-test=login-password]', people[who].password);
  await page.click('[data-test=login-submit]');
  await until(page, step, ['[data-test=who]', home]);
  if (!(await page.locator('[data-test=nav-broadcasts]').count())) fail(`${who}: no "Siaran" in the menu`);
  const out = await work(page, asked);
  step = `logout of ${who}`;
  await page.click('[data-test=logout]');
  await until(page, step, '[data-test=login-username]');
  if (errors.length) fail(`script errors in the page as ${who}: ${errors.join('; ')}`);
  await context.close();
  return out;
}

// The check panel of the Indonesian text once the server has answered for `text`.
async function checkPanel(page) {
  const panel = page.locator('[data-test=bc-check-id]');
  const problems = await panel.locator('[data-test=bc-problem]').evaluateAll((els) =>
    els.map((e) => ({ kind: e.dataset.kind, text: e.textContent })));
  const segments = panel.locator('[data-test=bc-segments]');
  return {
    problems,
    segments: Number(await segments.getAttribute('data-segments')),
    ucs2: (await segments.getAttribute('data-ucs2')) === 'true',
    segments_text: await segments.textContent(),
    sample: await panel.locator('[data-test=bc-sample]').textContent(),
    ok: (await panel.locator('[data-test=bc-check-ok]').count()) === 1,
  };
}
const checks = (asked) => asked.filter((x) => x === 'POST /api/v1/broadcasts/check').length;

async function compose(page, asked) {
  step = 'broadcaster: new broadcast';
  await page.click('[data-test=bc-new]');
  await until(page, step, '[data-test=bc-form]');
  await page.fill('[data-test=bc-title]', opt.title);
  // The text with a link elsewhere than the official domains: the page says why, and counts.
  step = 'broadcaster: the refused text';
  await page.fill('[data-test=bc-text-id]', opt['bad-text']);
  await until(page, step, ['[data-test=bc-check-id] [data-test=bc-problem][data-kind=link_not_official]',
    '[data-test=bc-check-id] [data-test=bc-segments]']);
  const bad = await checkPanel(page);
  // Fixed, typed key by key: the check waits for a pause in the typing.
  step = 'broadcaster: the fixed text';
  const before = checks(asked);
  await page.fill('[data-test=bc-text-id]', '');
  await page.locator('[data-test=bc-text-id]').pressSequentially(opt.text, { delay: 5 });
  await until(page, step, '[data-test=bc-check-id] [data-test=bc-check-ok]');
  const good = await checkPanel(page);
  const typed = { keys: opt.text.length, checks: checks(asked) - before };
  if (good.problems.length) fail(`${step}: problems remain ${JSON.stringify(good.problems)}`);

  step = 'broadcaster: audience and window';
  await page.selectOption('[data-test=bc-source]', 'tickets');
  await page.fill('[data-test=bc-region]', opt.region);
  // The whole day, so that the test does not depend on the hour it runs at.
  await page.fill('[data-test=bc-window-start]', '00:00');
  await page.fill('[data-test=bc-window-end]', '24:00');
  step = 'broadcaster: save';
  await page.click('[data-test=bc-save]');
  await until(page, step, ['[data-test=bc-state][data-state=draft]', '[data-test=bc-preview]']);
  const id = await page.evaluate(() => location.hash.split('/')[2]);
  if (!/^\d+$/.test(id)) fail(`${step}: no broadcast id in the address (${id})`);

  step = 'broadcaster: preview';
  await page.click('[data-test=bc-preview]');
  await until(page, step, '[data-test=bc-preview-summary]');
  const summary = page.locator('[data-test=bc-preview-summary]');
  const preview = {
    households: Number(await summary.getAttribute('data-households')),
    reached: Number(await summary.getAttribute('data-reached')),
    blockers: await page.locator('[data-test=bc-blocker]').evaluateAll((els) => els.map((e) => e.dataset.kind)),
    channels: await page.locator('[data-test=bc-preview-channels] tbody tr').count(),
  };
  // The author is told who approves; there is no approve button for them.
  await until(page, 'broadcaster: approval box', '[data-test=bc-approval] [data-test=bc-waiting]');
  const authorCanApprove = (await page.locator('[data-test=bc-approve]').count()) > 0;
  return { id, bad, good, typed, preview, author_can_approve: authorCanApprove };
}

async function approveAndFollow(page, asked, id) {
  step = 'manager: open the broadcast';
  await page.click('[data-test=nav-broadcasts]');
  await until(page, step, `[data-test=bc-row][data-id="${id}"][data-state=draft]`);
  await page.click(`[data-test=bc-row][data-id="${id}"]`);
  await until(page, step, ['[data-test=bc-summary]', '[data-test=bc-preview-summary]', '[data-test=bc-approve]']);
  const text = await page.locator('[data-test=bc-summary-text]').textContent();
  if (await page.locator('[data-test=bc-accept-blockers]').count()) await page.check('[data-test=bc-accept-blockers]');
  step = 'manager: approve';
  await page.click('[data-test=bc-approve]');
  await until(page, step, '[data-test=bc-progress]');
  // Live: the page asks for the broadcast again while it runs, and the bar fills.
  step = 'manager: wait until everything is sent';
  const seen = new Set();
  const t0 = Date.now();
  for (;;) {
    const st = await page.getAttribute('[data-test=bc-progress]', 'data-state').catch(() => null);
    if (st) seen.add(st);
    if (st === 'done') break;
    if (Date.now() - t0 > sendTimeout) fail(`${step}: still ${st} after ${sendTimeout} ms`);
    await page.waitForTimeout(250);
  }
  const bar = page.locator('[data-test=bc-progress]');
  const progress = {};
  for (const k of ['households', 'reach', 'sent', 'delivered', 'failed', 'unknown', 'queued', 'planned', 'excluded', 'cancelled']) {
    progress[k] = Number(await bar.getAttribute('data-' + k));
  }
  progress.value = Number(await bar.getAttribute('value'));
  progress.max = Number(await bar.getAttribute('max'));
  progress.text = await page.locator('[data-test=bc-progress-text]').textContent();
  const polls = asked.filter((x) => x === 'GET /api/v1/broadcasts/' + id).length;

  step = 'manager: recipients';
  await page.click('[data-test=bc-recipients-show]');
  await until(page, step, '[data-test=bc-recipients][data-loaded]');
  const recipients = await page.locator('[data-test=bc-recipient]').evaluateAll((els) =>
    els.map((e) => ({ state: e.dataset.state, channel: e.dataset.channel, address: e.querySelector('.code').textContent })));

  step = 'manager: report';
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=bc-report]')]);
  const file = await download.path();
  const report = readFileSync(file, 'utf8').trim().split(/\r?\n/);
  return {
    summary_text: text, states_seen: [...seen], progress, polls, recipients,
    report: { file: download.suggestedFilename(), header: report[0], rows: report.length - 1 },
  };
}

async function run() {
  browser = await launch(opt.chromium);
  const composed = await session('broadcaster', '[data-test=bc-list]', compose);
  const approved = await session('manager', '[data-test=queue-list][data-loaded]',
    (page, asked) => approveAndFollow(page, asked, composed.id));
  if (foreign.length) fail(`requests to other origins: ${[...new Set(foreign)].join(', ')}`);
  return { ok: true, ...composed, approved_by: people.manager.username, ...approved, ms: Date.now() - started };
}

try {
  const result = await run();
  console.log(JSON.stringify(result));
  await browser.close();
} catch (e) {
  await reportFailure('broadcast', ' at ' + step, e, current, opt.artifacts, browser);
}
