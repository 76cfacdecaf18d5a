/**
 * In the real extension host of code-server, median of fresh starts: activation_ms (loading the entry bundle +
 * activate()), first_rows_ms (activate() to the first VIP rows of the VIP Routes view, against moto, with no
 * compiled code cached anywhere) and first_rows_warm_ms (the same on a second start of the same user data, whose
 * global storage holds AWS Ops' compile cache and the last routes' targets), each activated once the window has
 * started, as opening the side bar does; first_rows_window_start_ms: a third start that activates at once, while
 * the workbench itself starts on the same cores (a side bar left open); the AWS bundles' load times; vsix_bytes:
 * the packaged extension. Needs `npm run package` first (bench.sh does it), so dist/ holds the production bundles.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MOTO_CREDENTIALS, motoPool, startMoto } from '../test/support/moto';
import { seedVipWorld } from '../test/support/seedVipWorld';
import type { BenchContext, BenchRow } from './run';

const ROOT = path.resolve(__dirname, '..', '..');
const STARTS = 5;
const REGION = 'eu-west-1';

interface HostRun {
  activationMs: number;
  hostActivationMs: number;
  firstRowsMs: number;
  coreBundleMs: number;
  laterBundlesMs: number;
}

export async function rows(ctx: BenchContext): Promise<BenchRow[]> {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  const vsix = path.join(ROOT, `${pkg.name}-${pkg.version}.vsix`);
  const cold: HostRun[] = [];
  const warm: HostRun[] = [];
  const busy: HostRun[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-ops-bench-'));
  const moto = await startMoto();
  const pool = motoPool();
  try {
    // Seeding also wakes moto's EC2 backend, whose first call takes a second.
    await seedVipWorld(pool.get({ region: REGION, endpointUrl: moto.url }));
    // The SDK in the host finds moto, the region and keys in the environment, never ~/.aws.
    const env = {
      AWS_ENDPOINT_URL: moto.url,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
      AWS_CONFIG_FILE: path.join(dir, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-credentials'),
    };
    for (let i = 0; i < STARTS; i++) {
      const userData = path.join(dir, `user-data-${i}`);
      ctx.log(`fresh extension host ${i + 1}/${STARTS}, then twice again with its caches (once while the window starts)`);
      cold.push(runHost(path.join(dir, `cold${i}.json`), userData, { ...env, AWS_OPS_BENCH_SETTLE: '1' }));
      warm.push(runHost(path.join(dir, `warm${i}.json`), userData, { ...env, AWS_OPS_BENCH_SETTLE: '1' }));
      busy.push(runHost(path.join(dir, `busy${i}.json`), userData, env));
    }
  } finally {
    pool.clear();
    await moto.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const of = (runs: HostRun[], key: keyof HostRun) => runs.map((r) => r[key]);
  const list = (values: number[]) => values.map((v) => v.toFixed(0)).join(', ');
  const hostActivation = median(of(cold, 'hostActivationMs'));
  const bundles = median(of(cold, 'coreBundleMs')) + median(of(cold, 'laterBundlesMs'));
  const vsixBytes = fs.statSync(vsix).size;
  return [
    { name: 'activation_ms', value: median(of(cold, 'activationMs')), goal: '≤ 20', note: `activate(), median of ${STARTS} fresh hosts: ${of(cold, 'activationMs').map((v) => v.toFixed(1)).join(', ')}; AWS Toolkit: 1137–1303` },
    { name: 'host_activation_ms', value: hostActivation, note: 'as seen by a caller of Extension.activate(): VS Code\'s own work + loading dist/extension.js + activate()' },
    { name: 'first_rows_ms', value: median(of(cold, 'firstRowsMs')), goal: '≤ 600', note: `from the start of activate() to the first VIP rows against moto, fresh host, nothing cached, activated once the window has started: ${list(of(cold, 'firstRowsMs'))}` },
    { name: 'first_rows_warm_ms', value: median(of(warm, 'firstRowsMs')), goal: '≤ 250', note: `the same, second start with AWS Ops' compile cache (Node ≥ 22) and the last routes' targets: ${list(of(warm, 'firstRowsMs'))}` },
    { name: 'first_rows_window_start_ms', value: median(of(busy, 'firstRowsMs')), note: `the same with both caches, activated at once while the workbench itself starts on the same cores (a side bar left open): ${list(of(busy, 'firstRowsMs'))}` },
    { name: 'aws_bundle_load_ms', value: median(of(cold, 'coreBundleMs')), note: `first AWS use: requiring dist/aws-core.js (EC2 + STS) and its chunks, cold; warm: ${median(of(warm, 'coreBundleMs')).toFixed(0)}` },
    { name: 'aws_later_bundles_ms', value: median(of(cold, 'laterBundlesMs')), note: 'requiring the IAM, provisioning, jumpbox and SSM bundles (each on its first use), cold, together' },
    { name: 'eager_over_lazy', value: (hostActivation + bundles) / hostActivation, note: 'activation time if every AWS bundle loaded eagerly, over ours' },
    { name: 'vsix_bytes', value: vsixBytes, goal: '≤ 1048576', note: 'AWS Toolkit: 5.4 MB' },
  ];
}

function runHost(out: string, userData: string, env: Record<string, string>): HostRun {
  const run = spawnSync(
    process.execPath,
    [
      'scripts/vscode-host/runExtensionTests.mjs', '--extension', ROOT, '--tests', path.join(ROOT, 'out/test/bench-suite/index.js'),
      '--timeout', '120000', '--user-data', userData, '--no-host-compile-cache',
    ],
    { cwd: ROOT, env: { ...process.env, ...env, AWS_OPS_BENCH_OUT: out }, encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`extension host run failed (${run.status}): ${run.stdout.slice(-500)}${run.stderr.slice(-500)}`);
  return JSON.parse(fs.readFileSync(out, 'utf8')) as HostRun;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
