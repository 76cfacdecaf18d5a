import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  ModifyInstanceAttributeCommand,
  ModifyInstanceMetadataOptionsCommand,
  ModifyNetworkInterfaceAttributeCommand,
  RevokeSecurityGroupIngressCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { AddRoleToInstanceProfileCommand, AttachRolePolicyCommand, CreateInstanceProfileCommand, CreatePolicyCommand, CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { readInstanceRoles, type PolicyVersionCache } from '../../../../src/core/iam/instanceRoles';
import { buildPairs } from '../../../../src/core/pairs/pairs';
import { assessReadiness, vipRouteTables, type ReadinessFacts, type ReadinessItem, type ReadinessKey } from '../../../../src/core/pairs/readiness';
import { readPairNetworks } from '../../../../src/core/pairs/readinessReads';
import { checkServices } from '../../../../src/core/pairs/serviceCheck';
import { describeStatuses } from '../../../../src/core/pairs/status';
import { discoverRegion } from '../../../../src/core/vip/discovery';
import { addVipRoute, AMI } from '../../../support/pairWorld';
import { createRouteTable, createSubnet, createVpc, tagSpecs } from '../../../support/ec2Seed';
import { useProxiedMoto } from '../../../support/useMoto';

const REGION = 'us-east-1';
const VIP = '192.168.55.100/32';
const ACCOUNT = '123456789012';
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const tableArn = (id: string) => `arn:aws:ec2:${REGION}:${ACCOUNT}:route-table/${id}`;

interface World {
  nodes: [string, string];
  enis: [string, string];
  groups: [string, string];
  tables: string[];
}

/**
 * Readiness of a real pair in moto, gathered as the Pairs view does (discovery, status checks, one
 * DescribeNetworkInterfaces and DescribeSecurityGroups, the instance roles from IAM), item by item both ways.
 */
describe('pair readiness against moto', () => {
  const aws = useProxiedMoto(REGION);
  const direct = () => aws.pool.get({ region: REGION, endpointUrl: aws.moto.url });
  const versions: PolicyVersionCache = new Map();
  let world: World;

  async function putRolePolicy(resources: string[], extra: Record<string, unknown> = {}): Promise<void> {
    const document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['ec2:ReplaceRoute', 'ec2:DescribeRouteTables'], Resource: resources, ...extra }] };
    await direct().client('iam').send(new PutRolePolicyCommand({ RoleName: 'haproxy-node', PolicyName: 'routes', PolicyDocument: JSON.stringify(document) }));
  }

  beforeEach(async () => {
    versions.clear();
    const ec2 = aws.ec2;
    const iam = direct().client('iam');
    await iam.send(new CreateRoleCommand({ RoleName: 'haproxy-node', AssumeRolePolicyDocument: TRUST }));
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'haproxy-node' }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'haproxy-node', RoleName: 'haproxy-node' }));
    const vpcId = await createVpc(ec2, '10.30.0.0/16');
    const groups = await Promise.all(['a', 'b'].map(async (n) => (await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: `lb-${n}`, Description: 'haproxy node' }))).GroupId as string));
    // Each node accepts VRRP from the other's group (A) or subnet (B): both kinds of rule.
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groups[0], IpPermissions: [{ IpProtocol: '112', FromPort: -1, ToPort: -1, UserIdGroupPairs: [{ GroupId: groups[1] }] }] }));
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groups[1], IpPermissions: [{ IpProtocol: '112', FromPort: -1, ToPort: -1, IpRanges: [{ CidrIp: '10.30.1.0/24' }] }] }));
    const nodes: string[] = [];
    const enis: string[] = [];
    for (const [i, zone] of ['us-east-1a', 'us-east-1b'].entries()) {
      const subnetId = await createSubnet(ec2, vpcId, `10.30.${i + 1}.0/24`, zone);
      const run = await ec2.send(new RunInstancesCommand({
        ImageId: AMI, MinCount: 1, MaxCount: 1, InstanceType: 't3.micro', SubnetId: subnetId, SecurityGroupIds: [groups[i]],
        IamInstanceProfile: { Name: 'haproxy-node' }, MetadataOptions: { HttpTokens: 'required' },
        TagSpecifications: tagSpecs('instance', { 'awsops:pair': 'web', Name: `web-${'ab'[i]}` }),
      }));
      const instance = run.Instances?.[0];
      nodes.push(instance?.InstanceId as string);
      enis.push(instance?.NetworkInterfaces?.[0]?.NetworkInterfaceId as string);
      await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: instance?.InstanceId, SourceDestCheck: { Value: false } }));
      // moto gap: the instance attribute does not reach its ENI, as it does on EC2.
      await ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: enis[i], SourceDestCheck: { Value: false } }));
    }
    const tables = [await createRouteTable(ec2, vpcId), await createRouteTable(ec2, vpcId)];
    for (const table of tables) await addVipRoute(ec2, table, VIP, { InstanceId: nodes[0] });
    await putRolePolicy(tables.map(tableArn));
    world = { nodes: nodes as World['nodes'], enis: enis as World['enis'], groups: groups as World['groups'], tables };
  });

  /** One refresh's readiness of pair "web", as the view computes it. */
  async function readiness(services: ReadinessFacts['services'] = {}) {
    const session = aws.session;
    const snapshot = await discoverRegion(session, { pairTagKey: 'awsops:pair' });
    const statuses = await describeStatuses(session.client('ec2'), world.nodes);
    const [pair] = buildPairs(snapshot, 'awsops:pair', statuses);
    const ids = pair.nodes.map((n) => n.instance.instanceId);
    const networks = await readPairNetworks(session.client('ec2'), ids);
    const roles = await readInstanceRoles(session.client('iam'), pair.nodes.map((n) => n.instance.instanceProfileArn), { versions, roles: new Map() });
    return assessReadiness({
      pair,
      enis: networks.enis,
      securityGroups: networks.securityGroups,
      roles: Object.fromEntries(ids.map((id, i) => [id, roles[i]])),
      routeTables: vipRouteTables(pair, snapshot),
      services,
      now: new Date(),
    });
  }
  const item = (r: Awaited<ReturnType<typeof readiness>>, key: ReadinessKey): ReadinessItem => r.items.find((i) => i.key === key) as ReadinessItem;
  const states = (r: Awaited<ReturnType<typeof readiness>>) => Object.fromEntries(r.items.map((i) => [i.key, i.state]));

  it('holds every AWS-side item for a well-built pair, and says "run Check keepalived & haproxy" for the node-side ones', async () => {
    const r = await readiness();
    assert.deepEqual(states(r), {
      'peer-running': 'ok', 'status-checks': 'ok', 'source-dest-check': 'ok', vrrp: 'ok', 'replace-route': 'ok', imdsv2: 'ok', 'notify-script': 'unknown', services: 'unknown',
    }, JSON.stringify(r.items.filter((i) => i.state !== 'ok')));
    assert.equal(r.summary, 'unknown');
    assert.equal(item(r, 'services').why, 'run Check keepalived & haproxy');
    assert.match(item(r, 'vrrp').details.join('\n'), new RegExp(`web-b → web-a: in by ${world.groups[0]} \\(protocol 112 with ${world.groups[1]}\\)`));
    assert.match(item(r, 'replace-route').why, /role haproxy-node may, on all 2 tables/);
  });

  it('reads IAM once per role per refresh, and a managed policy version once per session', async () => {
    const iam = direct().client('iam');
    const document = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ssm:UpdateInstanceInformation', Resource: '*' }] });
    const policy = await iam.send(new CreatePolicyCommand({ PolicyName: 'ssm-agent', PolicyDocument: document }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'haproxy-node', PolicyArn: policy.Policy?.Arn }));
    await readiness();
    const first = aws.proxy.counts();
    assert.deepEqual([first.GetInstanceProfile, first.GetRole, first.ListAttachedRolePolicies, first.ListRolePolicies, first.GetPolicy, first.GetPolicyVersion, first.GetRolePolicy], [1, 1, 1, 1, 1, 1, 1], JSON.stringify(first));
    assert.deepEqual([first.DescribeNetworkInterfaces, first.DescribeSecurityGroups], [1, 1]);
    aws.proxy.resetCounts();
    const again = await readiness();
    assert.equal(item(again, 'replace-route').state, 'ok');
    assert.deepEqual([aws.proxy.counts().GetPolicy, aws.proxy.counts().GetPolicyVersion], [1, undefined], 'the default version is asked for, its document is not read again');
  });

  it('is not ready when the peer is stopped, and ready again once it runs', async () => {
    await aws.ec2.send(new StopInstancesCommand({ InstanceIds: [world.nodes[1]] }));
    const stopped = await readiness();
    assert.equal(item(stopped, 'peer-running').state, 'fail');
    assert.match(item(stopped, 'peer-running').why, /web-b \(i-[0-9a-f]+\) is stopped/);
    assert.equal(item(stopped, 'status-checks').state, 'fail');
    assert.equal(stopped.summary, 'not-ready');
    await aws.ec2.send(new StartInstancesCommand({ InstanceIds: [world.nodes[1]] }));
    assert.deepEqual([item(await readiness(), 'peer-running').state, item(await readiness(), 'status-checks').state], ['ok', 'ok']);
  });

  it('fails when source/dest check is on, on the instance or only on its ENI', async () => {
    await aws.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: world.nodes[1], SourceDestCheck: { Value: true } }));
    assert.match(item(await readiness(), 'source-dest-check').why, /web-b \(.*\): source\/dest check is on for the instance/);
    await aws.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: world.nodes[1], SourceDestCheck: { Value: false } }));
    await aws.ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: world.enis[0], SourceDestCheck: { Value: true } }));
    const eniOn = item(await readiness(), 'source-dest-check');
    assert.equal(eniOn.state, 'fail');
    assert.match(eniOn.why, new RegExp(`web-a \\(.*\\): source/dest check is on for ${world.enis[0]}$`));
  });

  it('fails VRRP when a security group lets no IP protocol 112 in from the peer', async () => {
    await aws.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: world.groups[1], IpPermissions: [{ IpProtocol: '112', FromPort: -1, ToPort: -1, IpRanges: [{ CidrIp: '10.30.1.0/24' }] }] }));
    await aws.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: world.groups[1], IpPermissions: [{ IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, IpRanges: [{ CidrIp: '10.30.0.0/16' }] }] }));
    const vrrp = item(await readiness(), 'vrrp');
    assert.equal(vrrp.state, 'fail');
    assert.match(vrrp.why, new RegExp(`^web-a → web-b: no inbound rule of web-b's security groups \\(${world.groups[1]}\\) allows IP protocol 112`));
    await aws.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: world.groups[1], IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: world.groups[0] }] }] }));
    assert.equal(item(await readiness(), 'vrrp').state, 'ok', 'all traffic from the peer\'s group includes VRRP');
  });

  it('fails ec2:ReplaceRoute when the role\'s policy misses one VIP table; unknown under a Condition', async () => {
    await putRolePolicy([tableArn(world.tables[0])]);
    const misses = item(await readiness(), 'replace-route');
    assert.equal(misses.state, 'fail');
    assert.match(misses.why, new RegExp(`role haproxy-node may not replace routes in ${world.tables[1]}: no statement allows`));
    assert.doesNotMatch(misses.why, new RegExp(`${world.tables[0]}:`));
    await putRolePolicy([`arn:aws:ec2:${REGION}:${ACCOUNT}:route-table/*`], { Condition: { StringEquals: { 'ec2:ResourceTag/awsops:pair': 'web' } } });
    const conditional = item(await readiness(), 'replace-route');
    assert.equal(conditional.state, 'unknown');
    assert.match(conditional.why, /inline policy routes \(statement #1\) allows it only if its Condition holds/);
  });

  it('fails IMDSv2 when a node answers without tokens', async () => {
    await aws.ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: world.nodes[0], HttpTokens: 'optional' }));
    const imds = item(await readiness(), 'imdsv2');
    assert.equal(imds.state, 'fail');
    assert.match(imds.why, /web-a \(.*\): tokens optional/);
  });

  it('dates the SSM check and keeps "unknown" where the nodes said nothing (moto runs no command)', async () => {
    const reports = await checkServices(aws.session.client('ssm'), world.nodes, { pollMs: 10 });
    const checkedAt = new Date(Date.now() - 2 * 60_000);
    const r = await readiness(Object.fromEntries(reports.map((report) => [report.instanceId, { report, checkedAt }])));
    assert.equal(item(r, 'services').state, 'unknown');
    assert.match(item(r, 'services').why, /\(checked 2 min ago\)$/);
    assert.match(item(r, 'notify-script').why, /keepalived's configuration was not read/);
  });
});
