import { GetFederationTokenCommand } from '@aws-sdk/client-sts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConsoleError } from '../../../../src/core/console/errors';
import { resourceConsoleUrl } from '../../../../src/core/console/deepLinks';
import { consoleSigninUrl } from '../../../../src/core/console/signin';
import { startFederationStandIn, type FederationStandIn } from '../../../support/federationStandIn';
import { TEST_SECRET_MARK } from '../../../support/fakeAwsVault';
import { freePort, motoPool } from '../../../support/moto';
import { useMoto } from '../../../support/useMoto';

const REGION = 'eu-west-1';
const ALLOW_ALL = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });

describe('console federation with temporary credentials (moto STS + stand-in endpoint)', () => {
  const moto = useMoto({ reset: false });
  let standIn: FederationStandIn;
  const log: string[] = [];
  const secrets: string[] = [];
  const pool = motoPool((record) => log.push(JSON.stringify(record)));

  before(async () => {
    standIn = await startFederationStandIn();
  });
  after(async () => {
    pool.clear();
    await standIn.stop();
    for (const line of log) {
      for (const secret of [TEST_SECRET_MARK, 'SigninToken=', ...secrets]) assert.ok(!line.includes(secret), `leaked: ${line}`);
    }
  });

  async function federationToken() {
    const sts = pool.get({ region: REGION, endpointUrl: moto.url }).client('sts');
    const { Credentials } = await sts.send(new GetFederationTokenCommand({ Name: 'aws-ops-console', Policy: ALLOW_ALL }));
    assert.ok(Credentials?.AccessKeyId && Credentials.SecretAccessKey && Credentials.SessionToken);
    secrets.push(Credentials.SecretAccessKey, Credentials.SessionToken);
    return {
      accessKeyId: Credentials.AccessKeyId,
      secretAccessKey: Credentials.SecretAccessKey,
      sessionToken: Credentials.SessionToken,
      expiration: Credentials.Expiration,
    };
  }

  it('turns GetFederationToken credentials into a login URL for a deep link', async () => {
    const credentials = await federationToken();
    const page = resourceConsoleUrl({ kind: 'route-table', id: 'rtb-0123456789abcdef0' }, REGION);
    standIn.requests.length = 0;
    const started = performance.now();
    const result = await consoleSigninUrl(
      { destination: page, region: REGION, profile: 'federated' },
      { credentials: async () => credentials, federation: { endpoint: standIn.url } },
    );
    log.push(`console opened via ${result.via} in ${Math.round(performance.now() - started)} ms`);
    assert.equal(result.via, 'federation');
    assert.equal(result.signedIn, true);
    assert.deepEqual(standIn.requests, [{ action: 'getSigninToken', sessionId: credentials.accessKeyId, hadSessionToken: true }]);
    const url = new URL(result.url);
    assert.equal(`${url.origin}${url.pathname}`, standIn.url);
    assert.equal(url.searchParams.get('Action'), 'login');
    assert.equal(url.searchParams.get('Issuer'), 'aws-ops');
    assert.equal(url.searchParams.get('Destination'), page);
    assert.ok(url.searchParams.get('SigninToken')?.startsWith(TEST_SECRET_MARK));
  });

  it('explains a refusal, garbage or a hang without quoting the endpoint\'s answer', async () => {
    const credentials = await federationToken();
    const target = { destination: resourceConsoleUrl({ kind: 'vpc', id: 'vpc-1a2b3c4d' }, REGION), region: REGION };
    const attempt = (timeoutMs = 5000) =>
      consoleSigninUrl(target, { credentials: async () => credentials, federation: { endpoint: standIn.url, timeoutMs } });
    const cases: Array<[FederationStandIn['mode'], RegExp, number?]> = [
      ['refuse', /refused the temporary credentials \(HTTP 400\)/],
      ['garbage', /answered without a SigninToken/],
      ['hang', /could not be reached \(timed out\)/, 500],
    ];
    for (const [mode, expected, timeoutMs] of cases) {
      standIn.mode = mode;
      const error = await attempt(timeoutMs).then(
        () => assert.fail(`${mode}: expected a failure`),
        (e: unknown) => e,
      );
      assert.ok(error instanceof ConsoleError && error.reason === 'federation', String(error));
      assert.match(error.message, expected);
      log.push(error.message);
    }
    standIn.mode = 'ok';
  });

  it('says so when the endpoint cannot be reached at all', async () => {
    const credentials = await federationToken();
    const closedPort = await freePort();
    const error = await consoleSigninUrl(
      { destination: resourceConsoleUrl({ kind: 'instance', id: 'i-0123456789abcdef0' }, REGION), region: REGION },
      { credentials: async () => credentials, federation: { endpoint: `http://127.0.0.1:${closedPort}/federation` } },
    ).then(
      () => assert.fail('expected a failure'),
      (e: Error) => e,
    );
    assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${closedPort} could not be reached \\(ECONNREFUSED\\)`));
    log.push(error.message);
  });
});
