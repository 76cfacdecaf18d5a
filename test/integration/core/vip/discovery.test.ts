import {
  AssociateRouteTableCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  ReplaceRouteCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import type { CallRecord } from '../../../../src/core/session/callLog';
import { findIniProblems } from '../../../../src/core/session/iniLint';
import { SessionPool } from '../../../../src/core/session/pool';
import { discoverRegion, discoverRegions, whoAmI } from '../../../../src/core/vip/discovery';
import type { RegionSnapshot, VpcInfo } from '../../../../src/core/vip/model';
import { targetHintOf } from '../../../../src/core/vip/targetHints';
import { mapLimit } from '../../../support/concurrency';
import { setEnv } from '../../../support/env';
import { freePort, MOTO_CREDENTIALS, motoPool, startMoto } from '../../../support/moto';
import { useMoto } from '../../../support/useMoto';
import { seedVipWorld, WORLD_AMI, WORLD_DIAGNOSTICS, WORLD_VIPS, type WorldVip } from '../../../support/seedVipWorld';

const REGION = 'eu-west-1';

describe('VIP discovery against moto', () => {
  const moto = useMoto();
  const calls: Array<CallRecord & { answered: number }> = [];
  const pool = motoPool((record) => calls.push({ ...record, answered: performance.now() }));
  const session = () => pool.get({ region: REGION, endpointUrl: moto.url });
  const vpcOf = (snapshot: RegionSnapshot, vpcId: string) => snapshot.vpcs.find((v) => v.vpcId === vpcId) as VpcInfo;
  const kindsByVip = (vpc: VpcInfo) => Object.fromEntries(vpc.vips.map((v) => [v.cidr, v.diagnostics.map((d) => d.kind)]));

  after(() => pool.clear());
  beforeEach(() => {
    calls.length = 0;
  });

  it('diagnoses every VIP of the seeded world exactly', async () => {
    const world = await seedVipWorld(session());
    const snapshot = await discoverRegion(session());
    const vpc = vpcOf(snapshot, world.vpcId);
    const expected = Object.fromEntries((Object.keys(WORLD_VIPS) as WorldVip[]).map((k) => [WORLD_VIPS[k], WORLD_DIAGNOSTICS[k]]));
    assert.deepEqual(kindsByVip(vpc), expected);
    assert.equal(vpc.name, 'vip-world');
    assert.deepEqual(vpc.cidrs, ['10.0.0.0/16']);
    // The default VPC is listed too, without VIPs.
    assert.equal(snapshot.vpcs.length, 2);

    const tables = Object.fromEntries(vpc.routeTables.map((t) => [t.routeTableId, t]));
    assert.deepEqual(world.routeTableIds.map((id) => [tables[id].name, tables[id].isMain, tables[id].subnetIds]),
      world.routeTableIds.map((_, i) => [`vip-world-rt-${i + 1}`, false, [world.subnetIds[i]]]));
    assert.deepEqual(tables[world.mainRouteTableId], { routeTableId: world.mainRouteTableId, name: undefined, isMain: true, ownerId: '123456789012', subnetIds: [] });

    const splitBrain = vpc.vips.find((v) => v.cidr === WORLD_VIPS.splitBrain);
    assert.deepEqual(splitBrain?.routes.map((r) => [r.routeTableName, r.target.instanceId, r.availabilityZones]), [
      ['vip-world-rt-1', world.instances.a, [`${REGION}a`]],
      ['vip-world-rt-2', world.instances.a, [`${REGION}b`]],
      ['vip-world-rt-3', world.instances.b, [`${REGION}a`]],
    ]);
    const eniVip = vpc.vips.find((v) => v.cidr === WORLD_VIPS.eni);
    assert.deepEqual(eniVip?.routes.map((r) => r.target), world.routeTableIds.map(() => ({ kind: 'eni', id: world.enis.bPrimary, eniId: world.enis.bPrimary, instanceId: world.instances.b })));

    const a = snapshot.instances[world.instances.a];
    assert.deepEqual({ ...a, privateIp: typeof a.privateIp }, {
      instanceId: world.instances.a,
      name: 'vip-world-haproxy-a',
      state: 'running',
      availabilityZone: `${REGION}a`,
      subnetId: world.subnetIds[0],
      vpcId: world.vpcId,
      privateIp: 'string',
      publicIp: undefined,
      instanceType: 't3.micro',
      sourceDestCheck: false,
      imdsv2Required: true,
      instanceProfileArn: world.instanceProfileArn,
      primaryEniId: world.enis.aPrimary,
      tags: { Name: 'vip-world-haproxy-a', 'awsops:pair': 'web' },
    });
    assert.equal(snapshot.instances[world.instances.stopped].state, 'stopped');
    assert.deepEqual(snapshot.enis[world.enis.aSecondary], {
      eniId: world.enis.aSecondary,
      status: 'in-use',
      attachedInstanceId: world.instances.a,
      sourceDestCheck: true,
      privateIp: snapshot.enis[world.enis.aSecondary].privateIp,
      subnetId: world.subnetIds[0],
      availabilityZone: `${REGION}a`,
    });
  });

  it('treats an ENI and its own instance as one node, and sees a newly served subnet as missing coverage', async () => {
    const world = await seedVipWorld(session());
    const ec2 = session().client('ec2');
    await ec2.send(new ReplaceRouteCommand({ RouteTableId: world.routeTableIds[2], DestinationCidrBlock: WORLD_VIPS.eni, InstanceId: world.instances.b }));
    assert.deepEqual(kindsByVip(vpcOf(await discoverRegion(session()), world.vpcId))[WORLD_VIPS.eni], []);

    // A subnet without an explicit association uses the main table, which carries no VIP.
    await ec2.send(new CreateSubnetCommand({ VpcId: world.vpcId, CidrBlock: '10.0.4.0/24', AvailabilityZone: `${REGION}b` }));
    const vpc = vpcOf(await discoverRegion(session()), world.vpcId);
    const healthy = vpc.vips.find((v) => v.cidr === WORLD_VIPS.healthy);
    assert.deepEqual(healthy?.diagnostics.map((d) => [d.kind, d.routeTableIds]), [['partial-coverage', [world.mainRouteTableId]]]);
  });

  it('groups VIPs by VPC and limits discovery to the asked VPCs; /128 routes are VIPs too', async () => {
    const first = await seedVipWorld(session());
    const second = await seedVipWorld(session(), { name: 'second' });
    const ec2 = session().client('ec2');
    const v6 = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16', AmazonProvidedIpv6CidrBlock: true }));
    const v6VpcId = v6.Vpc?.VpcId as string;
    const v6Block = v6.Vpc?.Ipv6CidrBlockAssociationSet?.[0]?.Ipv6CidrBlock as string;
    const table = await ec2.send(new CreateRouteTableCommand({ VpcId: v6VpcId }));
    const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: v6VpcId, CidrBlock: '10.9.1.0/24', AvailabilityZone: `${REGION}a` }));
    await ec2.send(new AssociateRouteTableCommand({ RouteTableId: table.RouteTable?.RouteTableId, SubnetId: subnet.Subnet?.SubnetId }));
    const node = await ec2.send(new RunInstancesCommand({ ImageId: WORLD_AMI, MinCount: 1, MaxCount: 1, SubnetId: subnet.Subnet?.SubnetId }));
    const inside = v6Block.replace(/::\/\d+$/, '::100/128');
    for (const DestinationIpv6CidrBlock of [inside, '2001:db8::100/128']) {
      await ec2.send(new CreateRouteCommand({ RouteTableId: table.RouteTable?.RouteTableId, DestinationIpv6CidrBlock, InstanceId: node.Instances?.[0]?.InstanceId }));
    }

    const all = await discoverRegion(session());
    assert.equal(vpcOf(all, first.vpcId).vips.length, 7);
    assert.equal(vpcOf(all, second.vpcId).vips.length, 7);
    assert.notEqual(vpcOf(all, first.vpcId).vips[0].routes[0].routeTableId, vpcOf(all, second.vpcId).vips[0].routes[0].routeTableId);
    // Instances keep source/dest check on by default, hence that diagnostic on both IPv6 VIPs.
    assert.deepEqual(kindsByVip(vpcOf(all, v6VpcId)), {
      [inside]: ['vip-inside-cidr', 'source-dest-check'],
      '2001:db8::100/128': ['source-dest-check'],
    });

    const only = await discoverRegion(session(), { vpcIds: [second.vpcId] });
    assert.deepEqual(only.vpcs.map((v) => v.vpcId), [second.vpcId]);
    assert.deepEqual(Object.keys(only.subnets).sort(), [...second.subnetIds].sort());
  });

  it('makes the same calls for 3 route tables as for 60 (calls grow with pages, not tables or instances)', async () => {
    const world = await seedVipWorld(session());
    const refreshCalls = async () => {
      calls.length = 0;
      await discoverRegion(session());
      return calls.map((c) => c.operation).sort();
    };
    const small = await refreshCalls();

    const ec2 = session().client('ec2');
    const run = await ec2.send(new RunInstancesCommand({ ImageId: WORLD_AMI, MinCount: 57, MaxCount: 57, SubnetId: world.subnetIds[0] }));
    const extra = (run.Instances ?? []).map((i) => i.InstanceId as string);
    await mapLimit(extra, 8, async (InstanceId, i) => {
      const table = await ec2.send(new CreateRouteTableCommand({ VpcId: world.vpcId }));
      await ec2.send(new CreateRouteCommand({ RouteTableId: table.RouteTable?.RouteTableId, DestinationCidrBlock: `192.168.60.${i + 1}/32`, InstanceId }));
    });
    const large = await refreshCalls();
    assert.equal(vpcOf(await discoverRegion(session()), world.vpcId).routeTables.length, 61);
    assert.deepEqual(small, ['DescribeInstances', 'DescribeNetworkInterfaces', 'DescribeRouteTables', 'DescribeSubnets', 'DescribeVpcs']);
    assert.deepEqual(large, small);
  });

  it('with pairTagKey also describes the pair nodes no VIP route names and reads the Elastic IPs (VPC filter honoured)', async () => {
    const world = await seedVipWorld(session());
    const other = await seedVipWorld(session(), { name: 'other' });
    const ec2 = session().client('ec2');
    const peer = await ec2.send(new RunInstancesCommand({
      ImageId: WORLD_AMI, MinCount: 1, MaxCount: 1, SubnetId: world.subnetIds[1],
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'awsops:pair', Value: 'edge' }, { Key: 'Name', Value: 'edge-b' }] }],
    }));
    const peerId = peer.Instances?.[0]?.InstanceId as string;

    assert.equal((await discoverRegion(session())).instances[peerId], undefined, 'without the option only route targets are described');
    calls.length = 0;
    const snapshot = await discoverRegion(session(), { vpcIds: [world.vpcId], pairTagKey: 'awsops:pair' });
    assert.deepEqual(calls.map((c) => c.operation).sort(), ['DescribeAddresses', 'DescribeInstances', 'DescribeInstances', 'DescribeNetworkInterfaces', 'DescribeRouteTables', 'DescribeSubnets', 'DescribeVpcs']);
    const found = snapshot.instances[peerId];
    assert.equal(found?.name, 'edge-b');
    assert.equal(found?.tags['awsops:pair'], 'edge');
    assert.equal(found?.primaryEniId, peer.Instances?.[0]?.NetworkInterfaces?.[0]?.NetworkInterfaceId);
    assert.ok(found.primaryEniId && snapshot.enis[found.primaryEniId]?.attachedInstanceId === peerId, 'the peer\'s ENI is known, so an ENI route to it resolves');
    // The route targets are still there (the untagged stopped node too); the other VPC's pair nodes are not.
    for (const id of Object.values(world.instances)) assert.ok(snapshot.instances[id], id);
    for (const id of [other.instances.a, other.instances.b]) assert.equal(snapshot.instances[id], undefined, id);
  });

  describe('with the targets the routes named last time (a hint)', () => {
    const TAG = 'awsops:pair';
    /** `run`'s calls, each with when it was sent and when it answered (performance.now()). */
    const timedDiscovery = async (run: () => Promise<RegionSnapshot>) => {
      calls.length = 0;
      const snapshot = await run();
      return { snapshot, calls: calls.map((c) => ({ operation: c.operation, sent: c.answered - c.ms, answered: c.answered })) };
    };
    const operations = (list: ReadonlyArray<{ operation: string }>) => list.map((c) => c.operation).sort();

    it('an unchanged region answers in one round trip: the ENIs and instances are asked beside the route tables, with the same calls and the same snapshot', async () => {
      const world = await seedVipWorld(session());
      const options = { vpcIds: [world.vpcId], pairTagKey: TAG };
      const cold = await timedDiscovery(() => discoverRegion(session(), options));
      const hint = targetHintOf(cold.snapshot, TAG);
      // The pair nodes come with the tag listing: only the stopped old node is described by id.
      assert.deepEqual(hint, { instanceIds: [world.instances.stopped], eniIds: [world.enis.aSecondary, world.enis.bPrimary].sort() });

      const warm = await timedDiscovery(() => discoverRegion(session(), { ...options, expectedTargets: hint }));
      assert.deepEqual(warm.snapshot, cold.snapshot);
      assert.deepEqual(operations(warm.calls), operations(cold.calls));
      const tablesOf = (run: typeof cold) => run.calls.find((c) => c.operation === 'DescribeRouteTables')?.answered ?? NaN;
      for (const call of warm.calls) assert.ok(call.sent < tablesOf(warm), `${call.operation} was asked before the route tables answered`);
      const second = cold.calls.filter((c) => c.operation === 'DescribeNetworkInterfaces');
      assert.ok(second.length === 1 && second[0].sent >= tablesOf(cold), 'without the hint the ENIs wait for the route tables');
    });

    it('a stale hint changes nothing shown: a colleague repointed a VIP, the hint names a deleted ENI and a terminated node', async () => {
      const world = await seedVipWorld(session());
      const options = { vpcIds: [world.vpcId], pairTagKey: TAG };
      const hint = targetHintOf(await discoverRegion(session(), options), TAG);
      const ec2 = session().client('ec2');
      // The colleague: the ENI VIP now goes to a new untagged node, the stopped node's VIP to haproxy-a.
      const run = await ec2.send(new RunInstancesCommand({ ImageId: WORLD_AMI, MinCount: 1, MaxCount: 1, SubnetId: world.subnetIds[0] }));
      const newcomer = run.Instances?.[0]?.InstanceId as string;
      for (const RouteTableId of world.routeTableIds) {
        await ec2.send(new ReplaceRouteCommand({ RouteTableId, DestinationCidrBlock: WORLD_VIPS.eni, InstanceId: newcomer }));
        await ec2.send(new ReplaceRouteCommand({ RouteTableId, DestinationCidrBlock: WORLD_VIPS.stopped, InstanceId: world.instances.a }));
      }
      const stale = { instanceIds: [...hint.instanceIds, 'i-0123456789abcdef0'], eniIds: [...hint.eniIds, 'eni-0123456789abcdef0'] };

      const fresh = await discoverRegion(session(), options);
      const hinted = await timedDiscovery(() => discoverRegion(session(), { ...options, expectedTargets: stale }));
      assert.deepEqual(hinted.snapshot, fresh);
      assert.equal(hinted.snapshot.instances[world.instances.stopped], undefined, 'no route names the stopped node any more');
      assert.equal(hinted.snapshot.instances[newcomer]?.state, 'running');
      // What the hint missed took the second round trip, as without a hint.
      assert.ok(hinted.calls.some((c) => c.operation === 'DescribeInstances' && c.sent >= (hinted.calls.find((t) => t.operation === 'DescribeRouteTables')?.answered ?? Infinity)));
    });
  });

  it('cancels a refresh when its signal aborts', async () => {
    await seedVipWorld(session());
    const controller = new AbortController();
    const refresh = discoverRegion(session(), { signal: controller.signal });
    controller.abort();
    await assert.rejects(refresh, { name: 'AbortError' });
    await assert.rejects(discoverRegions(pool, [{ region: REGION, endpointUrl: moto.url }], { signal: AbortSignal.abort() }), { name: 'AbortError' });
  });

  it('tells who the credentials belong to', async () => {
    assert.deepEqual(await whoAmI(session()), { account: '123456789012', arn: 'arn:aws:sts::123456789012:user/moto' });
  });

  describe('when a region cannot be discovered, it says why and the others still show', () => {
    let dir: string;
    let restoreEnv: () => void;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'awsops-vip-'));
      restoreEnv = setEnv({ AWS_CONFIG_FILE: path.join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials') });
    });
    afterEach(() => {
      restoreEnv();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('an unknown profile, and a profile lost to a malformed config line', async () => {
      const keys = `aws_access_key_id = ${MOTO_CREDENTIALS.accessKeyId}\naws_secret_access_key = ${MOTO_CREDENTIALS.secretAccessKey}\n`;
      const config = `[profile good]\n${keys}[profile broken\n${keys}`;
      fs.writeFileSync(path.join(dir, 'config'), config);
      fs.writeFileSync(path.join(dir, 'credentials'), '');
      const sdkPool = new SessionPool(() => undefined);
      try {
        const results = await discoverRegions(sdkPool, ['good', 'broken', 'nobody'].map((profile) => ({ profile, region: REGION, endpointUrl: moto.url })));
        assert.deepEqual(results.map((r) => r.ok), [true, false, false]);
        for (const [result, profile] of [[results[1], 'broken'], [results[2], 'nobody']] as const) {
          assert.ok(!result.ok);
          assert.equal(result.error.code, 'CredentialsProviderError');
          assert.match(result.error.message, new RegExp(`profile: \\[?${profile}`));
          assert.match(result.error.hint, /pick a profile/);
        }
        // What the UI shows beside the error: where the file is malformed.
        assert.deepEqual(findIniProblems(config), [{ line: 4 }]);
      } finally {
        sdkPool.clear();
      }
    });

    it('a failing credential_process, said without its command line or the secrets on it', async () => {
      // The SDK reports the failure as "Command failed: <the whole command line>".
      const command = `false --password hunter2-SECRET --token=t0ken-SECRET AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI-SECRET`;
      fs.writeFileSync(path.join(dir, 'config'), `[profile leaky]\ncredential_process = ${command}\n`);
      fs.writeFileSync(path.join(dir, 'credentials'), '');
      const sdkPool = new SessionPool(() => undefined);
      try {
        const [result] = await discoverRegions(sdkPool, [{ profile: 'leaky', region: REGION, endpointUrl: moto.url }]);
        assert.ok(!result.ok);
        assert.equal(result.error.code, 'CredentialsProviderError');
        assert.equal(result.error.message, 'Command failed: [command line redacted]');
        assert.doesNotMatch(JSON.stringify(result.error), /SECRET|hunter2/);
      } finally {
        sdkPool.clear();
      }
    });

    it('an invalid endpoint URL or region fails at once, without a call', async () => {
      const results = await discoverRegions(pool, [
        { region: REGION, endpointUrl: 'ftp://127.0.0.1:5000' },
        { region: REGION, endpointUrl: 'not a url' },
        { region: 'mars-east-1', endpointUrl: moto.url },
        { region: REGION, endpointUrl: moto.url },
      ]);
      assert.deepEqual(results.map((r) => (r.ok ? 'ok' : r.error.code)), ['InvalidEndpoint', 'InvalidEndpoint', 'InvalidRegion', 'ok']);
      assert.ok(!results[0].ok && /only http:\/\/ and https:\/\//.test(results[0].error.message));
      assert.ok(!results[2].ok && /Unknown region "mars-east-1"/.test(results[2].error.message));
      assert.deepEqual([...new Set(calls.map((c) => c.region))], [REGION]);
    });

    it('an unreachable endpoint', async () => {
      const closedPort = await freePort();
      const started = performance.now();
      const [down, up] = await discoverRegions(pool, [
        { region: 'us-east-1', endpointUrl: `http://127.0.0.1:${closedPort}` },
        { region: REGION, endpointUrl: moto.url },
      ]);
      assert.ok(!down.ok);
      assert.equal(down.error.code, 'ECONNREFUSED');
      assert.match(down.error.hint, /could not be reached/);
      assert.ok(up.ok);
      assert.ok(performance.now() - started < 15_000, 'retries stay bounded');
    });

    it('AccessDenied from an IAM-enforcing endpoint', async () => {
      const strict = await startMoto();
      let readerKeys = { accessKeyId: '', secretAccessKey: '' };
      const strictPool = new SessionPool(() => undefined, () => ({ override: async () => readerKeys }));
      try {
        // Create a user allowed only sts:GetCallerIdentity, then switch moto's IAM enforcement on.
        const iam = pool.get({ region: 'us-east-1', endpointUrl: strict.url }).client('iam');
        await iam.send(new CreateUserCommand({ UserName: 'reader' }));
        await iam.send(new PutUserPolicyCommand({
          UserName: 'reader', PolicyName: 'whoami-only',
          PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' }] }),
        }));
        const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'reader' }))).AccessKey;
        readerKeys = { accessKeyId: key?.AccessKeyId as string, secretAccessKey: key?.SecretAccessKey as string };
        const enforce = await fetch(`${strict.url}/moto-api/reset-auth`, { method: 'POST', body: '0' });
        assert.equal(enforce.status, 200);
        await seedVipWorld(session());

        const strictSession = strictPool.get({ region: 'us-east-1', endpointUrl: strict.url });
        assert.match((await whoAmI(strictSession)).arn, /:user\/reader$/);
        const [denied, shown] = await Promise.all([
          discoverRegions(strictPool, [{ region: 'us-east-1', endpointUrl: strict.url }]),
          discoverRegions(pool, [{ region: REGION, endpointUrl: moto.url }]),
        ]).then((lists) => lists.flat());
        assert.ok(!denied.ok);
        assert.equal(denied.error.code, 'AccessDenied');
        assert.match(denied.error.hint, /lacks an IAM permission/);
        assert.ok(shown.ok && shown.snapshot.vpcs.some((v) => v.vips.length === 7));
      } finally {
        strictPool.clear();
        await strict.stop();
      }
    });
  });
});
