import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redact } from '../../../../src/core/console/redact';

const TOKEN = 'AWSOPSTESTSECRETq1w2E3r4T5y6U7i8O9p0AaSsDdFfGgHhJjKkLl-_zz';
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('redact', () => {
  it('drops the query and fragment of URLs but keeps where they point', () => {
    const text = `open https://signin.aws.amazon.com/federation?Action=login&SigninToken=${TOKEN} now`;
    assert.equal(redact(text), 'open https://signin.aws.amazon.com/federation?[redacted] now');
    assert.equal(redact('see https://github.com/99designs/aws-vault.'), 'see https://github.com/99designs/aws-vault.');
  });

  it('scrubs secret-named values in key=value, env and JSON forms', () => {
    assert.equal(redact(`SigninToken=${TOKEN}&x=1`), 'SigninToken=[redacted]&x=1');
    assert.equal(redact(`AWS_SECRET_ACCESS_KEY=${SECRET_KEY}`), 'AWS_SECRET_ACCESS_KEY=[redacted]');
    assert.equal(redact(`aws_session_token = abc`), 'aws_session_token = [redacted]');
    assert.equal(
      redact(`{"sessionId":"ASIAEXAMPLEEXAMPLE12","sessionKey":"${SECRET_KEY}","sessionToken":"${TOKEN}"}`),
      '{"sessionId":"[redacted]","sessionKey":"[redacted]","sessionToken":"[redacted]"}',
    );
    assert.equal(redact(`"SecretAccessKey": "${SECRET_KEY}"`), '"SecretAccessKey": "[redacted]"');
  });

  it('scrubs bare access key ids, secret keys and tokens', () => {
    assert.equal(redact('key AKIAIOSFODNN7EXAMPLE used'), 'key [access-key-id] used');
    assert.equal(redact(`bare ${SECRET_KEY} and ${TOKEN}`), 'bare [redacted] and [redacted]');
  });

  it('drops the command line of a failed child process (a failing credential_process)', () => {
    const sdk = 'Command failed: /opt/sso/get-creds --profile prod --password hunter2-SECRET\nerror: bad password';
    assert.equal(redact(sdk), 'Command failed: [command line redacted]\nerror: bad password');
    assert.equal(redact(`CredentialsProviderError: Command failed: vault read -field=x secret/aws`), 'CredentialsProviderError: Command failed: [command line redacted]');
  });

  it('scrubs the values of secret-named flags, in every spelling', () => {
    const cases: Array<[string, string]> = [
      ['run --password hunter2 now', 'run --password [redacted] now'],
      ['run --token=t0k3n now', 'run --token=[redacted] now'],
      ['run --secret "two words" now', 'run --secret [redacted] now'],
      ["run --api-key 'k3y' now", 'run --api-key [redacted] now'],
      ['run --apikey=k3y --client-secret s3cr3t', 'run --apikey=[redacted] --client-secret [redacted]'],
      ['run -password hunter2', 'run -password [redacted]'],
      ['run --mfa-token 123456 --session-token=abc', 'run --mfa-token [redacted] --session-token=[redacted]'],
      ['API_KEY=k3y PASSWD=pw', 'API_KEY=[redacted] PASSWD=[redacted]'],
      ['{"apiKey": "k3y", "password":"pw"}', '{"apiKey": "[redacted]", "password":"[redacted]"}'],
    ];
    for (const [text, expected] of cases) assert.equal(redact(text), expected, text);
  });

  it('is stable when applied twice, also to a message built around redacted text', () => {
    const once = redact(`Command failed: x --password y; --token=z AWS_SESSION_TOKEN=${TOKEN}`);
    assert.equal(redact(once), once);
    const composed = `i-0123: ${redact('Command failed: x --password y')} Pick another profile.`;
    assert.equal(redact(composed), 'i-0123: Command failed: [command line redacted] Pick another profile.');
  });

  it('leaves ordinary messages, ids and ARNs alone', () => {
    const plain =
      'aws-vault: error: login: profile dev: credentials missing; route rtb-0123456789abcdef0 i-0123456789abcdef0 ' +
      'arn:aws:cloudformation:eu-west-1:123456789012:stack/haproxy-pair/b32ba610-2941-11ef-9062-061f906d3db3';
    assert.equal(redact(plain), plain);
    assert.equal(redact('Failed to get credentials: EOF'), 'Failed to get credentials: EOF');
    assert.equal(redact('a non-token value, x-amz-security-token missing, --no-session'), 'a non-token value, x-amz-security-token missing, --no-session');
  });
});
