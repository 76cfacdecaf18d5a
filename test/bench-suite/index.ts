import * as fs from 'node:fs';
import * as vscode from 'vscode';

/**
 * A one-shot "suite" for the benchmark, run in a fresh real extension host: it activates AWS Ops the way
 * opening its view would, and writes how long activate() took, how long the whole activation took as seen
 * from outside (VS Code's own work, loading dist/extension.js, activate()), and how long the first AWS use
 * takes to load the SDK bundle.
 */
export async function run(): Promise<void> {
  const out = process.env.AWS_OPS_BENCH_OUT;
  if (!out) throw new Error('AWS_OPS_BENCH_OUT is not set');
  const extension = vscode.extensions.getExtension<{ activationMs: number }>('aws-ops.aws-ops');
  if (!extension) throw new Error('aws-ops is not installed in this host');
  if (extension.isActive) throw new Error('aws-ops was already active: the measurement needs a fresh host');
  const started = performance.now();
  const api = await extension.activate();
  const hostActivationMs = performance.now() - started;
  const bundle = require.resolve(`${extension.extensionPath}/dist/aws.js`);
  const loadStarted = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- measuring exactly this require.
  require(bundle);
  const awsBundleMs = performance.now() - loadStarted;
  fs.writeFileSync(out, JSON.stringify({ activationMs: api.activationMs, hostActivationMs, awsBundleMs }));
}
