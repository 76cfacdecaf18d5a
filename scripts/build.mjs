// Two bundles: a small entry that activates instantly, and the AWS-facing code (SDK included),
// required only on first AWS use.
import * as esbuild from 'esbuild';
import { rmSync } from 'node:fs';

const production = process.argv.includes('--production');
/** What the agent's template may spend on code: its other resources take about 6 KB of the 51,200 bytes. */
const AGENT_LIMIT = 40_000;
rmSync('dist', { recursive: true, force: true });
const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  metafile: true,
  logLevel: 'warning',
};

const entry = await esbuild.build({
  ...common,
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  external: ['vscode', './aws.js'],
});
await esbuild.build({
  ...common,
  entryPoints: ['src/aws/index.ts'],
  outfile: 'dist/aws.js',
  external: ['vscode'],
  // The SDK ships ESM and CJS; prefer the CJS "main" so the bundle needs no interop shims.
  mainFields: ['main', 'module'],
});

// The jumpbox agent: one small file that the agent's CloudFormation template embeds inline (Code.ZipFile), for
// Lambda's Node.js 22 runtime, which provides the SDK v3 itself.
const agent = await esbuild.build({
  ...common,
  entryPoints: ['agent/index.ts'],
  outfile: 'dist/agent.js',
  target: 'node22',
  external: ['@aws-sdk/*'],
  minify: true,
  sourcemap: false,
});
const agentBytes = Object.values(agent.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
if (agentBytes > AGENT_LIMIT) {
  console.error(`dist/agent.js has ${agentBytes} bytes, over ${AGENT_LIMIT}: it must fit in the agent's inline template (51,200 bytes in all).`);
  process.exit(1);
}

// Guard the split: if anything in the entry drags the SDK in, activation gets slow again.
const leaked = Object.keys(entry.metafile.inputs).filter((input) => /node_modules\/@(aws-sdk|smithy)\//.test(input));
if (leaked.length > 0) {
  console.error(`dist/extension.js must not contain the AWS SDK; it pulls in:\n  ${leaked.slice(0, 5).join('\n  ')}`);
  process.exit(1);
}
