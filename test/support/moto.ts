import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CallListener } from '../../src/core/session/callLog';
import { SessionPool } from '../../src/core/session/pool';

/** A real moto_server on a free 127.0.0.1 port, started in its own process group and reset between tests. */
export interface Moto {
  url: string;
  port: number;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startMoto(env: NodeJS.ProcessEnv = {}): Promise<Moto> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // moto logs every request to stderr. A file, not a pipe: a pipe fills (64 KB, ~600 requests) whenever this
  // process's event loop is blocked (a benchmark in spawnSync), and moto then stops answering mid-request.
  const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aws-ops-moto-')), 'stderr.log');
  const log = fs.openSync(logFile, 'w');
  const child = spawn(process.env.MOTO_SERVER ?? 'moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    detached: true,
    stdio: ['ignore', 'ignore', log],
    env: { ...process.env, ...env },
  });
  fs.closeSync(log);
  const stderr = () => tail(logFile, 4000);
  const removeLog = () => fs.rmSync(path.dirname(logFile), { recursive: true, force: true });
  try {
    await waitReady(url, child, stderr);
  } catch (error) {
    removeLog();
    throw error;
  }
  return {
    url,
    port,
    reset: async () => {
      const response = await fetch(`${url}/moto-api/reset`, { method: 'POST' });
      if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`);
    },
    stop: () => stopGroup(child).finally(removeLog),
  };
}

async function waitReady(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}): ${stderr()}`);
    try {
      if ((await fetch(`${url}/moto-api/`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stopGroup(child);
  throw new Error(`moto_server did not answer on ${url} within 30 s: ${stderr()}`);
}

/** The last `chars` characters of a file ('' when it is gone). */
function tail(file: string, chars: number): string {
  try {
    return fs.readFileSync(file, 'utf8').slice(-chars);
  } catch {
    return '';
  }
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      // already gone
    }
  }, 5000);
  await exited;
  clearTimeout(timer);
}

/** Static dummy credentials moto accepts; tests never touch the user's ~/.aws. */
export const MOTO_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' } as const;

/** A session pool that signs with MOTO_CREDENTIALS whatever the profile. */
export function motoPool(onCall: CallListener = () => undefined): SessionPool {
  return new SessionPool(onCall, () => ({ override: async () => MOTO_CREDENTIALS }));
}
