// What triage.mjs and perf.mjs share: the command line and Chromium's start.
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
