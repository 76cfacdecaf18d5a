import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findIniProblems } from '../../../../src/core/session/iniLint';
import { listProfiles } from '../../../../src/core/session/profiles';
import { setEnv } from '../../../support/env';

const CONFIG = `# shared config as people write it
[default]
region = eu-west-1

[profile dev]
region = eu-central-1

[profile admin]
role_arn = arn:aws:iam::111111111111:role/Admin
source_profile = dev
mfa_serial = arn:aws:iam::222222222222:mfa/me

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1
sso_registration_scopes = sso:account:access

[profile sso-dev]
sso_session = corp
sso_account_id = 333333333333
sso_role_name = Developer
region = us-east-1

[profile vault]
credential_process = aws-vault export --format=json dev

[profile ci]
role_arn = arn:aws:iam::444444444444:role/Ci
web_identity_token_file = /var/run/token

[profile acme.prod]
region = ap-southeast-2
s3 =
  max_concurrent_requests = 20

[services local]
ec2 =
  endpoint_url = http://127.0.0.1:5000

[notaprofile]
region = eu-north-1
`;

const CREDENTIALS = `[dev]
aws_access_key_id = AKIAEXAMPLEDEV
aws_secret_access_key = secret-dev

[legacy]
aws_access_key_id = AKIAEXAMPLELEGACY
aws_secret_access_key = secret-legacy

# the SDK never resolves a "profile " prefix in this file
[profile misplaced]
aws_access_key_id = AKIAEXAMPLEMISPLACED
aws_secret_access_key = secret-misplaced
`;

describe('listProfiles', () => {
  let dir: string;
  let configFile: string;
  let credentialsFile: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'awsops-profiles-'));
    configFile = path.join(dir, 'config');
    credentialsFile = path.join(dir, 'credentials');
    fs.writeFileSync(configFile, CONFIG);
    fs.writeFileSync(credentialsFile, CREDENTIALS);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists every profile of both files with its source, and no sso-session or services section', async () => {
    const profiles = await listProfiles({ configFile, credentialsFile });
    assert.deepEqual(profiles, [
      { name: 'acme.prod', region: 'ap-southeast-2', source: 'unknown', mfaSerial: undefined },
      { name: 'admin', region: undefined, source: 'assume-role', mfaSerial: 'arn:aws:iam::222222222222:mfa/me', roleArn: 'arn:aws:iam::111111111111:role/Admin', sourceProfile: 'dev' },
      { name: 'ci', region: undefined, source: 'web-identity', mfaSerial: undefined, roleArn: 'arn:aws:iam::444444444444:role/Ci' },
      { name: 'default', region: 'eu-west-1', source: 'unknown', mfaSerial: undefined },
      { name: 'dev', region: 'eu-central-1', source: 'static', mfaSerial: undefined },
      { name: 'legacy', region: undefined, source: 'static', mfaSerial: undefined },
      { name: 'sso-dev', region: 'us-east-1', source: 'sso', mfaSerial: undefined },
      { name: 'vault', region: undefined, source: 'process', mfaSerial: undefined },
    ]);
  });

  it('honours AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, and sees edits on the next call', async () => {
    const other = path.join(dir, 'other-config');
    fs.writeFileSync(other, '[profile only-here]\nregion = sa-east-1\n');
    const restoreEnv = setEnv({ AWS_CONFIG_FILE: other, AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-such-credentials') });
    try {
      assert.deepEqual((await listProfiles()).map((p) => p.name), ['only-here']);
      fs.appendFileSync(other, '\n[profile added]\nregion = eu-west-3\n');
      assert.deepEqual((await listProfiles()).map((p) => p.name), ['added', 'only-here']);
    } finally {
      restoreEnv();
    }
  });

  it('returns no profiles (and does not throw) when neither file exists', async () => {
    assert.deepEqual(await listProfiles({ configFile: path.join(dir, 'missing'), credentialsFile: path.join(dir, 'missing-too') }), []);
  });
});

describe('findIniProblems', () => {
  it('finds nothing wrong in a well-formed file, sub-sections, comments and CRLF included', () => {
    assert.deepEqual(findIniProblems(CONFIG), []);
    assert.deepEqual(findIniProblems(CREDENTIALS.replace(/\n/g, '\r\n')), []);
    assert.deepEqual(findIniProblems(''), []);
  });

  it('reports by line number the lines the SDK would silently skip', () => {
    const content = [
      'region = eu-west-1', // 1: before any section
      '[profile ok]',
      'region = eu-west-1',
      '[profile broken', // 4: unterminated section header
      'aws_access_key_id AKIAEXAMPLE', // 5: no "="
      '= orphan value', // 6: no key
      '; a comment',
      '[profile fine] # trailing comment',
      'output = json',
    ].join('\n');
    assert.deepEqual(findIniProblems(content), [{ line: 1 }, { line: 4 }, { line: 5 }, { line: 6 }]);
  });

  it('never returns the text of a line, which may hold a secret', () => {
    const problems = findIniProblems('[default]\naws_secret_access_key wJalrXUtnFEMI/K7MDENG\n');
    assert.deepEqual(problems, [{ line: 2 }]);
    assert.doesNotMatch(JSON.stringify(problems), /wJalr/);
  });
});
