#!/usr/bin/env node
// The triage page end to end in headless Chromium: one ticket through the whole SLRT flow,
// each step done by the role that may do it, through the page only (clicks and selects on
// data-test elements, never the API directly). See tests/browser/README.md.
//
//   node triage.mjs --base-url https://127.0.0.1:8443 --username fasil --password pw \
//     --code ADU-7K3M9Q --supervisor spv:pw --frontoffice fo:pw --backoffice bo:pw \
//     [--programmes pkh,pbi_jk] [--closer facilitator|backoffice] [--note TEXT] \
//     [--message TEXT] \
//     [--chromium /usr/bin/chromium] [--artifacts DIR] [--timeout-ms 15000]
//
// Exits 0 and prints one JSON line on success; on failure prints the reason to stderr, saves
// a screenshot of the page in --artifacts and exits 1 (2 for bad arguments).
import { commandLine, fail, launch, phoneContext, reportFailure, until as waitFor } from './common.mjs';

const { values: opt, fail: usage } = commandLine('triage.mjs',
  '--base-url URL --username U --password P --code CODE --supervisor U:P --frontoffice U:P ' +
  '--backoffice U:P [--programmes a,b] [--closer facilitator|backoffice] [--note TEXT] ' +
  '[--message TEXT] ' +
  '[--chromium PATH] [--artifacts DIR] [--timeout-ms N]', {
    code: { type: 'string' },
    supervisor: { type: 'string' },
    frontoffice: { type: 'string' },
    backoffice: { type: 'string' },
    programmes: { type: 'string' },
    closer: { type: 'string', default: 'facilitator' },
    note: { type: 'string' },
    message: { type: 'string' },
    artifacts: { type: 'string', default: '.' },
    'timeout-ms': { type: 'string', default: '15000' },
  }, (v) => {
    const missing = ['username', 'password', 'code', 'supervisor', 'frontoffice', 'backoffice'].find((k) => !v[k]);
    if (missing) return `--${missing} is required`;
    if (!['facilitator', 'backoffice'].includes(v.closer)) return '--closer is facilitator or backoffice';
    return null;
  });
function credentials(flag) {
  const i = opt[flag].indexOf(':');
  if (i <= 0) usage('--' + flag + ' takes USER:PASSWORD');
  return { username: opt[flag].slice(0, i), password: opt[flag].slice(i + 1) };
}
const base = new URL(opt['base-url']);
const timeout = Number(opt['timeout-ms']);
const code = opt.code;
const people = {
  facilitator: { username: opt.username, password: opt.password },
  supervisor: credentials('supervisor'),
  frontoffice: credentials('frontoffice'),
  backoffice: credentials('backoffice'),
};
const wanted = opt.programmes ? opt.programmes.split(',').filter(Boolean) : null;
if (wanted && wanted.length !== 2) usage('--programmes names exactly two programme ids');

const started = Date.now();
const steps = [];
const foreign = [];  // requests to any other origin: the page must make none
let current = null;  // the page of the step running, for the failure screenshot
let browser = null;

const until = (page, what, all) => waitFor(page, what, all, timeout);
const statusIs = (st) => `[data-test=ticket-status][data-status=${st}]`;
const referral = (p, st) => `[data-test=referral][data-programme="${p}"][data-status=${st}]`;

async function session(who, work) {
  const context = await phoneContext(browser, base, foreign);
  const page = await context.newPage();
  current = page;
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.setDefaultTimeout(timeout);
  // On failure the page stays open for the screenshot.
  {
    await page.goto(new URL('/ui/', base).href);
    // What the page asks of the API: once per view, also right after the login and when the
    // page is reopened (then boot.js asks for /me and the queue's first page before app.js has
    // arrived, and app.js takes those answers instead of asking again).
    let asked = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname.startsWith('/api/v1/')) asked.push(url.pathname);
    });
    const askedOnce = (when, paths) => {
      for (const path of paths) {
        const n = asked.filter((x) => x === path).length;
        if (n !== 1) fail(`${when} as ${who}: ${path} asked ${n} times (${asked.join(', ')})`);
      }
      asked = [];
    };
    await page.fill('[data-test=login-username]', people[who].username);
    await page.fill('[data-test=login-password]', people[who].password);
    await page.click('[data-test=login-submit]');
    await until(page, `login as ${who}`, ['[data-test=who]', '[data-test=queue-list][data-loaded]']);
    askedOnce('logging in', ['/api/v1/session', '/api/v1/tickets']);
    await page.reload();
    await until(page, `reopen as ${who}`, ['[data-test=who]', '[data-test=queue-list][data-loaded]']);
    askedOnce('reopening', ['/api/v1/me', '/api/v1/tickets']);
    await work(page);
    await page.click('[data-test=logout]');
    await until(page, `logout of ${who}`, '[data-test=login-username]');
    if (errors.length) fail(`script errors in the page as ${who}: ${errors.join('; ')}`);
  }
  await context.close();
}

// Finds the ticket in a queue tab (paging with "more"); false when it is not listed there.
async function findInQueue(page, tab) {
  await page.click(`[data-test=tab-${tab}]`);
  await until(page, `queue tab ${tab}`, [`[data-test=tab-${tab}][aria-current]`, '[data-test=queue-list][data-loaded]']);
  const row = page.locator(`[data-test=queue-row][data-code="${code}"]`);
  for (;;) {
    if (await row.count()) {
      await row.click();
      return true;
    }
    const more = page.locator('[data-test=queue-more]');
    if (!(await more.isVisible())) return false;
    await more.click();  // disabled until the page is in
    await until(page, 'next queue page', '[data-test=queue-more]:not([disabled])');
  }
}
// Opens the ticket: from the queue when it is listed in `tab`, else by its address (#/t/CODE,
// as a link shared with a colleague would). Answers the purpose question once per session.
async function openTicket(page, tab, mustBeListed) {
  let via = 'queue';
  if (!(await findInQueue(page, tab))) {
    if (mustBeListed) fail(`ticket ${code} is not in the "${tab}" queue`);
    via = 'link';
    await page.evaluate((c) => { location.hash = '#/t/' + encodeURIComponent(c); }, code);
  }
  const purpose = page.locator('[data-test=purpose-select]');
  await until(page, 'ticket or purpose', '[data-test=ticket-code], [data-test=purpose-select]');
  if (await purpose.count()) {
    await purpose.selectOption('tindak_lanjut');
    await page.click('[data-test=purpose-submit]');
  }
  await until(page, `open ${code}`, `[data-test=ticket-code][data-code="${code}"]`);
  return via;
}
// Types --note into the note field, which goes with the next action.
async function writeNote(page) {
  if (opt.note) await page.fill('[data-test=note-input]', opt.note);
}
async function act(page, who, action, check) {
  const t0 = Date.now();
  const button = page.locator(`[data-test=action-${action}]`);
  if (!(await button.count())) fail(`${who}: no "${action}" button (allowed actions not offered)`);
  await writeNote(page);
  await button.first().click();
  await until(page, `${who} ${action}`, check);
  const status = await page.getAttribute('[data-test=ticket-status]', 'data-status');
  steps.push({ who, action, status, ms: Date.now() - t0 });
}

async function run() {
  browser = await launch(opt.chromium);
  const opened = {};
  let referred = [];
  let conversation = null;
  let historyEvents = 0;

  await session('facilitator', async (page) => {
    opened.facilitator = await openTicket(page, 'unclaimed', true);
    await act(page, 'facilitator', 'claim', '[data-test=ticket-mine]');
    await page.selectOption('[data-test=priority-select]', 'elderly');
    await act(page, 'facilitator', 'prioritize', '[data-test=priority]');
    await act(page, 'facilitator', 'verify', statusIs('verified'));
    if (opt.message) {
      // A message to the citizen from the ticket view: the page says it went.
      const t0 = Date.now();
      await page.fill('[data-test=message-input]', opt.message);
      await page.click('[data-test=action-message]');
      await until(page, 'facilitator message', '[data-test=message-input][data-sent="1"]');
      const status = await page.getAttribute('[data-test=ticket-status]', 'data-status');
      steps.push({ who: 'facilitator', action: 'message', status, ms: Date.now() - t0 });
    }
  });
  await session('supervisor', async (page) => {
    opened.supervisor = await openTicket(page, 'all', false);
    await act(page, 'supervisor', 'forward', statusIs('forwarded'));
  });
  await session('frontoffice', async (page) => {
    opened.frontoffice = await openTicket(page, 'all', false);
    await act(page, 'frontoffice', 'review', statusIs('reviewed'));
  });
  await session('backoffice', async (page) => {
    opened.backoffice = await openTicket(page, 'all', false);
    const boxes = page.locator('[data-test=refer-programme]');
    referred = wanted || (await boxes.evaluateAll((els) => els.slice(0, 2).map((e) => e.dataset.programme)));
    if (referred.length !== 2) fail(`backoffice: fewer than two programmes offered (${referred.join(',')})`);
    for (const p of referred) {
      const box = page.locator(`[data-test=refer-programme][data-programme="${p}"]`);
      if (!(await box.count())) fail(`backoffice: programme ${p} is not offered`);
      await box.check();
    }
    await act(page, 'backoffice', 'refer', [statusIs('referred'), ...referred.map((p) => referral(p, 'pending'))]);
    for (const p of referred) {
      const row = page.locator(`[data-test=referral][data-programme="${p}"]`);
      await row.locator('[data-test=answer-select]').selectOption('accepted');
      await writeNote(page);
      const t0 = Date.now();
      await row.locator('[data-test=action-answer]').click();
      await until(page, `backoffice answer ${p}`, referral(p, 'accepted'));
      steps.push({ who: 'backoffice', action: 'answer', programme: p, answer: 'accepted', status: 'referred', ms: Date.now() - t0 });
    }
    await act(page, 'backoffice', 'resolve', statusIs('resolved'));
    if (opt.closer === 'backoffice') await closeTicket(page, 'backoffice');
  });
  if (opt.closer === 'facilitator') {
    await session('facilitator', async (page) => {
      opened.closer = await openTicket(page, 'mine', false);
      await closeTicket(page, 'facilitator');
    });
  }
  // What the citizen was told: the conversation view after the close.
  await session('backoffice', async (page) => {
    await openTicket(page, 'all', false);
    await page.click('[data-test=history-toggle]');
    await until(page, 'history', '[data-test=history-item]');
    historyEvents = await page.locator('[data-test=history-item]').count();
    await page.click('[data-test=conversation-toggle]');
    await until(page, 'conversation', '[data-test=conversation] ol, [data-test=conversation] p.muted');
    conversation = {
      in: await page.locator('[data-test=conversation-message][data-direction=in]').count(),
      out: await page.locator('[data-test=conversation-message][data-direction=out]').count(),
    };
  });
  if (foreign.length) fail(`requests to other origins: ${[...new Set(foreign)].join(', ')}`);
  return { ok: true, code, opened, referred, steps, history_events: historyEvents, conversation, ms: Date.now() - started };
}
async function closeTicket(page, who) {
  await page.selectOption('[data-test=close-reason]', 'solved');
  await act(page, who, 'close', statusIs('closed'));
}

try {
  const result = await run();
  console.log(JSON.stringify(result));
  await browser.close();
} catch (e) {
  await reportFailure('triage', '', e, current, opt.artifacts, browser);
  console.error('triage.mjs: steps done: ' + JSON.stringify(steps));
}
