// A small entry that activates instantly, and the AWS-facing code (SDK included) split by capability, each part
// required on first use: dist/aws-core.js (EC2 + STS: what the views' first rows need), aws-iam.js,
// aws-provision.js, aws-jumpboxes.js, aws-ssm.js, one aws-client-<service>.js per other SDK client, and the
// chunks they share (each module exactly once, so a client and its commands always come from the same copy).
//
// esbuild splits only ESM, and the extension host needs synchronous CommonJS requires (Node 20 cannot require
// ESM): so the split is built as ESM in memory, then each file is converted to CommonJS as it is written.
import * as esbuild from 'esbuild';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { eagerPackages, exportsByBundle, sdkInputs } from './bundleGuards.mjs';

const production = process.argv.includes('--production');
/** What the agent's template may spend on code: its other resources take about 6 KB of the 51,200 bytes. */
const AGENT_LIMIT = 40_000;
rmSync('dist', { recursive: true, force: true });
mkdirSync('dist');
const common = { bundle: true, platform: 'node', target: 'node18', minify: production, metafile: true, logLevel: 'warning' };

const ENTRIES = { 'aws-core': 'src/aws/index.ts', 'aws-iam': 'src/aws/iam.ts', 'aws-provision': 'src/aws/provision.ts', 'aws-jumpboxes': 'src/aws/jumpboxes.ts', 'aws-ssm': 'src/aws/ssm.ts', 'aws-fleet': 'src/aws/fleet.ts' };
// The SDK clients src/core/session/session.ts requires lazily: package → its bundle's name.
const CLIENTS = {
  '@aws-sdk/client-cloudformation': 'CloudFormationClient',
  '@aws-sdk/client-route-53': 'Route53Client',
  '@aws-sdk/client-ssm': 'SSMClient',
  '@aws-sdk/client-scheduler': 'SchedulerClient',
  '@aws-sdk/client-iam': 'IAMClient',
  '@aws-sdk/client-pricing': 'PricingClient',
};
const clientBundle = (pkg) => `aws-client-${pkg.replace('@aws-sdk/client-', '')}`;

/** The session's `require('@aws-sdk/client-x')` stays a require, of that client's own bundle; a tiny virtual entry each. */
const lazyClients = {
  name: 'lazy-clients',
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\/client-/ }, (args) =>
      args.kind === 'require-call' && CLIENTS[args.path] && /src[\\/]core[\\/]session[\\/]session\.ts$/.test(args.importer)
        ? { path: `./${clientBundle(args.path)}.js`, external: true }
        : undefined,
    );
    build.onResolve({ filter: /^client-entry:/ }, (args) => ({ path: args.path.slice('client-entry:'.length), namespace: 'client-entry' }));
    build.onLoad({ filter: /.*/, namespace: 'client-entry' }, (args) => ({ contents: `export { ${CLIENTS[args.path]} } from '${args.path}';`, resolveDir: process.cwd(), loader: 'js' }));
  },
};

/**
 * The SDK's schema files key their objects by constants (`{ [_xN]: ... }`), and a computed key is a side effect
 * as far as esbuild knows, so it keeps every shape of the service (EC2: 550 KB). Writing the constants' values
 * as plain keys means the same objects, and lets esbuild drop the shapes no command we send uses.
 */
const plainSchemaKeys = {
  name: 'plain-schema-keys',
  setup(build) {
    build.onLoad({ filter: /[\\/]@aws-sdk[\\/][^\\/]+[\\/]dist-es[\\/](submodules[\\/][^\\/]+[\\/])?schemas[\\/]schemas_\d+\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const constants = new Map([...text.matchAll(/^const (_\w+) = ("[^"\\]*");$/gm)].map((m) => [m[1], m[2]]));
      return { contents: text.replace(/\[(_\w+)\]:/g, (key, name) => (constants.has(name) ? `${constants.get(name)}:` : key)), loader: 'js' };
    });
  },
};

const split = await esbuild.build({
  ...common,
  entryPoints: [
    ...Object.entries(ENTRIES).map(([out, entry]) => ({ in: entry, out })),
    ...Object.keys(CLIENTS).map((pkg) => ({ in: `client-entry:${pkg}`, out: clientBundle(pkg) })),
  ],
  outdir: 'dist',
  format: 'esm',
  splitting: true,
  chunkNames: 'aws-chunk-[hash]',
  write: false,
  sourcemap: production ? false : 'inline',
  external: ['vscode'],
  // The SDK's ESM builds let esbuild drop the commands no one sends.
  mainFields: ['module', 'main'],
  plugins: [lazyClients, plainSchemaKeys],
});
for (const file of split.outputFiles) {
  const converted = await esbuild.transform(file.text, {
    format: 'cjs',
    platform: 'node',
    target: 'node18',
    minify: production,
    sourcemap: production ? false : true,
    sourcefile: basename(file.path),
    // A dynamic import() of a chunk (the SDK's lazily loaded credential providers) becomes a require too.
    supported: { 'dynamic-import': false },
  });
  const name = basename(file.path);
  writeFileSync(join('dist', name), production ? converted.code : `${converted.code}//# sourceMappingURL=${name}.map\n`);
  if (!production) writeFileSync(join('dist', `${name}.map`), converted.map);
}

let bundleExports;
try {
  bundleExports = exportsByBundle(split.metafile, Object.keys(ENTRIES));
} catch (error) {
  fail(error.message);
}

// The loader in dist/extension.js learns which bundle holds which export.
const entry = await esbuild.build({
  ...common,
  format: 'cjs',
  sourcemap: !production,
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  external: ['vscode'],
  define: { AWS_BUNDLE_EXPORTS: JSON.stringify(bundleExports) },
});

// The jumpbox agent: one small file that the agent's CloudFormation template embeds inline (Code.ZipFile), for
// Lambda's Node.js 22 runtime, which provides the SDK v3 itself.
const agent = await esbuild.build({
  ...common,
  format: 'cjs',
  entryPoints: ['agent/index.ts'],
  outfile: 'dist/agent.js',
  target: 'node22',
  external: ['@aws-sdk/*'],
  minify: true,
  sourcemap: false,
});
const agentBytes = Object.values(agent.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
if (agentBytes > AGENT_LIMIT) fail(`dist/agent.js has ${agentBytes} bytes, over ${AGENT_LIMIT}: it must fit in the agent's inline template (51,200 bytes in all).`);

// Guard the split: if anything in the entry drags the SDK in, activation gets slow again...
const leaked = sdkInputs(entry.metafile);
if (leaked.length > 0) fail(`dist/extension.js must not contain the AWS SDK; it pulls in:\n  ${leaked.slice(0, 5).join('\n  ')}`);
// ...and if the discovery bundle (with the chunks it loads at once) carries another service, the first rows wait for it.
const heavy = eagerPackages(split.metafile, 'dist/aws-core.js');
if (heavy.length > 0) fail(`dist/aws-core.js must hold only EC2 and STS; it loads:\n  ${heavy.join('\n  ')}`);

function fail(message) {
  console.error(message);
  process.exit(1);
}
