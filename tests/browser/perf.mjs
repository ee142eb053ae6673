#!/usr/bin/env node
// First load of the triage page on a throttled phone profile, in headless Chromium.
//
//   node perf.mjs --base-url https://127.0.0.1:8443 [--username U --password P] [--runs 5]
//     [--chromium /usr/bin/chromium]
//
// Network (CDP Network.emulateNetworkConditions): 750 kbit/s down, 250 kbit/s up, 100 ms
// latency - the numbers of Chrome DevTools' old "Regular 3G" preset, applied as CDP applies
// them (per request latency, no packet-level model). CPU (Emulation.setCPUThrottlingRate, --cpu-slowdown): 4x
// slower. Each run is a fresh browser context: empty cache, new TLS connection.
// Without credentials the page stops at the login form ("view" = login shown); with them a
// session is fetched once from POST /api/v1/session and its token and role put in
// sessionStorage before the page loads, as after a login (an officer reloading the page), so
// "view" = the queue's first page shown.
// Prints one JSON line: the profile, each run and the median of each figure.
import https from 'node:https';
import { commandLine, launch } from './common.mjs';

const { values: opt } = commandLine('perf.mjs', '--base-url URL [--username U --password P] [--runs N] [--cpu-slowdown N] [--timeline] [--chromium PATH]',
  {
    runs: { type: 'string', default: '5' },
    'cpu-slowdown': { type: 'string', default: '4' },
    timeline: { type: 'boolean', default: false },
  },
  (v) => (Boolean(v.username) !== Boolean(v.password) ? '--username and --password go together' : null));
const base = new URL(opt['base-url']);
const profile = {
  name: 'DevTools Regular 3G numbers via CDP', down_kbps: 750, up_kbps: 250, rtt_ms: 100,
  cpu_slowdown: Number(opt['cpu-slowdown']),
};

// The session of the logged-in runs (token and role, as the page keeps them after its login
// form), fetched outside the browser (self-signed certificate).
function login() {
  const body = JSON.stringify({ username: opt.username, password: opt.password });
  return new Promise((resolve, reject) => {
    const req = https.request(new URL('/api/v1/session', base), {
      method: 'POST', rejectUnauthorized: false,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      let data = '';
      res.on('data', (c) => { data += c; });
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(data))
        : reject(new Error(`login: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function run(browser, session) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 360, height: 740 } });
  if (session) {
    await context.addInitScript((s) => {
      sessionStorage.setItem('sp_token', s.token);
      sessionStorage.setItem('sp_role', s.user.role);
    }, session);
  }
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: profile.rtt_ms,
    downloadThroughput: (profile.down_kbps * 1000) / 8, uploadThroughput: (profile.up_kbps * 1000) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu_slowdown });
  let bytes = 0;
  let requests = 0;
  const foreign = new Set();
  cdp.on('Network.requestWillBeSent', (e) => {
    requests++;
    if (!e.request.url.startsWith(base.origin)) foreign.add(new URL(e.request.url).origin);
  });
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  const mark = session ? 'sp:queue' : 'sp:login';
  await page.goto(new URL('/ui/', base).href, { waitUntil: 'load', timeout: 60000 });
  await page.waitForFunction((m) => performance.getEntriesByName(m).length, mark, { timeout: 60000 });
  const t = await page.evaluate(([m, timeline]) => {
    const nav = performance.getEntriesByType('navigation')[0];
    const out = {
      dcl_ms: Math.round(nav.domContentLoadedEventEnd),
      load_ms: Math.round(nav.loadEventEnd),
      view_ms: Math.round(performance.getEntriesByName(m)[0].startTime),
    };
    // --timeline: each request's start, first byte and end (ms from navigation start).
    if (timeline) {
      out.timeline = [nav, ...performance.getEntriesByType('resource')].map((e) => [
        new URL(e.name).pathname + new URL(e.name).search, Math.round(e.startTime),
        Math.round(e.responseStart), Math.round(e.responseEnd)]);
    }
    return out;
  }, [mark, opt.timeline]);
  await page.waitForTimeout(200);  // let the last loadingFinished events arrive
  await context.close();
  if (foreign.size) throw new Error('requests to other origins: ' + [...foreign].join(', '));
  return { ...t, bytes, requests };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const browser = await launch(opt.chromium);
try {
  const session = opt.username ? await login() : null;
  const runs = [];
  for (let i = 0; i < Number(opt.runs); i++) runs.push(await run(browser, session));
  const keys = ['dcl_ms', 'load_ms', 'view_ms', 'bytes', 'requests'];
  console.log(JSON.stringify({
    profile, logged_in: Boolean(session), view: session ? 'queue' : 'login', runs,
    median: Object.fromEntries(keys.map((k) => [k, median(runs.map((r) => r[k]))])),
  }));
} catch (e) {
  console.error('perf.mjs: FAILED: ' + (e.stack || e));
  process.exitCode = 1;
} finally {
  await browser.close();
}
