import assert from 'node:assert/strict';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { after, before, describe, it } from 'node:test';
import { serialisedMfa } from '../../../../src/core/fleet/mfa';
import { MfaSessions } from '../../../../src/core/session/mfaSessions';
import { startFaultProxy, type FaultProxy } from '../../../support/faultProxy';
import { MOTO_CREDENTIALS } from '../../../support/moto';
import { useMoto } from '../../../support/useMoto';

const DEVICE = 'arn:aws:iam::123456789012:mfa/ops';
const ROLES = ['111111111111', '222222222222', '333333333333'].map((account) => `arn:aws:iam::${account}:role/ops`);

describe('MFA sessions on moto: one code per device for a whole fleet of role profiles', () => {
  const moto = useMoto();
  let proxy: FaultProxy;
  const bodies: string[] = [];

  before(async () => {
    // The deny hook sees every request: it records what reached STS and lets it through.
    proxy = await startFaultProxy({ target: moto.url, deny: (action, body) => void bodies.push(`${action} ${body}`) });
  });
  after(() => proxy.stop());

  it('asks once, gets one MFA session, and assumes each role with it in its own account', async () => {
    const asked: string[] = [];
    const sessions = new MfaSessions(serialisedMfa(async (serial) => (asked.push(serial), '123456')));
    const sts = { region: 'eu-west-1', endpointUrl: proxy.url };
    const providers = ROLES.map((roleArn) => sessions.role({ roleArn, sourceProfile: 'base', mfaSerial: DEVICE }, async () => MOTO_CREDENTIALS, sts));
    const accounts = await Promise.all(providers.map(async (credentials) => {
      const client = new STSClient({ region: sts.region, endpoint: proxy.url, credentials });
      try {
        return (await client.send(new GetCallerIdentityCommand({}))).Account;
      } finally {
        client.destroy();
      }
    }));
    assert.deepEqual(accounts, ['111111111111', '222222222222', '333333333333']);
    assert.deepEqual(asked, [DEVICE], 'one prompt for the three profiles');
    assert.equal(proxy.counts().GetSessionToken, 1);
    assert.equal(proxy.counts().AssumeRole, 3);
    const getSession = bodies.find((b) => b.startsWith('GetSessionToken '));
    assert.match(getSession ?? '', new RegExp(`SerialNumber=${encodeURIComponent(DEVICE)}`));
    assert.match(getSession ?? '', /TokenCode=123456/);
    // AssumeRole goes out without a code: the session is MFA-authenticated already.
    assert.ok(bodies.filter((b) => b.startsWith('AssumeRole ')).every((b) => !/TokenCode/.test(b)));
  });

  it('asks again after a refused code, never reusing a failed prompt', async () => {
    let calls = 0;
    const sessions = new MfaSessions(async () => {
      calls++;
      if (calls === 1) throw new Error('cancelled');
      return '654321';
    });
    const provider = sessions.role({ roleArn: ROLES[0], sourceProfile: 'base', mfaSerial: DEVICE }, async () => MOTO_CREDENTIALS, { region: 'eu-west-1', endpointUrl: proxy.url });
    await assert.rejects(provider(), /cancelled/);
    const credentials = await provider();
    assert.ok(credentials.sessionToken);
    assert.equal(calls, 2);
  });
});
