/**
 * poll_calls_per_min_1000rt and poll_cpu_ms_per_min: what keeping the views true costs. The product runs in a
 * fresh real extension host (code-server) against moto's 1,000-route-table world through a counting proxy,
 * all three views visible, nothing changing; test/bench-suite/poll.ts measures, this scales to the default
 * interval. Needs dist/ and out/ built (bench.sh builds them).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SessionPool } from '../src/core/session/pool';
import { startFaultProxy } from '../test/support/faultProxy';
import { MOTO_CREDENTIALS, startMoto } from '../test/support/moto';
import type { BenchContext, BenchRow } from './run';
import { seedThousandTables, THOUSAND_TABLES } from './world1000';

const ROOT = path.resolve(__dirname, '..', '..');

interface PollMeasurement {
  idleCpuMs: number;
  idleSeconds: number;
  pollCpuMs: number;
  pollSeconds: number;
  pollIntervalSeconds: number;
  calls: Record<string, number>;
}

export async function rows(ctx: BenchContext): Promise<BenchRow[]> {
  const moto = await startMoto();
  const pool = new SessionPool(() => undefined, () => ({ override: async () => MOTO_CREDENTIALS }));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-ops-bench-poll-'));
  const proxy = await startFaultProxy({ target: moto.url });
  try {
    ctx.log(`seeding ${THOUSAND_TABLES.tables} route tables`);
    await seedThousandTables(pool.get({ region: 'us-east-1', endpointUrl: moto.url }));
    fs.writeFileSync(path.join(dir, 'config'), '[profile bench]\nregion = us-east-1\n');
    fs.writeFileSync(path.join(dir, 'credentials'), `[bench]\naws_access_key_id = ${MOTO_CREDENTIALS.accessKeyId}\naws_secret_access_key = ${MOTO_CREDENTIALS.secretAccessKey}\n`);
    const out = path.join(dir, 'poll.json');
    ctx.log('polling in a fresh extension host (about 2 minutes)');
    await runSuite({
      AWS_OPS_BENCH_OUT: out,
      AWS_OPS_BENCH_ENDPOINT: proxy.url,
      AWS_CONFIG_FILE: path.join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
    });
    return toRows(JSON.parse(fs.readFileSync(out, 'utf8')) as PollMeasurement, defaultInterval());
  } finally {
    pool.clear();
    await proxy.stop();
    await moto.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function toRows(m: PollMeasurement, intervalS: number): BenchRow[] {
  // One discovery per poll lists the route tables once: that counts the polls.
  const polls = m.calls.DescribeRouteTables ?? 0;
  if (polls === 0) throw new Error(`no poll ran: ${JSON.stringify(m.calls)}`);
  const total = Object.values(m.calls).reduce((a, b) => a + b, 0);
  const perPoll = total / polls;
  const perMinute = 60 / intervalS;
  const idleMsPerS = m.idleCpuMs / m.idleSeconds;
  const cpuPerPoll = (m.pollCpuMs - idleMsPerS * m.pollSeconds) / polls;
  const cpuPerMinute = cpuPerPoll * perMinute;
  const fast = 60 / m.pollIntervalSeconds;
  const breakdown = Object.entries(m.calls).map(([op, n]) => `${op}×${+(n / polls).toFixed(1)}`).join(' ');
  return [
    {
      name: 'poll_calls_per_min_1000rt',
      value: perPoll * perMinute,
      goal: 'O(pages)',
      note: `at the default ${intervalS} s interval; per poll: ${breakdown}; ${polls} polls measured every ${m.pollIntervalSeconds} s (fast interval: ${Math.round(perPoll * fast)}/min)`,
    },
    {
      name: 'poll_cpu_ms_per_min',
      value: cpuPerMinute,
      goal: '≤ 1000',
      note: `extension-host CPU, unchanged ${THOUSAND_TABLES.tables}-table world: ${cpuPerPoll.toFixed(0)} ms per poll above the host's idle ${(idleMsPerS * 60).toFixed(0)} ms/min; fast interval: ${Math.round(cpuPerPoll * fast)} ms/min${cpuPerMinute <= 1000 ? '' : '; GOAL MISSED'}`,
    },
  ];
}

function defaultInterval(): number {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default: number }> } } };
  return pkg.contributes.configuration.properties['awsops.poll.interval'].default;
}

/** The bench suite in a fresh extension host; asynchronously, so this process's proxy keeps answering. */
function runSuite(env: NodeJS.ProcessEnv): Promise<void> {
  const args = ['scripts/vscode-host/runExtensionTests.mjs', '--extension', ROOT, '--tests', path.join(ROOT, 'out/test/bench-suite/poll.js'), '--timeout', '400000'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`extension host run failed (${code}): ${output}`))));
  });
}
