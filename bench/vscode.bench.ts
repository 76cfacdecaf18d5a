/**
 * activation_ms: AWS Ops activation (loading the entry bundle + activate()) in the real extension host of
 * code-server, median of fresh starts; vsix_bytes: the packaged extension. Needs `npm run package` first
 * (bench.sh does it), so dist/ holds the production bundles.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BenchContext, BenchRow } from './run';

const ROOT = path.resolve(__dirname, '..', '..');
const STARTS = 5;

export async function rows(ctx: BenchContext): Promise<BenchRow[]> {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  const vsix = path.join(ROOT, `${pkg.name}-${pkg.version}.vsix`);
  const activations: number[] = [];
  const hostActivations: number[] = [];
  const bundleLoads: number[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-ops-bench-'));
  try {
    for (let i = 0; i < STARTS; i++) {
      const out = path.join(dir, `run${i}.json`);
      ctx.log(`fresh extension host ${i + 1}/${STARTS}`);
      const run = spawnSync(
        process.execPath,
        ['scripts/vscode-host/runExtensionTests.mjs', '--extension', ROOT, '--tests', path.join(ROOT, 'out/test/bench-suite/index.js'), '--timeout', '120000'],
        { cwd: ROOT, env: { ...process.env, AWS_OPS_BENCH_OUT: out }, encoding: 'utf8' },
      );
      if (run.status !== 0) throw new Error(`extension host run failed (${run.status}): ${run.stdout.slice(-500)}${run.stderr.slice(-500)}`);
      const result = JSON.parse(fs.readFileSync(out, 'utf8')) as { activationMs: number; hostActivationMs: number; awsBundleMs: number };
      activations.push(result.activationMs);
      hostActivations.push(result.hostActivationMs);
      bundleLoads.push(result.awsBundleMs);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const vsixBytes = fs.statSync(vsix).size;
  return [
    { name: 'activation_ms', value: median(activations), goal: '≤ 20', note: `activate(), median of ${STARTS} fresh hosts: ${activations.map((v) => v.toFixed(1)).join(', ')}; AWS Toolkit: 1137–1303` },
    { name: 'host_activation_ms', value: median(hostActivations), note: 'as seen by a caller of Extension.activate(): VS Code\'s own work + loading dist/extension.js + activate()' },
    { name: 'aws_bundle_load_ms', value: median(bundleLoads), note: 'first AWS use: requiring dist/aws.js (SDK + core), kept out of activation' },
    { name: 'eager_over_lazy', value: (median(hostActivations) + median(bundleLoads)) / median(hostActivations), note: 'activation time if the SDK loaded eagerly, over ours' },
    { name: 'vsix_bytes', value: vsixBytes, goal: '≤ 1048576', note: 'AWS Toolkit: 5.4 MB' },
  ];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
