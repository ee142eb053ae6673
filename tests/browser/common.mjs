// What the scripts share: the command line, Chromium's start, a browser context that refuses
// other origins, and waiting for the page.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

// Parses --base-url, --username, --password, --chromium and the script's own `options`;
// prints `usage` and exits 2 on an unknown option or when `check` returns a message.
export function commandLine(name, usage, options, check) {
  const fail = (message) => {
    console.error(`${name}: ${message}\nusage: node ${name} ${usage}`);
    process.exit(2);
  };
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        'base-url': { type: 'string' },
        username: { type: 'string' },
        password: { type: 'string' },
        chromium: { type: 'string', default: '/usr/bin/chromium' },
        ...options,
      },
    }));
  } catch (e) {
    fail(e.message);
  }
  if (!values['base-url']) fail('--base-url is required');
  const problem = check(values);
  if (problem) fail(problem);
  return { values, fail };
}

// Headless Chromium from the system (Debian `chromium`); the gateway's certificate is
// self-signed in tests.
export function launch(executablePath) {
  return chromium.launch({
    executablePath, headless: true,
    args: ['--ignore-certificate-errors', '--no-first-run', '--disable-extensions'],
  });
}

// A failure the script explains itself (printed without a stack).
export class Failure extends Error {}
export const fail = (message) => { throw new Failure(message); };

// How a script ends on error `e`: exit code 1, the reason on stderr (after `where`, e.g. the
// step), a screenshot of `page` (when there is one) as <artifacts>/<name>-failure.png, the
// browser closed.
export async function reportFailure(name, where, e, page, artifacts, browser) {
  process.exitCode = 1;
  console.error(`${name}.mjs: FAILED${where}: ` + (e instanceof Failure ? e.message : e.stack || e));
  if (page) {
    try {
      mkdirSync(artifacts, { recursive: true });
      const shot = path.join(artifacts, name + '-failure.png');
      await page.screenshot({ path: shot, fullPage: true });
      console.error(`${name}.mjs: screenshot ` + shot);
    } catch (s) {
      console.error(`${name}.mjs: no screenshot: ` + s.message);
    }
  }
  if (browser) await browser.close().catch(() => {});
}

// Waits until every CSS selector of `all` matches in the page, or fails with the page's own
// error notice or after `timeout` ms. (Selectors, not functions: the page's CSP forbids eval.)
export async function until(page, what, all, timeout) {
  const outcome = await page.waitForFunction((sels) => {
    const notice = document.querySelector('.notice.error:not([hidden]), [data-test=view-error], [data-test=login-error]:not(:empty)');
    if (notice) return 'error: ' + notice.textContent;
    return sels.every((sel) => document.querySelector(sel)) ? 'ok' : null;
  }, [all].flat(), { timeout }).then((h) => h.jsonValue(), () => 'timeout');
  if (outcome !== 'ok') fail(`${what}: ${outcome}`);
}

// A phone-sized context whose requests to any origin but `base` are refused and noted in
// `foreign`.
export async function phoneContext(browser, base, foreign) {
  const context = await browser.newContext({
    ignoreHTTPSErrors: true, viewport: { width: 360, height: 740 }, locale: 'id-ID',
    serviceWorkers: 'block',
  });
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.origin === base.origin) return route.continue();
    foreign.push(url.origin);
    return route.abort();
  });
  return context;
}
