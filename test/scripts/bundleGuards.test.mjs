// The guards of scripts/build.mjs on real esbuild splits of small entries, and the built dist/ itself.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as esbuild from 'esbuild';
import { eagerPackages, exportsByBundle, sdkInputs } from '../../scripts/bundleGuards.mjs';

const ROOT = join(import.meta.dirname, '..', '..');

describe('bundle guards on real esbuild splits', () => {
  let dir;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'awsops-guards-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function split(files) {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const entries = Object.keys(files).filter((f) => f.endsWith('.js')).map((f) => ({ in: join(dir, f), out: f.replace(/\.js$/, '') }));
    const result = await esbuild.build({
      entryPoints: entries, bundle: true, splitting: true, format: 'esm', platform: 'node', outdir: 'dist', write: false, metafile: true,
      nodePaths: [join(ROOT, 'node_modules')], mainFields: ['module', 'main'], logLevel: 'silent',
    });
    return result.metafile;
  }

  it('flags a core entry that loads another service at once, not one that imports it lazily', async () => {
    const eager = await split({ 'core.js': "import { EC2Client } from '@aws-sdk/client-ec2';\nimport { IAMClient } from '@aws-sdk/client-iam';\nexport const a = [EC2Client, IAMClient];" });
    assert.deepEqual(eagerPackages(eager, 'dist/core.js'), ['@aws-sdk/client-iam']);
    const lazy = await split({ 'core.js': "import { EC2Client } from '@aws-sdk/client-ec2';\nexport const a = EC2Client;\nexport const iam = () => import('@aws-sdk/client-iam');" });
    assert.deepEqual(eagerPackages(lazy, 'dist/core.js'), []);
  });

  it('follows shared chunks: a service two entries share is still loaded at once by the core entry', async () => {
    const meta = await split({
      'core.js': "import { SSMClient } from '@aws-sdk/client-ssm';\nexport const a = SSMClient;",
      'other.js': "import { SSMClient } from '@aws-sdk/client-ssm';\nexport const b = SSMClient;",
    });
    assert.deepEqual(eagerPackages(meta, 'dist/core.js'), ['@aws-sdk/client-ssm']);
    assert.deepEqual(exportsByBundle(meta, ['core', 'other']), { 'core.js': ['a'], 'other.js': ['b'] });
  });

  it('refuses an export two bundles share, and finds the SDK in a bundle that must have none', async () => {
    const meta = await split({ 'one.js': "export const same = 1;\nimport { STSClient } from '@aws-sdk/client-sts';\nexport const s = STSClient;", 'two.js': 'export const same = 2;' });
    assert.throws(() => exportsByBundle(meta, ['one', 'two']), /same is exported by both one and two/);
    assert.ok(sdkInputs(meta).some((input) => input.includes('@aws-sdk/client-sts')));
  });
});

describe('the built dist/', { skip: existsSync(join(ROOT, 'dist', 'aws-core.js')) ? false : 'not built' }, () => {
  it('loads EC2 and STS with aws-core.js, and another client only when a session first asks for it', () => {
    const probe = `
      const loaded = () => Object.keys(require.cache).map((f) => require('path').basename(f)).filter((f) => f.startsWith('aws-client-'));
      const core = require(${JSON.stringify(join(ROOT, 'dist', 'aws-core.js'))});
      const before = loaded();
      const session = new core.SessionPool(() => {}).get({ region: 'eu-west-1' });
      session.client('ec2');
      const afterEc2 = loaded();
      const iam = session.client('iam');
      const fromItsBundle = iam.constructor === require(${JSON.stringify(join(ROOT, 'dist', 'aws-client-iam.js'))}).IAMClient;
      console.log(JSON.stringify({ before, afterEc2, after: loaded(), fromItsBundle }));`;
    const run = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout.trim().split('\n').pop()), { before: [], afterEc2: [], after: ['aws-client-iam.js'], fromItsBundle: true });
  });
});
