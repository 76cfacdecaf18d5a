import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FleetOutcome } from '../../../../src/core/fleet/run';
import { runFleet } from '../../../../src/core/fleet/run';
import { sdkFleetDeps } from '../../../../src/core/fleet/sdkDeps';
import { fleetTargets } from '../../../../src/core/fleet/targets';
import { SessionPool } from '../../../../src/core/session/pool';
import { listProfiles } from '../../../../src/core/session/profiles';
import { AwsSession } from '../../../../src/core/session/session';
import { discoverRegion } from '../../../../src/core/vip/discovery';
import type { RegionSnapshot } from '../../../../src/core/vip/model';
import { setEnv } from '../../../support/env';
import { startFaultProxy, type FaultProxy } from '../../../support/faultProxy';
import { useMoto } from '../../../support/useMoto';
import { seedVipWorld } from '../../../support/seedVipWorld';

const REGION = 'eu-west-1';
const BROKEN_ROLE = 'arn:aws:iam::333333333333:role/missing';

/** role_arn + source_profile profiles, as aws-vault / SSO users have them; moto gives each account its own state. */
const CONFIG = `
[profile base]
region = ${REGION}
[profile prod-a]
role_arn = arn:aws:iam::111111111111:role/ops
source_profile = base
[profile prod-a-admin]
role_arn = arn:aws:iam::111111111111:role/admin
source_profile = base
[profile prod-b]
role_arn = arn:aws:iam::222222222222:role/ops
source_profile = base
[profile prod-broken]
role_arn = ${BROKEN_ROLE}
source_profile = base
[profile dev]
role_arn = arn:aws:iam::444444444444:role/ops
source_profile = base
`;

describe('fleet over several profiles on moto', () => {
  const moto = useMoto();
  let proxy: FaultProxy;
  let restore: () => void;
  let dir: string;

  before(async () => {
    // moto assumes any role; IAM would refuse a role that does not exist, so the proxy does for this one.
    proxy = await startFaultProxy({
      target: moto.url,
      deny: (action, body) => (action === 'AssumeRole' && body.includes(encodeURIComponent(BROKEN_ROLE)) ? `User: arn:aws:iam::123456789012:user/base is not authorized to perform: sts:AssumeRole on resource: ${BROKEN_ROLE}` : undefined),
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-'));
    fs.writeFileSync(path.join(dir, 'config'), CONFIG);
    fs.writeFileSync(path.join(dir, 'credentials'), '[base]\naws_access_key_id = testing\naws_secret_access_key = testing\n');
    restore = setEnv({ AWS_CONFIG_FILE: path.join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'), AWS_ENDPOINT_URL: proxy.url, AWS_REGION: REGION });
  });
  after(async () => {
    restore();
    await proxy.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows each account of prod-* once, with its own VIPs, and the broken role as an error row that names it', async () => {
    const pool = new SessionPool(() => undefined);
    const deps = sdkFleetDeps({ region: REGION, endpointUrl: proxy.url, profileNames: async () => (await listProfiles()).map((p) => p.name), credentials: (p) => pool.credentials(p) });
    const session = (credentials: ReturnType<typeof pool.credentials>) => new AwsSession({ region: REGION, endpointUrl: proxy.url }, credentials, () => undefined);
    await seedVipWorld(session(pool.credentials('prod-a')), { name: 'a-world' });
    await seedVipWorld(session(pool.credentials('prod-b')), { name: 'b-world' });

    const targets = await fleetTargets({ kind: 'profiles', patterns: ['prod-*'] }, deps);
    assert.deepEqual(targets.map((t) => t.label), ['prod-a', 'prod-a-admin', 'prod-b', 'prod-broken']);
    const outcomes: Array<FleetOutcome<RegionSnapshot>> = [];
    await runFleet(targets, (account) => discoverRegion(session(account.credentials)), {
      regions: [REGION], concurrency: 8, accountTimeoutMs: 30_000, identify: (target, signal) => deps.accountOf(target.credentials, signal),
    }, (outcome) => outcomes.push(outcome));

    const accounts = outcomes.flatMap((o) => (o.kind === 'account' ? [o.account] : []));
    assert.deepEqual(accounts.map((a) => a.accountId).sort(), ['111111111111', '222222222222']);
    const shared = accounts.find((a) => a.accountId === '111111111111');
    assert.equal(shared?.alsoReachedBy.length, 1, 'the second profile into 111111111111 is named, not shown again');
    const worlds = outcomes.flatMap((o) => (o.kind === 'account' ? [[o.account.accountId, o.regions[0].result?.vpcs.map((v) => v.name).filter((n) => n?.endsWith('world'))]] : []));
    assert.deepEqual(Object.fromEntries(worlds), { '111111111111': ['a-world'], '222222222222': ['b-world'] });
    const failed = outcomes.find((o) => o.kind === 'failed');
    assert.ok(failed?.kind === 'failed');
    assert.equal(failed.target.label, 'prod-broken');
    assert.equal(failed.problem.kind, 'bad-role');
    assert.match(failed.problem.fix, /arn:aws:iam::333333333333:role\/missing/);
  });
});
