import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateStackCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import {
  AllocateAddressCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateNetworkInterfaceCommand,
  CreateRouteCommand,
  DescribeAddressesCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  ReplaceRouteCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  GetRolePolicyCommand,
  PutUserPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { architectureFor, latestAl2023Ami, listAl2023Amis } from '../../../../src/core/provision/ami';
import { findStack, ProvisionError } from '../../../../src/core/provision/changeSet';
import { discardPlan, executePlan, planPair } from '../../../../src/core/provision/deploy';
import type { PairSpec } from '../../../../src/core/provision/inputs';
import { NODE_API_SERVICES } from '../../../../src/core/provision/reachability';
import type { StackEvent } from '../../../../src/core/provision/stackWatch';
import { teardownPair } from '../../../../src/core/provision/teardown';
import { SessionPool } from '../../../../src/core/session/pool';
import type { AwsSession } from '../../../../src/core/session/session';
import { createRouteTable, createSubnet, createVpc, findMainRouteTable, giveNatWay } from '../../../support/ec2Seed';
import { startFaultProxy, type FaultProxy } from '../../../support/faultProxy';
import { motoPool } from '../../../support/moto';
import { useMoto } from '../../../support/useMoto';
import { gunzipSync } from 'node:zlib';
import { parse as parseYaml } from 'yaml';

const REGION = 'eu-west-1';
const VIP = '192.168.55.100';

interface World {
  vpcId: string;
  subnetA: string;
  subnetB: string;
  subnetA2: string;
  tables: string[];
  mainTable: string;
  imageId: string;
}

describe('provisioning a pair through CloudFormation on moto', () => {
  const moto = useMoto();
  const pool = motoPool();
  let session: AwsSession;
  let ec2: EC2Client;
  let cfn: CloudFormationClient;
  let iam: IAMClient;
  /** Counts the calls of the product's session where a test needs to know that nothing was changed. */
  let proxy: FaultProxy;

  before(async () => {
    session = pool.get({ region: REGION, endpointUrl: moto.url });
    ec2 = session.client('ec2');
    cfn = session.client('cloudformation');
    iam = session.client('iam');
    proxy = await startFaultProxy({ target: moto.url });
  });
  after(async () => {
    pool.clear();
    await proxy.stop();
  });

  async function seed(): Promise<World> {
    const vpcId = await createVpc(ec2, '10.40.0.0/16');
    const subnet = (cidr: string, az: string) => createSubnet(ec2, vpcId, cidr, `${REGION}${az}`);
    const tables = [await createRouteTable(ec2, vpcId), await createRouteTable(ec2, vpcId)];
    const mainTable = await findMainRouteTable(ec2, vpcId);
    const subnetA2 = await subnet('10.40.3.0/24', 'a');
    await giveNatWay(ec2, vpcId, subnetA2);
    return {
      vpcId,
      subnetA: await subnet('10.40.1.0/24', 'a'),
      subnetB: await subnet('10.40.2.0/24', 'b'),
      subnetA2,
      tables,
      mainTable,
      imageId: await latestAl2023Ami(session.client('ssm'), architectureFor('t3.small')),
    };
  }

  const specFor = (world: World, overrides: Partial<PairSpec> = {}): PairSpec => ({
    name: 'web-eu1',
    vpcId: world.vpcId,
    subnetIds: [world.subnetA, world.subnetB],
    vip: VIP,
    routeTableIds: [world.mainTable, ...world.tables],
    instanceType: 't3.small',
    imageId: world.imageId,
    listeners: [{ port: 443, mode: 'tcp', servers: [{ host: '10.40.9.10', port: 8443 }] }],
    clientCidr: '10.0.0.0/8',
    preempt: false,
    ...overrides,
  });

  async function vipTargets(tables: string[]): Promise<Record<string, string>> {
    const result = await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: tables }));
    return Object.fromEntries(
      (result.RouteTables ?? []).map((t) => [t.RouteTableId, t.Routes?.find((r) => r.DestinationCidrBlock === `${VIP}/32`)?.NetworkInterfaceId ?? 'none']),
    );
  }

  async function stackResources(stackName: string): Promise<Record<string, string>> {
    const result = await cfn.send(new ListStackResourcesCommand({ StackName: stackName }));
    return Object.fromEntries((result.StackResourceSummaries ?? []).map((r) => [r.LogicalResourceId, r.PhysicalResourceId]));
  }

  async function deploy(world: World, spec = specFor(world)) {
    const plan = await planPair(session, spec);
    const events: StackEvent[] = [];
    const started = performance.now();
    const result = await executePlan(session, plan, { onEvent: (e) => events.push(e), pollMs: 50 });
    return { plan, result, events, ms: performance.now() - started };
  }

  it('shows the change set, creates nothing before it is executed, then builds the pair', async () => {
    const world = await seed();
    const spec = specFor(world);
    const planStarted = performance.now();
    const plan = await planPair(session, spec);
    const planMs = performance.now() - planStarted;
    assert.equal(plan.stackName, 'awsops-pair-web-eu1');
    const tableRoutes = spec.routeTableIds.map((id) => `VipRoute${id.split('-').map((p) => p[0].toUpperCase() + p.slice(1)).join('')}`);
    assert.deepEqual(
      plan.changes.map((c) => `${c.action} ${c.logicalId} ${c.resourceType}`).sort(),
      [
        'add NodeA AWS::EC2::Instance',
        'add NodeAEni AWS::EC2::NetworkInterface',
        'add NodeB AWS::EC2::Instance',
        'add NodeBEni AWS::EC2::NetworkInterface',
        'add NodeInstanceProfile AWS::IAM::InstanceProfile',
        'add NodeLaunchTemplate AWS::EC2::LaunchTemplate',
        'add NodeRole AWS::IAM::Role',
        'add NodeSecurityGroup AWS::EC2::SecurityGroup',
        ...tableRoutes.map((id) => `add ${id} AWS::EC2::Route`),
        'add VipRoutesCreated AWS::CloudFormation::WaitConditionHandle',
        'add VrrpIngress AWS::EC2::SecurityGroupIngress',
      ].sort(),
    );
    assert.equal((await findStack(cfn, plan.stackName))?.status, 'REVIEW_IN_PROGRESS');
    assert.deepEqual(Object.values(await vipTargets(spec.routeTableIds)), ['none', 'none', 'none'], 'a plan changes nothing');

    const events: StackEvent[] = [];
    const executeStarted = performance.now();
    const result = await executePlan(session, plan, { onEvent: (e) => events.push(e), pollMs: 50 });
    console.log(`    plan ${planMs.toFixed(0)} ms, execute+watch ${(performance.now() - executeStarted).toFixed(0)} ms on moto`);
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.status, 'CREATE_COMPLETE');
    assert.ok(events.some((e) => e.status === 'CREATE_COMPLETE' && e.resourceType === 'AWS::CloudFormation::Stack'), 'stack events reached the callback');
    const { a, b } = result.nodes;
    assert.match(a.instanceId ?? '', /^i-/);
    assert.match(b.instanceId ?? '', /^i-/);

    // Instances carry the pair tag; each node's ENI sits in its own subnet.
    const tagged = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:awsops:pair', Values: ['web-eu1'] }] }));
    assert.deepEqual(tagged.Reservations?.flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId).sort(), [a.instanceId, b.instanceId].sort());
    const enis = await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [a.eniId as string, b.eniId as string] }));
    const eniSubnet = Object.fromEntries((enis.NetworkInterfaces ?? []).map((e) => [e.NetworkInterfaceId, e.SubnetId]));
    assert.equal(eniSubnet[a.eniId as string], world.subnetA);
    assert.equal(eniSubnet[b.eniId as string], world.subnetB);
    const ipOf = Object.fromEntries((enis.NetworkInterfaces ?? []).map((e) => [e.NetworkInterfaceId, e.PrivateIpAddress]));

    // Every chosen route table sends the VIP to node A.
    assert.deepEqual(await vipTargets(spec.routeTableIds), Object.fromEntries(spec.routeTableIds.map((t) => [t, a.eniId])));

    // Security group: VRRP only from itself, the listener only from the client CIDR, stats only from the VPC.
    const resources = await stackResources(plan.stackName);
    const sg = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [resources.NodeSecurityGroup] }))).SecurityGroups?.[0];
    const rules = (sg?.IpPermissions ?? []).map((p) => `${p.IpProtocol} ${p.FromPort}-${p.ToPort} ${[...(p.IpRanges ?? []).map((r) => r.CidrIp), ...(p.UserIdGroupPairs ?? []).map((g) => g.GroupId)].join(',')}`);
    assert.deepEqual(rules.sort(), ['112 -1--1 ' + sg?.GroupId, 'tcp 443-443 10.0.0.0/8', 'tcp 8404-8404 10.40.0.0/16'].sort());

    // The role may move only these tables' routes.
    const policy = await iam.send(new GetRolePolicyCommand({ RoleName: resources.NodeRole, PolicyName: 'vip-routes' }));
    // moto returns an inline policy created by CloudFormation as a Python dict repr (single quotes): test-side fix-up.
    const document = JSON.parse(decodeURIComponent(policy.PolicyDocument ?? '{}').replace(/'/g, '"'));
    const move = document.Statement.find((s: { Sid: string }) => s.Sid === 'MoveVipRoutesOfThisPairOnly');
    assert.deepEqual(move.Resource, spec.routeTableIds.map((id) => `arn:aws:ec2:${REGION}:123456789012:route-table/${id}`));
    const ssm = await iam.send(new GetRolePolicyCommand({ RoleName: resources.NodeRole, PolicyName: 'ssm-run-command' }));
    assert.match(decodeURIComponent(ssm.PolicyDocument ?? ''), /ec2messages:GetMessages/);

    // Node A's user data names A as itself and B as its peer, with CloudFormation's values filled in.
    const userData = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: a.instanceId, Attribute: 'userData' }));
    const text = Buffer.from(userData.UserData?.Value ?? '', 'base64').toString('utf8');
    assert.match(text, /^#cloud-config\n/);
    assert.ok(text.includes(`unicast_src_ip ${ipOf[a.eniId as string]}\n`), text.slice(0, 3000));
    assert.ok(text.includes(`unicast_peer {\n          ${ipOf[b.eniId as string]}\n`));
    assert.ok(text.includes(`ENI_ID='${a.eniId}'`) && text.includes(`REGION='${REGION}'`));
    // The notify script ships gzipped (user data would pass EC2's 16 KB otherwise): read it as cloud-init does.
    const files = (parseYaml(text) as { write_files: Array<{ path: string; encoding?: string; content: string }> }).write_files;
    const notify = files.find((f) => f.content && f.encoding === 'gz+b64' && gunzipSync(Buffer.from(f.content, 'base64')).toString('utf8').includes('IMDS_URL'));
    assert.ok(notify, `a gzipped file holds the notify script: ${files.map((f) => `${f.path} (${f.encoding ?? 'plain'})`).join(', ')}`);
    assert.ok(gunzipSync(Buffer.from(notify.content, 'base64')).toString('utf8').includes('IMDS_URL=${IMDS_URL:-http://169.254.169.254}'), 'bash ${...} survives Fn::Sub');
    assert.ok(!text.includes('${!'));
  });

  it('builds a public-only pair on an adopted Elastic IP: no route touched, the address on node A, a role that may move only it', async () => {
    const world = await seed();
    // Public subnets: the main table's default route goes to an internet gateway instead of the NAT gateway.
    const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway?.InternetGatewayId as string;
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: world.vpcId }));
    await ec2.send(new ReplaceRouteCommand({ RouteTableId: world.mainTable, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));
    const allocationId = (await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }))).AllocationId as string;
    // Node B has no public address while node A holds the Elastic IP: the nodes reach the APIs through endpoints.
    const spec = specFor(world, { name: 'edge-eu1', routeTableIds: [], elasticIp: { allocationId }, clientCidr: '0.0.0.0/0', endpointServices: [...NODE_API_SERVICES] });
    const { plan, result } = await deploy(world, spec);
    assert.ok(result.ok, JSON.stringify(result));
    const logicalIds = plan.changes.map((c) => c.logicalId);
    assert.ok(logicalIds.includes('ElasticIpAssociation'), logicalIds.join());
    assert.ok(!logicalIds.some((id) => id.startsWith('VipRoute') || id === 'ElasticIp'), `no route, no allocation of its own: ${logicalIds.join()}`);
    // moto 5.2.1 has no AWS::EC2::EIPAssociation (the stack completes, nothing is associated): the template names
    // node A's ENI, and the address is still the adopted one, not released or replaced by the stack.
    const association = (plan.template as { Resources: Record<string, { Properties: Record<string, unknown> }> }).Resources.ElasticIpAssociation.Properties;
    assert.deepEqual(association, { AllocationId: allocationId, NetworkInterfaceId: { Ref: 'NodeAEni' } });
    const address = (await ec2.send(new DescribeAddressesCommand({ AllocationIds: [allocationId] }))).Addresses?.[0];
    assert.equal(address?.AllocationId, allocationId);
    assert.deepEqual(Object.values(await vipTargets([world.mainTable, ...world.tables])), ['none', 'none', 'none'], 'no route table carries the VIP');
    const resources = await stackResources(plan.stackName);
    const policy = await iam.send(new GetRolePolicyCommand({ RoleName: resources.NodeRole, PolicyName: 'vip-routes' }));
    const document = JSON.parse(decodeURIComponent(policy.PolicyDocument ?? '{}').replace(/'/g, '"'));
    const sids = document.Statement.map((st: { Sid: string }) => st.Sid);
    assert.ok(!sids.includes('MoveVipRoutesOfThisPairOnly') && !sids.includes('ReadRoutesBack'), sids.join());
    const move = document.Statement.find((st: { Sid: string }) => st.Sid === 'MoveThisPairsElasticIpOnly');
    assert.ok(JSON.stringify(move.Resource).includes(`elastic-ip/${allocationId}`), JSON.stringify(move.Resource));
    const userData = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: result.nodes.b.instanceId, Attribute: 'userData' }));
    const text = Buffer.from(userData.UserData?.Value ?? '', 'base64').toString('utf8');
    assert.ok(text.includes(`ALLOCATION_ID='${allocationId}'`) && text.includes("ROUTE_TABLES=''"), text.slice(0, 2000));
  });

  it('tears the pair down and removes the VIP routes left behind, reporting each', async () => {
    const world = await seed();
    const spec = specFor(world);
    const { result } = await deploy(world, spec);
    assert.ok(result.ok);
    const events: StackEvent[] = [];
    const report = await teardownPair(session, spec.name, { onEvent: (e) => events.push(e), pollMs: 50 });
    assert.equal(report.outcome, 'deleted', JSON.stringify(report));
    assert.equal(report.finalStatus, 'DELETE_COMPLETE');
    assert.equal(await findStack(cfn, 'awsops-pair-web-eu1'), undefined);
    // moto leaves AWS::EC2::Route after DeleteStack; teardown must catch that (real CloudFormation leaves none).
    assert.deepEqual(
      report.routes.map((r) => `${r.routeTableId} ${r.destination} ${r.target} ${r.outcome}`).sort(),
      spec.routeTableIds.map((t) => `${t} ${VIP}/32 ${result.ok ? result.nodes.a.eniId : ''} removed`).sort(),
    );
    assert.deepEqual(Object.values(await vipTargets(spec.routeTableIds)), ['none', 'none', 'none']);
    const instances = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:awsops:pair', Values: ['web-eu1'] }] }));
    assert.deepEqual([...new Set(instances.Reservations?.flatMap((r) => r.Instances ?? []).map((i) => i.State?.Name))], ['terminated']);
    assert.deepEqual(await teardownPair(session, spec.name), { stackName: 'awsops-pair-web-eu1', outcome: 'not-found', routes: [], events: [] });
  });

  it('a teardown cancelled before DeleteStack changes nothing', async () => {
    const world = await seed();
    const spec = specFor(world);
    const { result } = await deploy(world, spec);
    assert.ok(result.ok);
    const cancel = new AbortController();
    cancel.abort();
    const report = await teardownPair(session, spec.name, { signal: cancel.signal, pollMs: 50 });
    assert.equal(report.outcome, 'cancelled');
    assert.equal(report.deleteRequested, false);
    assert.ok(await findStack(cfn, 'awsops-pair-web-eu1'), 'the stack is still there');
  });

  it('keeps routes that point elsewhere when tearing down', async () => {
    const world = await seed();
    const spec = specFor(world);
    const { result } = await deploy(world, spec);
    assert.ok(result.ok);
    // Another pair's route in the same VPC must survive.
    const other = (await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: world.subnetA2 }))).NetworkInterface?.NetworkInterfaceId as string;
    await ec2.send(new CreateRouteCommand({ RouteTableId: world.tables[0], DestinationCidrBlock: '192.168.99.1/32', NetworkInterfaceId: other }));
    const report = await teardownPair(session, spec.name, { pollMs: 50 });
    assert.equal(report.routes.length, 3);
    const kept = await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [world.tables[0]] }));
    assert.ok(kept.RouteTables?.[0]?.Routes?.some((r) => r.DestinationCidrBlock === '192.168.99.1/32' && r.NetworkInterfaceId === other));
  });

  async function assertRefused(spec: PairSpec, fields: string[], message: RegExp) {
    await assert.rejects(planPair(session, spec), (error: unknown) => {
      assert.ok(error instanceof ProvisionError, String(error));
      assert.deepEqual(error.problems.map((p) => p.field), fields);
      assert.match(error.message, message);
      return true;
    });
    const stacks = await cfn.send(new DescribeStacksCommand({}));
    assert.deepEqual(stacks.Stacks?.filter((s) => s.StackName === `awsops-pair-${spec.name}`), [], 'no stack after refused input');
  }

  it('refuses bad input with a clear message and creates no stack', async () => {
    const world = await seed();
    await assertRefused(specFor(world, { subnetIds: [world.subnetA, world.subnetA2] }), ['subnetIds'], /both in eu-west-1a: pick subnets in two different Availability Zones/);
    await assertRefused(specFor(world, { vip: '10.40.200.5' }), ['vip'], /inside the VPC CIDR 10\.40\.0\.0\/16/);
    await assertRefused(specFor(world, { imageId: 'ami-0123456789abcdef0' }), ['imageId'], /AMI ami-0123456789abcdef0 does not exist in this region/);
    await assertRefused(specFor(world, { instanceType: 't4g.small' }), ['imageId'], /is built for x86_64, but t4g\.small runs arm64/);
    await assertRefused(specFor(world, { keyName: 'missing' }), ['keyName'], /Key pair "missing" does not exist in this region/);
    const eni = (await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: world.subnetA2 }))).NetworkInterface?.NetworkInterfaceId as string;
    await ec2.send(new CreateRouteCommand({ RouteTableId: world.tables[1], DestinationCidrBlock: `${VIP}/32`, NetworkInterfaceId: eni }));
    await assertRefused(specFor(world), ['vip'], new RegExp(`already in use: route table ${world.tables[1]} sends ${VIP}/32 to ${eni}`));
    await assertRefused(
      specFor(world, { name: 'Web_1', vip: '192.168.55.101', clientCidr: '10.0.0.1/8' }),
      ['name', 'clientCidr'],
      /remove "W", "_".*did you mean 10\.0\.0\.0\/8/,
    );
  });

  it('refuses a public VIP unless it was typed again, with no call that changes AWS; confirmed, it plans the pair', async () => {
    const world = await seed();
    const counted = pool.get({ region: REGION, endpointUrl: proxy.url });
    for (const vip of ['8.8.8.8', '52.95.110.1', '1.1.1.1']) {
      proxy.resetCounts();
      await assert.rejects(planPair(counted, specFor(world, { vip })), (error: unknown) => {
        assert.ok(error instanceof ProvisionError);
        assert.deepEqual(error.problems.map((p) => p.field), ['vip']);
        assert.match(error.message, new RegExp(`^${vip.replace(/\./g, '\\.')} is a public address: a /32 route to it sends everything in the VPC .* to this pair instead`));
        return true;
      });
      assert.equal(proxy.mutatingCount(), 0, JSON.stringify(proxy.counts()));
      assert.ok((proxy.counts().DescribeVpcs ?? 0) > 0, 'the calls went through the proxy');
    }
    const mistyped = planPair(counted, specFor(world, { vip: '52.95.110.1', confirmedPublicVip: '52.95.110.11' }));
    await assert.rejects(mistyped, /52\.95\.110\.1 is a public address/);
    proxy.resetCounts();
    const plan = await planPair(counted, specFor(world, { vip: '52.95.110.1', confirmedPublicVip: '52.95.110.1' }));
    assert.equal(proxy.counts().CreateChangeSet, 1);
    await discardPlan(session, plan);
  });

  it('refuses an existing stack name before creating anything', async () => {
    const world = await seed();
    await cfn.send(new CreateStackCommand({ StackName: 'awsops-pair-web-eu1', TemplateBody: JSON.stringify({ Resources: { Handle: { Type: 'AWS::CloudFormation::WaitConditionHandle' } } }) }));
    await assert.rejects(planPair(session, specFor(world)), (error: unknown) => {
      assert.ok(error instanceof ProvisionError);
      assert.match(error.message, /A stack named awsops-pair-web-eu1 already exists \(CREATE_COMPLETE\): pick another pair name/);
      assert.deepEqual(error.problems.map((p) => p.field), ['name']);
      return true;
    });
    assert.deepEqual(Object.values(await vipTargets(specFor(world).routeTableIds)), ['none', 'none', 'none']);
  });

  it('a declined plan leaves no stack behind', async () => {
    const world = await seed();
    const plan = await planPair(session, specFor(world));
    await discardPlan(session, plan);
    assert.equal(await findStack(cfn, plan.stackName), undefined);
    assert.equal(await findStack(cfn, plan.stackId), undefined);
  });

  it('proposes the latest Amazon Linux 2023 AMI per architecture, with a fallback list', async () => {
    const x86 = await latestAl2023Ami(session.client('ssm'), 'x86_64');
    const arm = await latestAl2023Ami(session.client('ssm'), 'arm64');
    assert.match(x86, /^ami-/);
    assert.match(arm, /^ami-/);
    const list = await listAl2023Amis(ec2, 'x86_64');
    assert.ok(list.length > 0, 'the fallback list is not empty');
    assert.ok(list.every((ami) => ami.imageId.startsWith('ami-') && !ami.name.includes('minimal')));
    assert.deepEqual(list.map((a) => a.creationDate), [...list.map((a) => a.creationDate)].sort().reverse());
  });
});

describe('provisioning with too few permissions (moto with IAM enforcement)', () => {
  // The first 8 calls (the seeding below) run unauthenticated; every later call is checked against IAM.
  const moto = useMoto({ env: { INITIAL_NO_AUTH_ACTION_COUNT: '8' }, reset: false });
  let pool: SessionPool;
  after(() => pool?.clear());

  it('says which permission is missing and creates no stack', async () => {
    const admin = motoPool().get({ region: REGION, endpointUrl: moto.url });
    const iam = admin.client('iam');
    const ec2 = admin.client('ec2');
    await iam.send(new CreateUserCommand({ UserName: 'viewer' }));
    const readOnly = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['ec2:Describe*', 'cloudformation:DescribeStacks'], Resource: '*' }] };
    await iam.send(new PutUserPolicyCommand({ UserName: 'viewer', PolicyName: 'read-only', PolicyDocument: JSON.stringify(readOnly) }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'viewer' }))).AccessKey;
    const vpcId = await createVpc(ec2, '10.50.0.0/16');
    const subnetIds: [string, string] = [await createSubnet(ec2, vpcId, '10.50.1.0/24', `${REGION}a`), await createSubnet(ec2, vpcId, '10.50.2.0/24', `${REGION}b`)];
    const mainTable = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).RouteTables?.[0]?.RouteTableId as string;
    const imageId = await latestAl2023Ami(admin.client('ssm'), 'x86_64');

    const credentials = { accessKeyId: key?.AccessKeyId as string, secretAccessKey: key?.SecretAccessKey as string };
    pool = new SessionPool(() => undefined, () => ({ override: async () => credentials }));
    const viewer = pool.get({ region: REGION, endpointUrl: moto.url });
    const spec: PairSpec = {
      name: 'web',
      vpcId,
      subnetIds,
      vip: VIP,
      routeTableIds: [mainTable],
      instanceType: 't3.small',
      imageId,
      listeners: [],
      clientCidr: '10.0.0.0/8',
      preempt: false,
      // Counted as reachable without seeding a NAT gateway (more unauthenticated calls): the check is not what this tests.
      endpointServices: [...NODE_API_SERVICES],
    };
    await assert.rejects(planPair(viewer, spec), (error: unknown) => {
      assert.ok(error instanceof ProvisionError, String(error));
      assert.match(error.message, /^Could not create the change set: AccessDenied/);
      assert.match(error.hint ?? '', /lacks an IAM permission/);
      return true;
    });
    assert.equal(await findStack(viewer.client('cloudformation'), 'awsops-pair-web'), undefined);
  });
});
