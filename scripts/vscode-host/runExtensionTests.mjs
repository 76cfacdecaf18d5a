#!/usr/bin/env node
// Runs an extension's test suite inside the real VS Code extension host: the offline stand-in for
// @vscode/test-electron (which must download VS Code). code-server hosts the extension, chromium
// loads the workbench with a test payload in the URL, and the workbench reports back through the
// codeAutomationLog/codeAutomationExit hooks of VS Code's smoke-test driver.
//
//   node scripts/vscode-host/runExtensionTests.mjs --extension <absDir> --tests <abs out/test/suite/index.js>
//        [--workspace <dir>] [--timeout <ms>] [--user-data <dir>] [--no-host-compile-cache]
// --user-data keeps VS Code's user data (the extension's global storage) for a later run; --no-host-compile-cache
// leaves Node's compile cache to the extension (the benchmark measures cold and warm starts with them).
// This process's environment reaches the extension host (e.g. AWS_ENDPOINT_URL for tests).
// AWS_OPS_HOST_VERBOSE=1 also prints the workbench's own log and code-server's.
// Exit code: the suite's own (0 passed, 1 failed), 124 on timeout, 2 if the host could not run it.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { format, parseArgs } from 'node:util';
import { startCodeServer } from './codeServer.mjs';
import { launchBrowser } from './ui.mjs';

const USAGE =
  'usage: runExtensionTests.mjs --extension <absDir> --tests <absPath to out/test/suite/index.js> [--workspace dir] [--timeout ms] [--user-data dir] [--no-host-compile-cache]';
const VERBOSE = !!process.env.AWS_OPS_HOST_VERBOSE;

// The hook also carries the workbench's own log, at the same levels as the extension host's
// console; drop the workbench's known startup chatter and its offline errors (stack in workbench.js).
const WORKBENCH_NOISE = [
  /^(Resolving connection token|Resolved connection token|Creating a socket|Updating additional builtin extensions)/,
  /^\[(reconnection-grace-time|Service Worker|AgentHost|AccountPolicyGate)[\]:]/,
  /\/static\/out\/vs\/code\/browser\/workbench\/workbench\.js:/,
];
const isWorkbenchNoise = (line) => WORKBENCH_NOISE.some((re) => re.test(line));
const log = (msg) => process.stderr.write(`[vscode-host] ${msg}\n`);

function parseCli() {
  const { values } = parseArgs({
    options: {
      extension: { type: 'string' },
      tests: { type: 'string' },
      workspace: { type: 'string' },
      timeout: { type: 'string', default: '300000' },
      'user-data': { type: 'string' },
      'no-host-compile-cache': { type: 'boolean', default: false },
    },
  });
  const timeout = Number(values.timeout);
  for (const key of ['extension', 'tests']) {
    if (!values[key] || !isAbsolute(values[key]) || !existsSync(values[key])) {
      throw new Error(`--${key} must be an existing absolute path\n${USAGE}`);
    }
  }
  if (!Number.isFinite(timeout) || timeout <= 0) throw new Error(`--timeout must be a number of ms\n${USAGE}`);
  return { ...values, timeout };
}

async function main() {
  let opts;
  try {
    opts = parseCli();
  } catch (err) {
    log(err.message);
    return 2;
  }
  const started = Date.now();
  const cleanups = []; // undone in reverse order, also on SIGINT/SIGTERM
  let cleaning;
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const undo of cleanups.reverse()) await undo().catch((e) => log(`cleanup: ${e.message}`));
    })());
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
    process.on(sig, () => {
      log(`${sig}: stopping code-server and chromium`);
      cleanup().then(() => process.exit(code));
    });
  }

  try {
    let workspace = opts.workspace;
    if (!workspace) {
      workspace = mkdtempSync(join(tmpdir(), 'aws-ops-ws-'));
      cleanups.push(async () => rmSync(workspace, { recursive: true, force: true }));
    }
    const cs = await startCodeServer({ workspace, userDataDir: opts['user-data'], hostCompileCache: !opts['no-host-compile-cache'] });
    cleanups.push(cs.stop);
    // Playwright's own signal handlers would exit before code-server is stopped: we handle signals.
    const browser = await launchBrowser({ handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
    cleanups.push(browser.close);
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());

    let finish;
    const result = new Promise((resolve) => (finish = resolve));
    await page.exposeFunction('codeAutomationLog', (_type, args) => {
      // Mocha logs printf-style ('  %d passing (%s)', 3, '149ms'), forwarded unformatted.
      const line = Array.isArray(args) ? format(...args) : String(args);
      if (VERBOSE || !isWorkbenchNoise(line)) process.stdout.write(`${line}\n`);
    });
    await page.exposeFunction('codeAutomationExit', (code) => finish(typeof code === 'number' ? code : 1));
    page.on('crash', () => {
      log('the workbench page crashed');
      finish(2);
    });
    const timer = setTimeout(() => {
      log(`TIMEOUT: the suite did not finish within ${opts.timeout} ms (raise --timeout?)`);
      finish(124);
    }, opts.timeout);

    // vscode-remote URIs: the extension and the tests live on the code-server side.
    const remote = (p) => `vscode-remote://127.0.0.1:${cs.port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(opts.extension)],
      ['extensionTestsPath', remote(opts.tests)],
      ['skipWelcome', 'true'],
    ];
    const q = `folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(`${cs.url}/?${q}`);

    const code = await result;
    clearTimeout(timer);
    log(`suite exited with ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return code;
  } catch (err) {
    log(`could not run the suite: ${err.stack ?? err}`);
    return 2;
  } finally {
    await cleanup();
  }
}

main().then((code) => process.exit(code));
