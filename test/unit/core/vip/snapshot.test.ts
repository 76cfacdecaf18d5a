import type { Instance, RouteTable } from '@aws-sdk/client-ec2';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildSnapshot, vipTargetIds, type RawRegion } from '../../../../src/core/vip/snapshot';

/** EC2 answers shaped as the SDK returns them, including what real EC2 adds and moto omits. */
const table = (id: string, routes: RouteTable['Routes'], associations: RouteTable['Associations'] = [], name?: string): RouteTable => ({
  RouteTableId: id, VpcId: 'vpc-1', Routes: [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' }, ...(routes ?? [])],
  Associations: associations, Tags: name ? [{ Key: 'Name', Value: name }] : [],
});

const instance = (id: string, extra: Partial<Instance> = {}): Instance => ({
  InstanceId: id, State: { Name: 'running' }, VpcId: 'vpc-1', SubnetId: 'subnet-1', SourceDestCheck: false,
  Tags: [{ Key: 'Name', Value: `lb-${id}` }],
  NetworkInterfaces: [
    { NetworkInterfaceId: `eni-${id}-1`, Status: 'in-use', SubnetId: 'subnet-1', SourceDestCheck: true, Attachment: { DeviceIndex: 1 } },
    { NetworkInterfaceId: `eni-${id}-0`, Status: 'in-use', SubnetId: 'subnet-1', SourceDestCheck: false, Attachment: { DeviceIndex: 0 } },
  ],
  ...extra,
});

function raw(overrides: Partial<RawRegion> = {}): RawRegion {
  return {
    region: 'eu-west-1',
    vpcs: [{
      VpcId: 'vpc-1', CidrBlock: '10.0.0.0/16', Tags: [{ Key: 'Name', Value: 'prod' }],
      CidrBlockAssociationSet: [
        { CidrBlock: '10.0.0.0/16', CidrBlockState: { State: 'associated' } },
        { CidrBlock: '10.5.0.0/16', CidrBlockState: { State: 'disassociated' } },
      ],
      Ipv6CidrBlockAssociationSet: [{ Ipv6CidrBlock: '2600:1f18:abc:de00::/56', Ipv6CidrBlockState: { State: 'associated' } }],
    }],
    subnets: [
      { SubnetId: 'subnet-1', VpcId: 'vpc-1', AvailabilityZone: 'eu-west-1a', CidrBlock: '10.0.1.0/24' },
      { SubnetId: 'subnet-2', VpcId: 'vpc-1', AvailabilityZone: 'eu-west-1b', CidrBlock: '10.0.2.0/24' },
      { SubnetId: 'subnet-3', VpcId: 'vpc-1', AvailabilityZone: 'eu-west-1c', CidrBlock: '10.0.3.0/24' },
    ],
    routeTables: [
      table('rtb-main', [{ DestinationCidrBlock: '192.168.55.100/32', InstanceId: 'i-a', NetworkInterfaceId: 'eni-i-a-0', State: 'active' }],
        [{ Main: true }]),
      table('rtb-1', [
        { DestinationCidrBlock: '192.168.55.100/32', InstanceId: 'i-a', NetworkInterfaceId: 'eni-i-a-0', State: 'active' },
        { DestinationCidrBlock: '192.168.55.9/32', NetworkInterfaceId: 'eni-x', State: 'active' },
        { DestinationIpv6CidrBlock: '2001:db8::10/128', InstanceId: 'i-a', State: 'active' },
        { DestinationCidrBlock: '192.168.56.0/24', InstanceId: 'i-a', State: 'active' },
        { DestinationCidrBlock: '203.0.113.7/32', GatewayId: 'igw-1', State: 'active' },
        { DestinationPrefixListId: 'pl-1', InstanceId: 'i-a', State: 'active' },
      ], [{ SubnetId: 'subnet-1' }], 'private-a'),
    ],
    instances: [instance('i-a'), instance('i-b')],
    networkInterfaces: [{ NetworkInterfaceId: 'eni-x', Status: 'in-use', AvailabilityZone: 'eu-west-1a', SourceDestCheck: false, Attachment: { InstanceId: 'i-b', Status: 'attached', DeviceIndex: 0 } }],
    ...overrides,
  };
}

describe('vipTargetIds', () => {
  it('lists each instance and ENI that a /32 or /128 route names, once', () => {
    assert.deepEqual(vipTargetIds(raw().routeTables), { instanceIds: ['i-a'], eniIds: ['eni-x'] });
  });
});

describe('buildSnapshot', () => {
  it('keeps only single-address routes to an instance or ENI as VIPs, IPv4 before IPv6, in numeric order', () => {
    const [vpc] = buildSnapshot(raw()).vpcs;
    assert.deepEqual(vpc.vips.map((v) => v.cidr), ['192.168.55.9/32', '192.168.55.100/32', '2001:db8::10/128']);
  });

  it('gives the main table the subnets that have no explicit association', () => {
    const [vpc] = buildSnapshot(raw()).vpcs;
    assert.deepEqual(vpc.routeTables.map((t) => [t.routeTableId, t.isMain, t.subnetIds]), [
      ['rtb-1', false, ['subnet-1']],
      ['rtb-main', true, ['subnet-2', 'subnet-3']],
    ]);
    const route = vpc.vips[1].routes.find((r) => r.routeTableId === 'rtb-main');
    assert.deepEqual(route?.availabilityZones, ['eu-west-1b', 'eu-west-1c']);
  });

  it('resolves an ENI target to its instance, and keeps the ENI EC2 names on an instance route', () => {
    const [vpc] = buildSnapshot(raw()).vpcs;
    assert.deepEqual(vpc.vips[0].routes[0].target, { kind: 'eni', id: 'eni-x', eniId: 'eni-x', instanceId: 'i-b' });
    assert.deepEqual(vpc.vips[1].routes[0].target, { kind: 'instance', id: 'i-a', instanceId: 'i-a', eniId: 'eni-i-a-0' });
  });

  it('fills instances (primary ENI = device 0) and ENIs, described ENIs winning over instance listings', () => {
    const snapshot = buildSnapshot(raw({ instances: [instance('i-a', { MetadataOptions: { HttpTokens: 'required' }, IamInstanceProfile: { Arn: 'arn:aws:iam::1:instance-profile/lb' } })] }));
    const a = snapshot.instances['i-a'];
    assert.equal(a.primaryEniId, 'eni-i-a-0');
    assert.equal(a.name, 'lb-i-a');
    assert.equal(a.imdsv2Required, true);
    assert.equal(a.instanceProfileArn, 'arn:aws:iam::1:instance-profile/lb');
    assert.deepEqual(snapshot.enis['eni-i-a-1'], {
      eniId: 'eni-i-a-1', status: 'in-use', attachedInstanceId: 'i-a', sourceDestCheck: true, privateIp: undefined, subnetId: 'subnet-1', availabilityZone: 'eu-west-1a',
    });
    assert.equal(snapshot.enis['eni-x'].attachedInstanceId, 'i-b');
  });

  it('uses only associated VPC CIDRs, IPv4 and IPv6', () => {
    assert.deepEqual(buildSnapshot(raw()).vpcs[0].cidrs, ['10.0.0.0/16', '2600:1f18:abc:de00::/56']);
  });

  it('attaches diagnostics: here the main table serves subnets 2 and 3 but lacks two VIPs', () => {
    const [vpc] = buildSnapshot(raw()).vpcs;
    assert.deepEqual(vpc.vips.map((v) => v.diagnostics.map((d) => d.kind)), [['partial-coverage'], [], ['partial-coverage']]);
  });
});
