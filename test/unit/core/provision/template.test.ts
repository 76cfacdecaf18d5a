import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { PairSpec } from '../../../../src/core/provision/inputs';
import { buildPairTemplate, templateJson, templateYaml, userDataBytes, type CfnTemplate } from '../../../../src/core/provision/template';
import { SAMPLE_PAIR_SPEC } from '../../../support/samplePairSpec';

// Tests run compiled from out-*/test/unit; the committed snapshot lives next to the sources.
const SNAPSHOT = join(__dirname, '..', '..', '..', '..', '..', 'test', 'unit', 'core', 'provision', '__snapshots__', 'template.json');

const spec: PairSpec = {
  ...SAMPLE_PAIR_SPEC,
  listeners: [
    { port: 80, mode: 'http', servers: [{ host: '10.20.1.10', port: 8080 }, { host: '10.20.2.10', port: 8080 }] },
    { port: 5432, mode: 'tcp', servers: [{ host: 'db.internal', port: 5432 }] },
  ],
};

/** Resources as JSON reads them back: deep property paths without a type per resource. */
const resources = (template: CfnTemplate) => JSON.parse(JSON.stringify(template.Resources));

describe('pair CloudFormation template', () => {
  const template = buildPairTemplate(spec, { vpcCidrs: ['10.20.0.0/16'] });

  it('matches the committed snapshot (UPDATE_SNAPSHOTS=1 rewrites it)', () => {
    const json = templateJson(template);
    if (process.env.UPDATE_SNAPSHOTS === '1') writeFileSync(SNAPSHOT, json);
    assert.ok(existsSync(SNAPSHOT), `no snapshot at ${SNAPSHOT}: run once with UPDATE_SNAPSHOTS=1 and review it`);
    assert.equal(json, readFileSync(SNAPSHOT, 'utf8'));
  });

  it('scopes the role to the chosen route tables and adds only the describe call the script needs', () => {
    const role = resources(template).NodeRole.Properties;
    assert.deepEqual(role.AssumeRolePolicyDocument.Statement[0].Principal, { Service: 'ec2.amazonaws.com' });
    const [move, signal, read] = role.Policies[0].PolicyDocument.Statement;
    assert.deepEqual([signal.Action, signal.Resource], ['cloudformation:SignalResource', { Ref: 'AWS::StackId' }]);
    assert.deepEqual(move.Action, ['ec2:ReplaceRoute', 'ec2:CreateRoute']);
    assert.deepEqual(move.Resource, spec.routeTableIds.map((id) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:ec2:\${AWS::Region}:\${AWS::AccountId}:route-table/${id}` })));
    assert.deepEqual([read.Action, read.Resource], ['ec2:DescribeRouteTables', '*']);
    // No AmazonSSMManagedInstanceCore (it reads every parameter): only what the agent needs for Run Command and sessions.
    assert.equal(role.ManagedPolicyArns, undefined);
    const ssm = role.Policies[1].PolicyDocument.Statement[0];
    assert.equal(role.Policies[1].PolicyName, 'ssm-run-command');
    assert.ok(ssm.Action.every((action: string) => /^(ssm:(UpdateInstanceInformation|ListInstanceAssociations)|ec2messages:\w+|ssmmessages:\w+)$/.test(action)), ssm.Action.join());
    assert.deepEqual(resources(template).NodeInstanceProfile.Properties.Roles, [{ Ref: 'NodeRole' }]);
  });

  it('opens VRRP only between the nodes, listeners only to the clients, stats only to the VPC', () => {
    const sg = resources(template).NodeSecurityGroup.Properties;
    assert.deepEqual(
      sg.SecurityGroupIngress.map((r: Record<string, unknown>) => `${r.IpProtocol} ${r.FromPort} ${r.CidrIp}`),
      ['tcp 80 10.0.0.0/8', 'tcp 5432 10.0.0.0/8', 'tcp 8404 10.20.0.0/16'],
    );
    const vrrp = resources(template).VrrpIngress.Properties;
    assert.deepEqual(vrrp, {
      GroupId: { 'Fn::GetAtt': ['NodeSecurityGroup', 'GroupId'] },
      IpProtocol: '112',
      FromPort: -1,
      ToPort: -1,
      SourceSecurityGroupId: { 'Fn::GetAtt': ['NodeSecurityGroup', 'GroupId'] },
      Description: 'VRRP between the two nodes of the pair',
    });
    assert.ok(!templateJson(template).includes('0.0.0.0/0'), 'no 0.0.0.0/0 unless typed');
    const open = buildPairTemplate({ ...spec, clientCidr: '0.0.0.0/0', keyName: 'ops', sshCidr: '10.9.0.0/16' }, { vpcCidrs: ['10.20.0.0/16'] });
    const rules = resources(open).NodeSecurityGroup.Properties.SecurityGroupIngress.map((r: Record<string, unknown>) => `${r.FromPort} ${r.CidrIp}`);
    assert.deepEqual(rules, ['80 0.0.0.0/0', '5432 0.0.0.0/0', '8404 10.20.0.0/16', '22 10.9.0.0/16']);
    const minimal = buildPairTemplate({ ...spec, listeners: [] }, { vpcCidrs: ['10.20.0.0/16'] });
    assert.equal(resources(minimal).NodeSecurityGroup.Properties.SecurityGroupIngress[0].FromPort, 80);
  });

  it('builds one node per subnet: own ENI, source/dest check off, IMDSv2, pair tag, routes first', () => {
    const r = resources(template);
    assert.equal(r.NodeLaunchTemplate.Properties.LaunchTemplateData.MetadataOptions.HttpTokens, 'required');
    const routes = Object.keys(r).filter((id) => r[id].Type === 'AWS::EC2::Route');
    assert.deepEqual(routes, ['VipRouteRtb0a1b2c3d4e5f60718', 'VipRouteRtb0b1b2c3d4e5f60718']);
    assert.deepEqual(r.VipRoutesCreated.DependsOn, routes);
    for (const id of routes) {
      assert.equal(r[id].Properties.DestinationCidrBlock, '192.168.55.100/32');
      assert.deepEqual(r[id].Properties.NetworkInterfaceId, { Ref: 'NodeAEni' });
    }
    for (const [node, subnet] of [['A', spec.subnetIds[0]], ['B', spec.subnetIds[1]]]) {
      const eni = r[`Node${node}Eni`].Properties;
      const instance = r[`Node${node}`];
      assert.equal(eni.SubnetId, subnet);
      assert.equal(eni.SourceDestCheck, false);
      assert.equal(instance.Properties.SourceDestCheck, false);
      assert.deepEqual(instance.Properties.NetworkInterfaces, [{ NetworkInterfaceId: { Ref: `Node${node}Eni` }, DeviceIndex: '0' }]);
      assert.deepEqual(instance.DependsOn, ['VipRoutesCreated'], 'routes exist before any keepalived can run');
      assert.deepEqual(instance.CreationPolicy, { ResourceSignal: { Count: 1, Timeout: 'PT20M' } }, 'CREATE_COMPLETE waits for the node to serve');
      assert.deepEqual(instance.Properties.Tags, [{ Key: 'awsops:pair', Value: 'web-eu1' }, { Key: 'Name', Value: `web-eu1-${node.toLowerCase()}` }]);
      assert.equal(instance.Properties.KeyName, undefined);
    }
    const tagged = buildPairTemplate(spec, { vpcCidrs: ['10.20.0.0/16'], pairTagKey: 'team:pair' });
    assert.deepEqual(resources(tagged).NodeA.Properties.Tags[0], { Key: 'team:pair', Value: 'web-eu1' });
    assert.deepEqual(Object.keys(template.Outputs as object), ['NodeAInstanceId', 'NodeBInstanceId', 'NodeAEniId', 'NodeBEniId', 'Vip', 'RouteTableIds']);
  });

  it('fills deploy-time values into the user data with Fn::Sub and escapes bash ${...}', () => {
    const sub = resources(template).NodeA.Properties.UserData['Fn::Base64']['Fn::Sub'] as string;
    assert.match(sub, /^#cloud-config\n/);
    assert.ok(sub.includes('unicast_src_ip ${NodeAEni.PrimaryPrivateIpAddress}\n'));
    assert.ok(sub.includes('unicast_peer {\n          ${NodeBEni.PrimaryPrivateIpAddress}\n'));
    assert.ok(sub.includes("ENI_ID='${NodeAEni}'") && sub.includes("REGION='${AWS::Region}'"));
    const references = [...sub.matchAll(/\$\{([^!][^}]*)\}/g)].map((m) => m[1]);
    assert.ok(sub.includes("STACK_NAME='${AWS::StackName}'") && sub.includes("SIGNAL_RESOURCE='NodeA'"));
    assert.deepEqual([...new Set(references)].sort(), ['AWS::Region', 'AWS::StackName', 'NodeAEni', 'NodeAEni.PrimaryPrivateIpAddress', 'NodeBEni', 'NodeBEni.PrimaryPrivateIpAddress']);
    // The script no longer fits 16 KB as plain text beside the rest: it rides gzipped, out of Fn::Sub's reach.
    const script = /\n {2}- path: \/usr\/local\/sbin\/awsops-notify\n.*\n {4}encoding: gz\+b64\n {4}content: (\S+)\n/.exec(sub)?.[1] ?? '';
    assert.ok(gunzipSync(Buffer.from(script, 'base64')).toString('utf8').includes('IMDS_URL=${IMDS_URL:-http://169.254.169.254}'));
    const nodeB = resources(template).NodeB.Properties.UserData['Fn::Base64']['Fn::Sub'] as string;
    assert.ok(nodeB.includes('unicast_src_ip ${NodeBEni.PrimaryPrivateIpAddress}\n') && nodeB.includes('priority 100\n'));
    assert.ok(userDataBytes(spec) < 16_384);
  });

  it('300 route tables: the role names the VPC instead of each table, the ids leave pair.conf, the template stays inline', () => {
    const ids = Array.from({ length: 300 }, (_, i) => `rtb-0${(0xa1b2c3d4e5f6000 + i).toString(16)}`);
    const big = buildPairTemplate({ ...spec, routeTableIds: ids }, { vpcCidrs: ['10.20.0.0/16'] });
    const [move] = resources(big).NodeRole.Properties.Policies[0].PolicyDocument.Statement;
    assert.deepEqual(move.Resource, { 'Fn::Sub': 'arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:route-table/*' });
    assert.deepEqual(move.Condition, { ArnEquals: { 'ec2:Vpc': { 'Fn::Sub': `arn:\${AWS::Partition}:ec2:\${AWS::Region}:\${AWS::AccountId}:vpc/${spec.vpcId}` } } });
    assert.ok(JSON.stringify(resources(big).NodeRole.Properties.Policies[0].PolicyDocument).length < 10_240, 'IAM inline policy limit');
    assert.ok(Buffer.byteLength(JSON.stringify(big)) < 51_200, `inline template limit: ${Buffer.byteLength(JSON.stringify(big))} bytes`);
    const sub = resources(big).NodeA.Properties.UserData['Fn::Base64']['Fn::Sub'] as string;
    assert.ok(sub.includes("ROUTE_TABLES=''\n") && sub.includes("ROUTE_TABLES_FILE='/etc/awsops/route-tables'"));
    const file = /\n {2}- path: \/etc\/awsops\/route-tables\n.*\n {4}encoding: gz\+b64\n {4}content: (\S+)\n/.exec(sub)?.[1] ?? '';
    assert.equal(gunzipSync(Buffer.from(file, 'base64')).toString('utf8'), ids.join('\n') + '\n');
    assert.ok(userDataBytes({ ...spec, routeTableIds: ids }) < 16_384);
  });

  it('public pair: allocates (or adopts) an Elastic IP on node A, the role may associate only it and only with the two ENIs, each node\'s settings name it', () => {
    const arn = (resource: string) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:ec2:\${AWS::Region}:\${AWS::AccountId}:${resource}` });
    const statements = (t: CfnTemplate) => resources(t).NodeRole.Properties.Policies[0].PolicyDocument.Statement;
    const allocated = buildPairTemplate({ ...spec, elasticIp: {} }, { vpcCidrs: ['10.20.0.0/16'] });
    const r = resources(allocated);
    assert.deepEqual(r.ElasticIp, { Type: 'AWS::EC2::EIP', Properties: { Domain: 'vpc', Tags: [{ Key: 'awsops:pair', Value: 'web-eu1' }, { Key: 'Name', Value: 'web-eu1-public' }] } });
    assert.deepEqual(r.ElasticIpAssociation.Properties, { AllocationId: { 'Fn::GetAtt': ['ElasticIp', 'AllocationId'] }, NetworkInterfaceId: { Ref: 'NodeAEni' } });
    const bySid = (t: CfnTemplate, sid: string) => statements(t).find((st: { Sid: string }) => st.Sid === sid);
    const [move, read] = [bySid(allocated, 'MoveThisPairsElasticIpOnly'), bySid(allocated, 'ReadElasticIpBack')];
    assert.deepEqual(move.Action, 'ec2:AssociateAddress');
    assert.deepEqual(move.Resource, [arn('elastic-ip/${ElasticIp.AllocationId}'), arn('network-interface/${NodeAEni}'), arn('network-interface/${NodeBEni}')]);
    assert.deepEqual([read.Action, read.Resource], ['ec2:DescribeAddresses', '*']);
    for (const node of ['NodeA', 'NodeB']) assert.ok((r[node].Properties.UserData['Fn::Base64']['Fn::Sub'] as string).includes("ALLOCATION_ID='${ElasticIp.AllocationId}'"), node);
    assert.deepEqual(allocated.Outputs && (allocated.Outputs as Record<string, unknown>).ElasticIpAllocationId, { Value: { 'Fn::GetAtt': ['ElasticIp', 'AllocationId'] } });

    const adopted = buildPairTemplate({ ...spec, elasticIp: { allocationId: 'eipalloc-0a1b2c3d4e5f60718' } }, { vpcCidrs: ['10.20.0.0/16'] });
    assert.equal(resources(adopted).ElasticIp, undefined, 'an adopted address is not the stack\'s to release');
    assert.equal(resources(adopted).ElasticIpAssociation.Properties.AllocationId, 'eipalloc-0a1b2c3d4e5f60718');
    assert.deepEqual(bySid(adopted, 'MoveThisPairsElasticIpOnly').Resource[0], arn('elastic-ip/eipalloc-0a1b2c3d4e5f60718'));
    assert.ok((resources(adopted).NodeB.Properties.UserData['Fn::Base64']['Fn::Sub'] as string).includes("ALLOCATION_ID='eipalloc-0a1b2c3d4e5f60718'"));
    assert.ok(!templateJson(adopted).includes('0.0.0.0/0'), 'listeners stay open to the client CIDR only');
    assert.ok(!templateJson(template).includes('AssociateAddress'), 'an internal pair gets no Elastic IP rights');
  });

  it('exports YAML for IaC pipelines', () => {
    const yaml = templateYaml(template);
    assert.match(yaml, /^AWSTemplateFormatVersion: "2010-09-09"\n/);
    assert.match(yaml, /\n {6}UserData:\n {8}Fn::Base64:\n {10}Fn::Sub: \|\n {12}#cloud-config\n/);
    assert.match(yaml, /\n {6}IpProtocol: "112"\n {6}FromPort: -1\n/);
  });
});
