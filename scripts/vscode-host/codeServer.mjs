// Starts and stops a throwaway code-server (real VS Code workbench + Node extension host) for tests.
// Everything it writes goes to one temp dir that stop() removes: user data, XDG config/data/cache
// (else code-server writes ~/.config/code-server/config.yaml etc.) and TMPDIR (VS Code's ipc/git
// sockets; the extension host inherits it, so the tests' temp files go there too).
//
//   const cs = await startCodeServer({ workspace, env: { AWS_ENDPOINT_URL } });  ...  await cs.stop();
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheDir, ensureHost } from './install.mjs';

const VERBOSE = !!process.env.AWS_OPS_HOST_VERBOSE; // echo code-server's own log to stderr

// Quiet defaults: no welcome page, no update/telemetry traffic, no chat/AI panel opening on start.
const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'chat.disableAIFeatures': true,
  'security.workspace.trust.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden', // the (empty) chat side bar
  'workbench.reduceMotion': 'on', // steadier UI tests and screenshots
};

/**
 * @param {object} opts
 * @param {string} opts.workspace folder to open
 * @param {string} [opts.extensionsDir] default: an empty temp dir
 * @param {Record<string, string>} [opts.env] added to this process's env for code-server and the extension host
 * @param {number} [opts.port] default: a free port on 127.0.0.1
 * @param {Record<string, unknown>} [opts.settings] user settings, over quiet defaults
 * @param {string} [opts.userDataDir] VS Code's user data (settings, global storage), kept after stop(); default: a temp dir
 * @param {boolean} [opts.hostCompileCache] give code-server and the extension host Node's compile cache in the
 *   test-host cache (default true); false: none, so an extension's own compile cache is what gets measured
 * @param {boolean} [opts.smokeTestDriver] VS Code's smoke-test driver (default true): needed for the
 *   extensionTestsPath payload, but it also suppresses notification toasts (they only reach the
 *   notification center); UI tests that look for toasts pass false.
 * @returns {Promise<{ url: string, port: number, stop: () => Promise<void>,
 *   setMachineSettings: (more: Record<string, unknown>) => void }>} setMachineSettings rewrites the machine
 *   settings as the start settings plus `more`
 */
export async function startCodeServer(opts) {
  // A port picked free can be taken before code-server binds it: then pick another.
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch({ ...opts, port: opts.port ?? (await freePort()) });
    } catch (err) {
      if (!(err.addressInUse && opts.port === undefined && attempt < 3)) throw err;
    }
  }
}

async function launch({ workspace, extensionsDir, env = {}, port, settings = {}, smokeTestDriver = true, userDataDir, hostCompileCache = true }) {
  const host = await ensureHost();
  const tmp = mkdtempSync(join(tmpdir(), 'aws-ops-cs-'));
  const dirs = { userData: userDataDir ?? join(tmp, 'user-data'), xdg: join(tmp, 'xdg'), tmp: join(tmp, 'tmp') };
  Object.values(dirs).forEach((d) => mkdirSync(d, { recursive: true }));
  extensionsDir ??= join(tmp, 'extensions');
  // The window is remote to the extension host, so machine-scoped settings are read from Machine/, the
  // rest from User/: write both, as a user who configured the server would have.
  const writeSettings = (scope, more = {}) => {
    mkdirSync(join(dirs.userData, scope), { recursive: true });
    writeFileSync(join(dirs.userData, scope, 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...settings, ...more }, null, 2));
  };
  writeSettings('User');
  writeSettings('Machine');
  const socketsBefore = strayFiles();

  const args = [
    host.codeServerEntry,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--user-data-dir', dirs.userData,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    // Without it the 4.139 workbench ignores the test payload (extensionTestsPath) in the URL.
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    workspace,
  ];
  const child = spawn(host.node, args, {
    env: hostEnv({ ...process.env, ...env }, dirs, hostCompileCache),
    detached: true, // own process group, so stop() can kill the extension host etc. along with it
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = [];
  const collect = (chunk) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
    if (VERBOSE) process.stderr.write(chunk);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise((resolve) => child.on('exit', resolve));

  // Last resort if our process exits without stop(): no async work is possible in 'exit'.
  const onExit = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    rmSync(tmp, { recursive: true, force: true });
  };
  process.on('exit', onExit);

  let stopped;
  const stop = () =>
    (stopped ??= (async () => {
      process.off('exit', onExit);
      await killGroup(child.pid, exited);
      rmSync(tmp, { recursive: true, force: true });
      // TMPDIR should catch VS Code's sockets; this catches any that ignored it.
      for (const f of strayFiles()) if (!socketsBefore.has(f)) rmSync(join(tmpdir(), f), { force: true });
    })());

  try {
    await waitForHealthz(port, exited, output, 30000);
  } catch (err) {
    await stop();
    throw Object.assign(new Error(`${err.message}\n--- code-server output ---\n${output.join('')}`), {
      addressInUse: err.addressInUse,
    });
  }
  // As the server's administrator would edit them: the running workbench picks the file change up.
  const setMachineSettings = (more) => writeSettings('Machine', more);
  return { url: `http://127.0.0.1:${port}`, port, stop, setMachineSettings };
}

/** Installs a .vsix into extensionsDir (a folder can't be installed this way; copy it instead). */
export async function installVsix(vsixPath, extensionsDir) {
  const host = await ensureHost();
  const tmp = mkdtempSync(join(tmpdir(), 'aws-ops-cs-install-'));
  try {
    const dirs = { xdg: join(tmp, 'xdg'), tmp: join(tmp, 'tmp') };
    Object.values(dirs).forEach((d) => mkdirSync(d, { recursive: true }));
    const args = [host.codeServerEntry, '--user-data-dir', join(tmp, 'user-data'), '--extensions-dir', extensionsDir,
      '--install-extension', vsixPath, '--force'];
    const child = spawn(host.node, args, { env: hostEnv(process.env, dirs), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    if (code !== 0) throw new Error(`installing ${vsixPath} failed (exit ${code}):\n${out}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function hostEnv(base, dirs, compileCache = true) {
  // Variables of an enclosing VS Code (e.g. run from its terminal) would confuse this one, and
  // VS Code puts ipc sockets in XDG_RUNTIME_DIR when set: without it they land in our TMPDIR.
  const dropped = (k) => k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE' || k === 'XDG_RUNTIME_DIR' || k === 'NODE_COMPILE_CACHE';
  return {
    ...Object.fromEntries(Object.entries(base).filter(([k]) => !dropped(k))),
    XDG_CONFIG_HOME: dirs.xdg,
    XDG_DATA_HOME: dirs.xdg, // else code-server logs to ~/.local/share/code-server
    XDG_CACHE_HOME: dirs.xdg, // else @vscode/deviceid writes ~/.cache/Microsoft
    TMPDIR: dirs.tmp,
    // code-server enables Node's compile cache (default $TMPDIR/node-compile-cache): keep it warm across runs.
    ...(compileCache ? { NODE_COMPILE_CACHE: join(cacheDir(), 'node-compile-cache') } : {}),
  };
}

function strayFiles() {
  return new Set(readdirSync(tmpdir()).filter((f) => /^vscode-(ipc|git)-.*\.sock$/.test(f)));
}

// One time-boxed GET without keep-alive (a fetch() socket would hold the event loop for seconds),
// since a port held by something else may accept and never answer.
function healthy(port) {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/healthz', agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer().once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealthz(port, exited, output, timeoutMs) {
  let exitCode;
  exited.then((code) => (exitCode = code ?? 'signal'));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // Checked first: startCodeServer retries on another port when it picked this one itself.
    if (output.some((chunk) => chunk.includes('EADDRINUSE'))) {
      throw Object.assign(new Error(`port ${port} is already in use`), { addressInUse: true });
    }
    if (exitCode !== undefined) throw new Error(`code-server exited early (${exitCode})`);
    if (await healthy(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`code-server did not answer /healthz on port ${port} within ${timeoutMs} ms`);
}

// SIGTERM the whole process group, SIGKILL whatever is left after 5 s.
async function killGroup(pgid, exited) {
  const alive = () => {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const waitGone = async (ms) => {
    for (const end = Date.now() + ms; Date.now() < end && alive(); ) await new Promise((r) => setTimeout(r, 50));
    return !alive();
  };
  const signal = (sig) => {
    try {
      process.kill(-pgid, sig);
    } catch {
      // the group is already gone
    }
  };
  signal('SIGTERM');
  if (await waitGone(5000)) return void (await exited);
  signal('SIGKILL');
  await waitGone(2000);
  await exited;
}
