// Two bundles: a small entry that activates instantly, and the AWS-facing code (SDK included),
// required only on first AWS use.
import * as esbuild from 'esbuild';
import { rmSync } from 'node:fs';

const production = process.argv.includes('--production');
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

// Guard the split: if anything in the entry drags the SDK in, activation gets slow again.
const leaked = Object.keys(entry.metafile.inputs).filter((input) => /node_modules\/@(aws-sdk|smithy)\//.test(input));
if (leaked.length > 0) {
  console.error(`dist/extension.js must not contain the AWS SDK; it pulls in:\n  ${leaked.slice(0, 5).join('\n  ')}`);
  process.exit(1);
}
