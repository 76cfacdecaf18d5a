import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { awsVaultLogin, runProcess } from '../../../../src/core/console/awsVault';
import { ConsoleError } from '../../../../src/core/console/errors';
import { serviceBySlug } from '../../../../src/core/console/services';
import { consoleSigninUrl } from '../../../../src/core/console/signin';
import { FAKE_AWS_VAULT, TEST_SECRET_MARK } from '../../../support/fakeAwsVault';

/** Everything the extension would log or show: must never hold a secret. */
const log: string[] = [];

function pageOf(slug: string, region: string): string {
  const service = serviceBySlug(slug);
  assert.ok(service, slug);
  return service.url(region);
}

async function failure(promise: Promise<unknown>): Promise<ConsoleError> {
  const error = await promise.then(
    () => assert.fail('expected a failure'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ConsoleError, String(error));
  log.push(error.message);
  return error;
}

describe('aws-vault login through a real process (fake aws-vault)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'awsops-console-'));
  after(() => {
    rmSync(scratch, { recursive: true, force: true });
    for (const line of log) {
      assert.ok(!line.includes(TEST_SECRET_MARK) && !line.includes('SigninToken='), `leaked: ${line}`);
    }
  });

  it('opens the chosen service signed in, with aws-vault\'s token and our destination', async () => {
    const page = pageOf('vpc', 'eu-west-1');
    const started = performance.now();
    const result = await consoleSigninUrl(
      { destination: page, region: 'eu-west-1', profile: 'dev' },
      { awsVault: { run: runProcess, path: FAKE_AWS_VAULT } },
    );
    const ms = performance.now() - started;
    log.push(`console opened via ${result.via} in ${Math.round(ms)} ms`);
    const url = new URL(result.url);
    assert.equal(url.host, 'signin.aws.amazon.com');
    assert.equal(url.searchParams.get('Action'), 'login');
    assert.equal(url.searchParams.get('Issuer'), 'aws-vault');
    assert.equal(url.searchParams.get('Destination'), page);
    assert.ok(url.searchParams.get('SigninToken')?.startsWith(TEST_SECRET_MARK));
    assert.ok(ms < 5000, `${ms} ms`);
  });

  it('gets a China sign-in URL for a China page even when the profile has no region', async () => {
    const page = pageOf('ec2', 'cn-north-1');
    const result = await consoleSigninUrl(
      { destination: page, region: 'cn-north-1', profile: 'noregion' },
      { awsVault: { run: runProcess, path: FAKE_AWS_VAULT } },
    );
    const url = new URL(result.url);
    assert.equal(url.host, 'signin.amazonaws.cn');
    assert.equal(url.searchParams.get('Destination'), page);
  });

  it('passes the MFA code for a profile that needs one, and fails fast without it', async () => {
    const url = await awsVaultLogin(runProcess, FAKE_AWS_VAULT, 'mfa', { mfaToken: '123456', region: 'us-east-1' });
    assert.ok(url.startsWith('https://signin.aws.amazon.com/federation?Action=login&'));
    const started = performance.now();
    const error = await failure(awsVaultLogin(runProcess, FAKE_AWS_VAULT, 'mfa', { timeoutMs: 10_000 }));
    assert.equal(error.reason, 'failed');
    assert.match(error.message, /profile mfa: Failed to get credentials: EOF/);
    assert.ok(performance.now() - started < 5000, 'closed stdin must end the prompt, not the timeout');
  });

  it('reports an unknown profile with aws-vault\'s own words', async () => {
    const error = await failure(awsVaultLogin(runProcess, FAKE_AWS_VAULT, 'nosuch'));
    assert.equal(error.reason, 'no-credentials');
    assert.match(error.message, /exit 1\): aws-vault: error: login: profile nosuch: credentials missing\. Check the profile/);
  });

  it('scrubs tokens and keys aws-vault prints in an error', async () => {
    const error = await failure(awsVaultLogin(runProcess, FAKE_AWS_VAULT, 'leaky'));
    assert.ok(!error.message.includes(TEST_SECRET_MARK), error.message);
    assert.match(error.message, /federation\?\[redacted\]/);
  });

  it('rejects garbage output without quoting it', async () => {
    const error = await failure(awsVaultLogin(runProcess, FAKE_AWS_VAULT, 'garbage'));
    assert.equal(error.reason, 'bad-output');
    assert.ok(!error.message.includes('<html>'));
  });

  it('stops a hanging aws-vault at the timeout, whole process group included', async () => {
    const raw = await runProcess(FAKE_AWS_VAULT, ['login', 'hang', '--stdout'], { timeoutMs: 700 });
    assert.equal(raw.timedOut, true);
    const pid = Number(/pid (\d+)/.exec(raw.stderr)?.[1]);
    assert.ok(pid > 0, raw.stderr);
    assert.throws(() => process.kill(pid, 0), /ESRCH/);

    const started = performance.now();
    const error = await failure(awsVaultLogin(runProcess, FAKE_AWS_VAULT, 'hang', { timeoutMs: 700 }));
    const ms = performance.now() - started;
    assert.equal(error.reason, 'timeout');
    assert.match(error.message, /MFA code or a keychain/);
    assert.ok(ms >= 650 && ms < 3000, `${ms} ms`);
  });

  it('says how to fix a missing or non-executable aws-vault', async () => {
    const missing = await failure(awsVaultLogin(runProcess, join(scratch, 'no-such-aws-vault'), 'dev'));
    assert.equal(missing.reason, 'not-installed');
    assert.match(missing.message, /Install it .* or set the awsops\.awsVault\.path setting/);
    const notExecutable = join(scratch, 'aws-vault');
    writeFileSync(notExecutable, 'not a program');
    chmodSync(notExecutable, 0o644);
    const denied = await failure(awsVaultLogin(runProcess, notExecutable, 'dev'));
    assert.equal(denied.reason, 'not-installed');
    assert.match(denied.message, /cannot be executed/);
  });

  it('never runs a shell: metacharacters in a profile name reach aws-vault as one argument', async () => {
    const marker = join(scratch, 'pwned');
    const error = await failure(awsVaultLogin(runProcess, FAKE_AWS_VAULT, `x; touch ${marker}`));
    assert.match(error.message, /profile x; touch .*: credentials missing/);
    assert.throws(() => rmSync(marker), /ENOENT/);
  });
});
