import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeAddressesCommand, ReplaceRouteCommand, RunInstancesCommand, AssociateAddressCommand } from '@aws-sdk/client-ec2';
import { prepareFailover, runFailover } from '../../../../src/core/failover/failover';
import { requestForPair, type FailoverRequest } from '../../../../src/core/failover/plan';
import { formatPlan, formatReport } from '../../../../src/core/failover/report';
import { buildPairs } from '../../../../src/core/pairs/pairs';
import { discoverRegion } from '../../../../src/core/vip/discovery';
import { AMI, seedPairWorld, vipTargets } from '../../../support/pairWorld';
import { allocateElasticIp, makeNodeSubnetsPublic } from '../../../support/publicPair';
import { testReads } from '../../../support/testReads';
import { useProxiedMoto } from '../../../support/useMoto';

const TAG = 'awsops:pair';
const READS = testReads(0);

describe('failover of a pair with an Elastic IP and route VIPs, on moto', () => {
  const aws = useProxiedMoto();
  /**
   * Where moto says the address is associated (read straight from moto, not through the product). moto leaves
   * InstanceId empty for an association made by ENI (real EC2 fills it in): the ENI names the node then.
   */
  const holder = async (allocationId: string, world?: { nodeA: string; nodeB: string; eniA: string; eniB: string }) => {
    const address = (await aws.ec2.send(new DescribeAddressesCommand({ AllocationIds: [allocationId] }))).Addresses?.[0];
    const byEni = world && { [world.eniA]: world.nodeA, [world.eniB]: world.nodeB }[address?.NetworkInterfaceId ?? ''];
    return address?.InstanceId || byEni;
  };
  const seed = async (name: string) => {
    const world = await seedPairWorld(aws.ec2, { tables: 2, kind: 'eni', name });
    await makeNodeSubnetsPublic(aws.ec2, world.vpcId);
    const eip = await allocateElasticIp(aws.ec2, { Name: `${name}-public` }, world.nodeA);
    const pair = buildPairs(await discoverRegion(aws.session, { pairTagKey: TAG }), TAG, {}).find((p) => p.name === name);
    return { world, eip, request: requestForPair(pair as NonNullable<typeof pair>) as FailoverRequest };
  };

  it('moves the Elastic IP and every route to the peer, each verified, and says so in the plan and the report', async () => {
    const { world, eip, request } = await seed('eip-move');
    assert.deepEqual(request.allocationIds, [eip.allocationId]);
    const prepared = await prepareFailover(aws.session, request);
    const plan = formatPlan(prepared.plan, prepared.checks).join('\n');
    assert.match(plan, new RegExp(`Elastic IP ${eip.publicIp.replace(/\./g, '\\.')} \\(${eip.allocationId}\\): ${world.nodeA} via ${world.eniA} .* → ${world.nodeB} via ${world.eniB}`));
    assert.match(plan, /✓ The Elastic IP\(s\) .* can move to/);
    const report = await runFailover(aws.session, prepared, { reads: READS });
    const text = formatReport(report).join('\n');
    assert.equal(report.result, 'moved', text);
    assert.equal(await holder(eip.allocationId, world), world.nodeB);
    assert.deepEqual(Object.values(await vipTargets(aws.ec2, world.vpcId, world.cidr)).filter((t) => t !== 'none'), [world.eniB, world.eniB]);
    assert.deepEqual(report.addresses?.map((a) => [a.allocationId, a.outcome, a.verified]), [[eip.allocationId, 'moved', true]]);
    assert.match(text, /1 Elastic IP\(s\) are on/);
  });

  it('moves no route when the Elastic IP was taken by someone else after planning, and says by whom', async () => {
    const { world, eip, request } = await seed('eip-taken');
    const prepared = await prepareFailover(aws.session, request);
    const stranger = (await aws.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1 }))).Instances?.[0]?.InstanceId as string;
    await aws.ec2.send(new AssociateAddressCommand({ AllocationId: eip.allocationId, InstanceId: stranger, AllowReassociation: true }));
    const report = await runFailover(aws.session, prepared, { reads: READS });
    const text = formatReport(report).join('\n');
    assert.notEqual(report.result, 'moved', text);
    assert.match(text, new RegExp(`could not move: changed by someone else: now on ${stranger}`));
    assert.equal(await holder(eip.allocationId), stranger, 'the third party keeps it');
    assert.deepEqual(Object.values(await vipTargets(aws.ec2, world.vpcId, world.cidr)).filter((t) => t !== 'none'), [world.eniA, world.eniA], 'no route moved');
  });

  it('puts the Elastic IP back when the routes fail and roll back, so both kinds stay on one node', async () => {
    const { world, eip, request } = await seed('eip-back');
    const prepared = await prepareFailover(aws.session, request);
    // A third party points one table elsewhere after planning: that route write is refused, the routes roll back.
    const stranger = (await aws.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1 }))).Instances?.[0]?.InstanceId as string;
    await aws.ec2.send(new ReplaceRouteCommand({ RouteTableId: world.routeTableIds[1], DestinationCidrBlock: world.cidr, InstanceId: stranger }));
    const report = await runFailover(aws.session, prepared, { reads: READS, concurrency: 1 });
    const text = formatReport(report).join('\n');
    assert.equal(report.result, 'rolled-back', text);
    assert.equal(await holder(eip.allocationId, world), world.nodeA, 'the Elastic IP is back on node A');
    assert.deepEqual(report.addresses?.map((a) => [a.outcome, a.verified]), [['rolled-back', true]], text);
    assert.match(text, /The Elastic IPs were put back with the routes/);
  });

  it('verifies through stale reads: DescribeAddresses and DescribeRouteTables show the old holder for a while after each write', async () => {
    const { world, eip, request } = await seed('eip-stale');
    aws.proxy.setStale({ minMs: 200, maxMs: 400 });
    try {
      const report = await runFailover(aws.session, await prepareFailover(aws.session, request), { reads: testReads(400) });
      const text = formatReport(report).join('\n');
      assert.equal(report.result, 'moved', text);
      assert.deepEqual(report.addresses?.map((a) => [a.outcome, a.verified]), [['moved', true]], text);
      assert.equal(await holder(eip.allocationId, world), world.nodeB);
      assert.ok(aws.proxy.staleAnswers() >= 2, `stale answers were really served (${aws.proxy.staleAnswers()})`);
      assert.ok((aws.proxy.counts().DescribeAddresses ?? 0) >= 3, JSON.stringify(aws.proxy.counts()));
    } finally {
      aws.proxy.setStale(undefined);
    }
  });
});
