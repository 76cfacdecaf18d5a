import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProcessResult, RunProcess } from '../../../../src/core/console/awsVault';
import { consoleSigninUrl, federatedLoginUrl, replaceDestination } from '../../../../src/core/console/signin';

const LOGIN =
  'https://signin.aws.amazon.com/federation?Action=login&Issuer=aws-vault&Destination=https%3A%2F%2Fconsole.aws.amazon.com%2F&SigninToken=AbC-_x%2Bz';
const PAGE = 'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:';

function vaultPrinting(stdout: string, stderr = '', code = 0): { run: RunProcess; calls: Array<readonly string[]> } {
  const calls: Array<readonly string[]> = [];
  const run: RunProcess = async (_file, args) => {
    calls.push(args);
    return { code, stdout, stderr, timedOut: false } satisfies ProcessResult;
  };
  return { run, calls };
}

describe('replaceDestination', () => {
  it('swaps Destination and keeps every other byte', () => {
    const out = replaceDestination(LOGIN, PAGE);
    assert.equal(
      out,
      'https://signin.aws.amazon.com/federation?Action=login&Issuer=aws-vault&Destination=' +
        encodeURIComponent(PAGE) +
        '&SigninToken=AbC-_x%2Bz',
    );
    assert.equal(new URL(out).searchParams.get('Destination'), PAGE);
  });

  it('adds Destination when the URL has none', () => {
    const out = replaceDestination('https://signin.aws.amazon.com/federation?Action=login&SigninToken=t', PAGE);
    assert.equal(new URL(out).searchParams.get('Destination'), PAGE);
    assert.equal(new URL(out).searchParams.get('SigninToken'), 't');
  });

  it('refuses non-login URLs and non-https destinations without quoting the URL', () => {
    assert.throws(() => replaceDestination('https://signin.aws.amazon.com/federation?Action=getSigninToken&SigninToken=SECRETX', PAGE), (e: Error) =>
      /not a federation login URL/.test(e.message) && !e.message.includes('SECRETX'),
    );
    assert.throws(() => replaceDestination(LOGIN, 'javascript:alert(1)'), /must be an https/);
  });
});

describe('consoleSigninUrl', () => {
  const target = { destination: PAGE, region: 'eu-west-1', profile: 'dev' };

  it('signs in through aws-vault with an argument array, the region and the MFA code', async () => {
    const vault = vaultPrinting(`${LOGIN}\n`);
    const result = await consoleSigninUrl(target, { awsVault: { run: vault.run, path: 'aws-vault', mfaToken: '123456' } });
    assert.deepEqual(vault.calls, [['login', 'dev', '--stdout', '--mfa-token', '123456', '--region', 'eu-west-1']]);
    assert.equal(result.via, 'aws-vault');
    assert.equal(result.signedIn, true);
    assert.equal(new URL(result.url).searchParams.get('Destination'), PAGE);
  });

  it('refuses an aws-vault URL from another partition than the page', async () => {
    const vault = vaultPrinting(LOGIN);
    await assert.rejects(
      consoleSigninUrl({ destination: 'https://console.amazonaws.cn/ec2/home?region=cn-north-1', region: 'cn-north-1', profile: 'cn' }, {
        awsVault: { run: vault.run, path: 'aws-vault' },
      }),
      /signed in to the aws partition but cn-north-1 is in aws-cn/,
    );
  });

  it('signs in as without aws-vault when aws-vault keeps no credentials for the profile, and only then', async () => {
    // aws-vault v7 (vault.go, login.go) for a profile neither in its keyring nor sourced from another.
    const unmanaged = vaultPrinting('', 'aws-vault: error: login: profile dev: profile dev: credentials missing\n', 1);
    const credentials = async () => ({ accessKeyId: 'AKIAX', secretAccessKey: 's' });
    const result = await consoleSigninUrl(target, { awsVault: { run: unmanaged.run, path: 'aws-vault' }, credentials });
    assert.equal(unmanaged.calls.length, 1);
    assert.deepEqual({ url: result.url, via: result.via }, { url: PAGE, via: 'plain' });
    const denied = vaultPrinting('', 'aws-vault: error: login: Failed to get credentials: operation error STS: GetSessionToken, AccessDenied\n', 1);
    await assert.rejects(consoleSigninUrl(target, { awsVault: { run: denied.run, path: 'aws-vault' }, credentials }), /AccessDenied/);
  });

  it('falls back to the plain page, saying why', async () => {
    const none = await consoleSigninUrl(target, {});
    assert.deepEqual({ ...none, note: undefined }, { url: PAGE, signedIn: false, via: 'plain', note: undefined });
    const longTerm = await consoleSigninUrl(target, { credentials: async () => ({ accessKeyId: 'AKIAX', secretAccessKey: 's' }) });
    assert.match(longTerm.note ?? '', /long-term access keys/);
    const broken = await consoleSigninUrl(target, {
      credentials: async () => {
        throw new Error('Token https://x.example/?t=AWSOPSTESTSECRETabcdefABCDEF0123456789 expired');
      },
    });
    assert.equal(broken.via, 'plain');
    assert.ok(!broken.note?.includes('AWSOPSTESTSECRET'), broken.note);
  });

  it('needs a profile for aws-vault and temporary credentials for federation', async () => {
    const vault = vaultPrinting(LOGIN);
    await assert.rejects(consoleSigninUrl({ ...target, profile: undefined }, { awsVault: { run: vault.run, path: 'aws-vault' } }), /needs a profile/);
    assert.equal(vault.calls.length, 0);
    await assert.rejects(federatedLoginUrl({ accessKeyId: 'a', secretAccessKey: 'b' }, PAGE, 'eu-west-1'), /temporary credentials/);
  });
});
