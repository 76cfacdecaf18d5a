// The nested npm installs of the test host must see their own npm and Node, not the outer `npm test`'s.
// A real `npm install` of a local probe package whose install script records the environment it runs in.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { npmInstall } from '../../../scripts/vscode-host/install.mjs';
import { cleanNpmEnv } from '../../../scripts/vscode-host/npmEnv.mjs';

// What an outer npm on the machine's Node 20 exports to `npm test` and so to everything it spawns.
const OUTER_NPM = {
  npm_config_user_agent: 'npm/10.8.2 node/v20.11.1 linux x64 workspaces/false',
  npm_config_nodedir: '/usr',
  npm_config_strict_allow_scripts: 'true',
  npm_lifecycle_event: 'test',
  npm_lifecycle_script: 'bash scripts/test.sh',
  npm_package_name: 'aws-ops',
  npm_package_json: '/work/main/package.json',
  npm_node_execpath: '/usr/bin/node',
  npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
  NODE: '/usr/bin/node',
  INIT_CWD: '/work/main',
};

describe('nested npm installs of the test host', () => {
  let dir;
  let seen;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'npm-env-'));
    const probe = join(dir, 'probe');
    mkdirSync(probe);
    const record = `require('fs').writeFileSync(${JSON.stringify(join(dir, 'env.json'))}, JSON.stringify(process.env))`;
    writeFileSync(
      join(probe, 'package.json'),
      JSON.stringify({ name: 'env-probe', version: '1.0.0', scripts: { install: `node -e "${record.replace(/"/g, '\\"')}"` } }),
    );
    const env = { ...process.env, ...OUTER_NPM, PATH: `/work/main/node_modules/.bin:${process.env.PATH}` };
    await npmInstall(join(dir, 'app'), { 'env-probe': `file:${probe}` }, { 'env-probe': true }, env, join(dir, 'install.log'), {
      nodedir: '/opt/node24',
    });
    seen = JSON.parse(readFileSync(join(dir, 'env.json'), 'utf8'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("reports the nested npm's own Node in the user agent, not the outer npm's", () => {
    assert.match(seen.npm_config_user_agent, new RegExp(`node/${process.version.replace(/\./g, '\\.')} `));
    assert.doesNotMatch(seen.npm_config_user_agent, /npm\/10\.8\.2|node\/v20\.11\.1/);
  });

  it('passes only the config it was given, not the outer npm_config_* values', () => {
    assert.equal(seen.npm_config_nodedir, '/opt/node24');
    assert.notEqual(seen.npm_config_strict_allow_scripts, 'true');
  });

  it("carries none of the outer run-script's lifecycle, package or path variables", () => {
    assert.notEqual(seen.npm_package_name, 'aws-ops');
    assert.notEqual(seen.npm_lifecycle_script, 'bash scripts/test.sh');
    assert.notEqual(seen.INIT_CWD, '/work/main');
    assert.ok(!seen.PATH.split(':').includes('/work/main/node_modules/.bin'));
  });
});

describe('cleanNpmEnv', () => {
  it('keeps what is not npm run-script state', () => {
    const clean = cleanNpmEnv({ ...OUTER_NPM, HOME: '/root', TMPDIR: '/t', PATH: '/a/node_modules/.bin:/usr/bin' });
    assert.deepEqual(clean, { HOME: '/root', TMPDIR: '/t', PATH: '/usr/bin' });
  });
});
