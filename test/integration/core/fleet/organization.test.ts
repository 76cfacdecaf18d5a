import { CreateAccountCommand, CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FleetOutcome } from '../../../../src/core/fleet/run';
import { runFleet } from '../../../../src/core/fleet/run';
import { sdkFleetDeps } from '../../../../src/core/fleet/sdkDeps';
import { fleetTargets } from '../../../../src/core/fleet/targets';
import type { FleetAccount } from '../../../../src/core/fleet/model';
import { AwsSession } from '../../../../src/core/session/session';
import { discoverRegion } from '../../../../src/core/vip/discovery';
import type { RegionSnapshot } from '../../../../src/core/vip/model';
import { startFaultProxy } from '../../../support/faultProxy';
import { MOTO_CREDENTIALS } from '../../../support/moto';
import { useMoto } from '../../../support/useMoto';
import { seedVipWorld } from '../../../support/seedVipWorld';

const REGION = 'eu-west-1';
const ROLE = 'OrganizationAccountAccessRole';
const management = async () => MOTO_CREDENTIALS;

describe('fleet over an AWS Organization on moto', () => {
  const moto = useMoto();

  async function organization(names: string[]): Promise<string[]> {
    const org = new OrganizationsClient({ region: REGION, endpoint: moto.url, credentials: MOTO_CREDENTIALS });
    await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const ids: string[] = [];
    for (const name of names) {
      const created = await org.send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }));
      ids.push(created.CreateAccountStatus?.AccountId ?? '');
    }
    return ids;
  }

  it('lists the members, assumes the role in each and shows each account its own VIPs; a member whose role is refused fails alone', async (t) => {
    const ids = await organization(['prod', 'staging', 'dev', 'sandbox']);
    // moto assumes any role; IAM refuses one a member account does not have, so the proxy does for the sandbox.
    const refused = `arn:aws:iam::${ids[3]}:role/${ROLE}`;
    const proxy = await startFaultProxy({
      target: moto.url,
      deny: (action, body) => (action === 'AssumeRole' && body.includes(encodeURIComponent(refused)) ? `User: arn:aws:iam::123456789012:user/mgmt is not authorized to perform: sts:AssumeRole on resource: ${refused}` : undefined),
    });
    t.after(() => proxy.stop());
    const deps = () => sdkFleetDeps({ region: REGION, endpointUrl: proxy.url, profileNames: async () => ['mgmt'], credentials: () => management });
    const session = (account: Pick<FleetAccount, 'credentials'>) => new AwsSession({ region: REGION, endpointUrl: proxy.url }, account.credentials, () => undefined);
    const targets = await fleetTargets({ kind: 'organization', profile: 'mgmt', roleName: ROLE }, deps());
    const members = targets.filter((target) => target.roleArn);
    assert.deepEqual(members.map((m) => m.label).sort(), ['dev', 'prod', 'sandbox', 'staging']);
    assert.deepEqual(members.map((m) => m.roleArn).sort(), ids.map((id) => `arn:aws:iam::${id}:role/${ROLE}`).sort());
    assert.equal(targets.length, 5, 'the management account is reached with its own profile, without a role');
    // Worlds with different names in two members: each account must see only its own.
    await seedVipWorld(session(members.find((m) => m.label === 'prod') as FleetAccount), { name: 'prod-world' });
    await seedVipWorld(session(members.find((m) => m.label === 'staging') as FleetAccount), { name: 'staging-world' });

    const outcomes: Array<FleetOutcome<RegionSnapshot>> = [];
    const progress: string[] = [];
    const summary = await runFleet(targets, (account) => discoverRegion(session(account)), {
      regions: [REGION], concurrency: 4, accountTimeoutMs: 30_000, identify: () => Promise.reject(new Error('org targets know their account')),
    }, (outcome, p) => {
      outcomes.push(outcome);
      progress.push(`${p.answered} of ${p.total}`);
    });
    assert.equal(summary.answered, targets.length, 'the refused member counts as answered: with its error');
    assert.equal(progress.at(-1), `${targets.length} of ${targets.length}`);
    const vpcNames = (label: string) => {
      const outcome = outcomes.find((o) => o.kind === 'account' && o.account.label === label);
      assert.ok(outcome?.kind === 'account', `${label} answered`);
      return outcome.regions[0].result?.vpcs.map((v) => v.name).filter((n) => n?.endsWith('world'));
    };
    assert.deepEqual(vpcNames('prod'), ['prod-world']);
    assert.deepEqual(vpcNames('staging'), ['staging-world']);
    assert.deepEqual(vpcNames('dev'), []);
    const failed = outcomes.filter((o) => o.kind === 'failed');
    assert.equal(failed.length, 1);
    assert.ok(failed[0].kind === 'failed');
    assert.equal(failed[0].target.label, 'sandbox');
    assert.equal(failed[0].problem.kind, 'bad-role');
    assert.match(failed[0].problem.fix, new RegExp(refused.replace(/[/:]/g, '\\$&')));
  });
});
