import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { awsVaultLogin, type ProcessResult, type RunProcess } from '../../../../src/core/console/awsVault';
import { ConsoleError } from '../../../../src/core/console/errors';

const answering =
  (result: Partial<ProcessResult>): RunProcess =>
  async () => ({ code: 0, stdout: '', stderr: '', timedOut: false, ...result });
const failingToStart =
  (code: string): RunProcess =>
  async () => {
    throw Object.assign(new Error(`spawn x ${code}`), { code });
  };

async function reasonOf(promise: Promise<unknown>): Promise<ConsoleError> {
  const error = await promise.then(
    () => assert.fail('expected a failure'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ConsoleError, String(error));
  return error;
}

describe('awsVaultLogin error mapping', () => {
  it('says how to install aws-vault or set the path when it is missing or not executable', async () => {
    const missing = await reasonOf(awsVaultLogin(failingToStart('ENOENT'), '/opt/nope/aws-vault', 'dev'));
    assert.equal(missing.reason, 'not-installed');
    assert.match(missing.message, /not found \("\/opt\/nope\/aws-vault"\).*awsops\.awsVault\.path/);
    const denied = await reasonOf(awsVaultLogin(failingToStart('EACCES'), '/tmp/x', 'dev'));
    assert.match(denied.message, /cannot be executed/);
  });

  it('blames a likely MFA or keychain prompt on a timeout', async () => {
    const error = await reasonOf(awsVaultLogin(answering({ code: null, timedOut: true }), 'aws-vault', 'dev', { timeoutMs: 5000 }));
    assert.equal(error.reason, 'timeout');
    assert.match(error.message, /within 5 s.*MFA code or a keychain/);
  });

  it('quotes aws-vault\'s error line, scrubbed and shortened', async () => {
    const stderr = `2024/01/01 debug line\naws-vault: error: login: failed https://signin.aws.amazon.com/federation?SigninToken=AWSOPSTESTSECRETxyzXYZ0123456789abcdefABCDEF ${'x'.repeat(400)}\n`;
    const error = await reasonOf(awsVaultLogin(answering({ code: 1, stderr }), 'aws-vault', 'dev'));
    assert.equal(error.reason, 'failed');
    assert.match(error.message, /exit 1\): aws-vault: error: login: failed https:\/\/signin\.aws\.amazon\.com\/federation\?\[redacted\]/);
    assert.ok(!error.message.includes('AWSOPSTESTSECRET'));
    assert.ok(error.message.length < 500, `${error.message.length}`);
  });

  it('rejects output that is not one AWS sign-in URL without quoting it', async () => {
    for (const stdout of ['', 'hello', 'https://evil.example/federation?SigninToken=AWSOPSTESTSECRET1', 'http://signin.aws.amazon.com/federation?SigninToken=x']) {
      const error = await reasonOf(awsVaultLogin(answering({ stdout }), 'aws-vault', 'dev'));
      assert.equal(error.reason, 'bad-output', stdout);
      assert.ok(!error.message.includes('AWSOPSTESTSECRET'));
    }
  });

  it('refuses profile names that would read as flags and MFA codes that are not 6 digits', async () => {
    const never: RunProcess = async () => assert.fail('must not run');
    assert.equal((await reasonOf(awsVaultLogin(never, 'aws-vault', '--help'))).reason, 'invalid-input');
    assert.equal((await reasonOf(awsVaultLogin(never, 'aws-vault', 'dev', { mfaToken: '12 34' }))).reason, 'invalid-input');
  });
});
