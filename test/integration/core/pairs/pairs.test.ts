import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  RunInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { prepareFailover, runFailover } from '../../../../src/core/failover/failover';
import { requestForPair, type FailoverRequest } from '../../../../src/core/failover/plan';
import { buildPairs } from '../../../../src/core/pairs/pairs';
import { checkServices } from '../../../../src/core/pairs/serviceCheck';
import { describeStatuses } from '../../../../src/core/pairs/status';
import { buildSnapshot } from '../../../../src/core/vip/snapshot';
import { AMI, seedPairWorld } from '../../../support/pairWorld';
import { useProxiedMoto } from '../../../support/useMoto';

describe('HAProxy pairs against moto', () => {
  // The product's calls go through the proxy so they can be counted; seeding and the truth read go direct.
  const aws = useProxiedMoto();

  /** A snapshot as discovery builds it, but describing every instance so the BACKUP node (no route names it) is in it. */
  async function fullSnapshot() {
    const [vpcs, routeTables, subnets, instances, networkInterfaces] = await Promise.all([
      aws.ec2.send(new DescribeVpcsCommand({})).then((r) => r.Vpcs ?? []),
      aws.ec2.send(new DescribeRouteTablesCommand({})).then((r) => r.RouteTables ?? []),
      aws.ec2.send(new DescribeSubnetsCommand({})).then((r) => r.Subnets ?? []),
      aws.ec2.send(new DescribeInstancesCommand({})).then((r) => (r.Reservations ?? []).flatMap((x) => x.Instances ?? [])),
      aws.ec2.send(new DescribeNetworkInterfacesCommand({})).then((r) => r.NetworkInterfaces ?? []),
    ]);
    return buildSnapshot({ region: 'us-east-1', vpcs, routeTables, subnets, instances, networkInterfaces });
  }

  it('batches DescribeInstanceStatus by 100 with stopped instances included and vanished ids left out', async () => {
    const run = await aws.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 150, MaxCount: 150 }));
    const ids = (run.Instances ?? []).map((i) => i.InstanceId as string);
    await aws.ec2.send(new StopInstancesCommand({ InstanceIds: ids.slice(0, 3) }));
    const statuses = await describeStatuses(aws.session.client('ec2'), [...ids, 'i-0123456789abcdef0']);
    assert.equal(Object.keys(statuses).length, 150);
    assert.deepEqual(statuses[ids[0]], { state: 'stopped', system: 'not-applicable', instance: 'not-applicable' });
    assert.deepEqual(statuses[ids[149]], { state: 'running', system: 'ok', instance: 'ok' });
    assert.ok((aws.proxy.counts().DescribeInstanceStatus ?? 0) <= 3, JSON.stringify(aws.proxy.counts()));
  });

  it('builds the pair with roles and flags, and the roles swap after a failover', async () => {
    const world = await seedPairWorld(aws.ec2, { tables: 3, kind: 'eni', name: 'edge' });
    const statuses = await describeStatuses(aws.session.client('ec2'), [world.nodeA, world.nodeB]);
    const [pair] = buildPairs(await fullSnapshot(), 'awsops:pair', statuses);
    assert.equal(pair.name, 'edge');
    assert.deepEqual(pair.nodes.map((n) => [n.instance.instanceId, n.role]), [[world.nodeA, 'MASTER'], [world.nodeB, 'BACKUP']].sort());
    assert.deepEqual(pair.vips.map((v) => [v.cidr, v.routes.length]), [[world.cidr, 3]]);
    assert.deepEqual(pair.flags, []);
    assert.equal(pair.nodes[0].instance.sourceDestCheck, false);

    const request = requestForPair(pair) as FailoverRequest;
    assert.equal(request.toInstanceId, world.nodeB);
    assert.equal((await runFailover(aws.session, await prepareFailover(aws.session, request))).result, 'moved');
    const [after] = buildPairs(await fullSnapshot(), 'awsops:pair', statuses);
    assert.equal(after.masterInstanceId, world.nodeB);
  });

  it('flags both nodes in one AZ', async () => {
    await seedPairWorld(aws.ec2, { tables: 1, kind: 'instance', sameAz: true });
    const [pair] = buildPairs(await fullSnapshot(), 'awsops:pair', {});
    assert.deepEqual(pair.flags.map((f) => f.kind), ['same-az']);
  });

  it('the service check reports "unknown" for both nodes where SSM returns no output (moto), with one SendCommand', async () => {
    const world = await seedPairWorld(aws.ec2, { tables: 1, kind: 'instance' });
    const reports = await checkServices(aws.session.client('ssm'), [world.nodeA, world.nodeB], { pollMs: 50, timeoutMs: 5000 });
    assert.deepEqual(reports.map((r) => [r.instanceId, r.keepalived, r.haproxy, r.vrrpState, r.backends]), [
      [world.nodeA, 'unknown', 'unknown', 'unknown', undefined],
      [world.nodeB, 'unknown', 'unknown', 'unknown', undefined],
    ]);
    assert.ok(reports.every((r) => /no check output/.test(r.note ?? '')));
    assert.equal(aws.proxy.counts().SendCommand, 1);
  });
});
