import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { runProcess, type RunProcess } from '../../../../src/core/console/awsVault';
import { awsVaultCredentialProvider } from '../../../../src/core/console/awsVaultCredentials';
import { ConsoleError } from '../../../../src/core/console/errors';
import { SessionPool } from '../../../../src/core/session/pool';
import { FAKE_AWS_VAULT, TEST_SECRET_MARK } from '../../../support/fakeAwsVault';
import { useMoto } from '../../../support/useMoto';

describe('aws-vault export as a credential source (fake aws-vault + moto STS)', () => {
  const moto = useMoto({ reset: false });
  const log: string[] = [];
  let runs: Array<readonly string[]> = [];
  const counted: RunProcess = (file, args, options) => {
    runs.push(args);
    return runProcess(file, args, options);
  };

  beforeEach(() => {
    runs = [];
  });
  after(() => {
    for (const line of log) assert.ok(!line.includes(TEST_SECRET_MARK), `leaked: ${line}`);
  });

  function poolFor(profile: string, env?: NodeJS.ProcessEnv): SessionPool {
    return new SessionPool(
      (record) => log.push(JSON.stringify(record)),
      (p) => ({ profile: p, override: awsVaultCredentialProvider(counted, FAKE_AWS_VAULT, profile, { env }) }),
    );
  }

  it('signs SDK calls with the exported credentials and runs aws-vault once while they are fresh', async () => {
    const pool = poolFor('dev');
    const started = performance.now();
    const sts = pool.get({ profile: 'dev', region: 'eu-west-1', endpointUrl: moto.url }).client('sts');
    const first = await sts.send(new GetCallerIdentityCommand({}));
    const firstMs = performance.now() - started;
    const again = performance.now();
    await Promise.all([
      sts.send(new GetCallerIdentityCommand({})),
      pool.get({ profile: 'dev', region: 'us-east-1', endpointUrl: moto.url }).client('sts').send(new GetCallerIdentityCommand({})),
    ]);
    const laterMs = performance.now() - again;
    pool.clear();
    assert.equal(first.Account, '123456789012');
    assert.deepEqual(runs, [['export', '--format=json', 'dev']]);
    log.push(`first call ${Math.round(firstMs)} ms (incl. aws-vault export), next two ${Math.round(laterMs)} ms`);
    assert.ok(log.some((l) => /"operation":"GetCallerIdentity","region":"eu-west-1","ok":true/.test(l)));
  });

  it('runs aws-vault again once the credentials are about to expire', async () => {
    const provider = awsVaultCredentialProvider(counted, FAKE_AWS_VAULT, 'dev', {
      env: { ...process.env, FAKE_AWS_VAULT_TTL_SECONDS: '120' },
    });
    const a = await provider();
    const b = await provider();
    assert.equal(runs.length, 2, 'a 2-minute credential is inside the 5-minute refresh margin');
    assert.notEqual(a.accessKeyId, b.accessKeyId);
    assert.ok(a.expiration && a.expiration.getTime() > Date.now());
    assert.ok(a.sessionToken?.startsWith(TEST_SECRET_MARK));
  });

  it('fails clearly for an unknown profile, garbage and a hang, and retries after a failure', async () => {
    const cases: Array<[string, RegExp, number?]> = [
      ['nosuch', /aws-vault: error: exec: profile nosuch: credentials missing/],
      ['garbage', /did not print credentials as JSON/],
      ['hang', /did not finish within 1 s/, 700],
    ];
    for (const [profile, expected, timeoutMs] of cases) {
      const provider = awsVaultCredentialProvider(counted, FAKE_AWS_VAULT, profile, { timeoutMs });
      for (let attempt = 0; attempt < 2; attempt++) {
        const error = await provider().then(
          () => assert.fail(`${profile}: expected a failure`),
          (e: unknown) => e,
        );
        assert.ok(error instanceof ConsoleError, String(error));
        assert.match(error.message, expected);
        log.push(error.message);
      }
    }
    assert.equal(runs.length, 6, 'a failed export is not cached');
  });

  it('passes the MFA code the caller asks for', async () => {
    const provider = awsVaultCredentialProvider(counted, FAKE_AWS_VAULT, 'mfa', { mfaCode: async () => ' 654321 ' });
    const credentials = await provider();
    assert.ok(credentials.accessKeyId.startsWith('ASIA'));
    assert.deepEqual(runs, [['export', '--format=json', '--mfa-token', '654321', 'mfa']]);
  });
});
