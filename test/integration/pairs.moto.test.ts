import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  RunInstancesCommand,
  StopInstancesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { prepareFailover, runFailover } from '../../src/core/failover/failover';
import { requestForPair, type FailoverRequest } from '../../src/core/failover/plan';
import { buildPairs } from '../../src/core/pairs/pairs';
import { checkServices } from '../../src/core/pairs/serviceCheck';
import { describeStatuses } from '../../src/core/pairs/status';
import { SessionPool } from '../../src/core/session/pool';
import type { AwsSession } from '../../src/core/session/session';
import { buildSnapshot } from '../../src/core/vip/snapshot';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { MOTO_CREDENTIALS, startMoto, type Moto } from '../support/moto';
import { AMI, seedPairWorld } from '../support/pairWorld';

describe('HAProxy pairs against moto', () => {
  let moto: Moto;
  let proxy: FaultProxy;
  let pool: SessionPool;
  let session: AwsSession;
  let ec2: EC2Client;

  before(async () => {
    moto = await startMoto();
    proxy = await startFaultProxy({ target: moto.url });
    pool = new SessionPool(() => undefined, () => ({ override: async () => MOTO_CREDENTIALS }));
    session = pool.get({ region: 'us-east-1', endpointUrl: proxy.url });
    ec2 = pool.get({ region: 'us-east-1', endpointUrl: moto.url }).client('ec2');
  });
  after(async () => {
    pool.clear();
    await proxy.stop();
    await moto.stop();
  });
  beforeEach(async () => {
    await moto.reset();
    proxy.resetCounts();
  });

  /** A snapshot as discovery builds it, but describing every instance so the BACKUP node (no route names it) is in it. */
  async function fullSnapshot() {
    const [vpcs, routeTables, subnets, instances, networkInterfaces] = await Promise.all([
      ec2.send(new DescribeVpcsCommand({})).then((r) => r.Vpcs ?? []),
      ec2.send(new DescribeRouteTablesCommand({})).then((r) => r.RouteTables ?? []),
      ec2.send(new DescribeSubnetsCommand({})).then((r) => r.Subnets ?? []),
      ec2.send(new DescribeInstancesCommand({})).then((r) => (r.Reservations ?? []).flatMap((x) => x.Instances ?? [])),
      ec2.send(new DescribeNetworkInterfacesCommand({})).then((r) => r.NetworkInterfaces ?? []),
    ]);
    return buildSnapshot({ region: 'us-east-1', vpcs, routeTables, subnets, instances, networkInterfaces });
  }

  it('batches DescribeInstanceStatus by 100 with stopped instances included and vanished ids left out', async () => {
    const run = await ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 150, MaxCount: 150 }));
    const ids = (run.Instances ?? []).map((i) => i.InstanceId as string);
    await ec2.send(new StopInstancesCommand({ InstanceIds: ids.slice(0, 3) }));
    const statuses = await describeStatuses(session.client('ec2'), [...ids, 'i-0123456789abcdef0']);
    assert.equal(Object.keys(statuses).length, 150);
    assert.deepEqual(statuses[ids[0]], { state: 'stopped', system: 'not-applicable', instance: 'not-applicable' });
    assert.deepEqual(statuses[ids[149]], { state: 'running', system: 'ok', instance: 'ok' });
    assert.ok((proxy.counts().DescribeInstanceStatus ?? 0) <= 3, JSON.stringify(proxy.counts()));
  });

  it('builds the pair with roles and flags, and the roles swap after a failover', async () => {
    const world = await seedPairWorld(ec2, { tables: 3, kind: 'eni', name: 'edge' });
    const statuses = await describeStatuses(session.client('ec2'), [world.nodeA, world.nodeB]);
    const [pair] = buildPairs(await fullSnapshot(), 'awsops:pair', statuses);
    assert.equal(pair.name, 'edge');
    assert.deepEqual(pair.nodes.map((n) => [n.instance.instanceId, n.role]), [[world.nodeA, 'MASTER'], [world.nodeB, 'BACKUP']].sort());
    assert.deepEqual(pair.vips.map((v) => [v.cidr, v.routes.length]), [[world.cidr, 3]]);
    assert.deepEqual(pair.flags, []);
    assert.equal(pair.nodes[0].instance.sourceDestCheck, false);

    const request = requestForPair(pair) as FailoverRequest;
    assert.equal(request.toInstanceId, world.nodeB);
    assert.equal((await runFailover(session, await prepareFailover(session, request))).result, 'moved');
    const [after] = buildPairs(await fullSnapshot(), 'awsops:pair', statuses);
    assert.equal(after.masterInstanceId, world.nodeB);
  });

  it('flags both nodes in one AZ', async () => {
    await seedPairWorld(ec2, { tables: 1, kind: 'instance', sameAz: true });
    const [pair] = buildPairs(await fullSnapshot(), 'awsops:pair', {});
    assert.deepEqual(pair.flags.map((f) => f.kind), ['same-az']);
  });

  it('the service check reports "unknown" for both nodes where SSM returns no output (moto), with one SendCommand', async () => {
    const world = await seedPairWorld(ec2, { tables: 1, kind: 'instance' });
    const reports = await checkServices(session.client('ssm'), [world.nodeA, world.nodeB], { pollMs: 50, timeoutMs: 5000 });
    assert.deepEqual(reports.map((r) => [r.instanceId, r.keepalived, r.haproxy, r.vrrpState, r.backends]), [
      [world.nodeA, 'unknown', 'unknown', 'unknown', undefined],
      [world.nodeB, 'unknown', 'unknown', 'unknown', undefined],
    ]);
    assert.ok(reports.every((r) => /no check output/.test(r.note ?? '')));
    assert.equal(proxy.counts().SendCommand, 1);
  });
});
