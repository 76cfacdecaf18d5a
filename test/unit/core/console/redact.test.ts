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

  it('leaves ordinary messages, ids and ARNs alone', () => {
    const plain =
      'aws-vault: error: login: profile dev: credentials missing; route rtb-0123456789abcdef0 i-0123456789abcdef0 ' +
      'arn:aws:cloudformation:eu-west-1:123456789012:stack/haproxy-pair/b32ba610-2941-11ef-9062-061f906d3db3';
    assert.equal(redact(plain), plain);
    assert.equal(redact('Failed to get credentials: EOF'), 'Failed to get credentials: EOF');
  });
});
