import {
  AssociateRouteTableCommand,
  AttachNetworkInterfaceCommand,
  CreateNetworkInterfaceCommand,
  CreateRouteCommand,
  ModifyInstanceAttributeCommand,
  ModifyNetworkInterfaceAttributeCommand,
  RunInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand } from '@aws-sdk/client-iam';
import type { AwsSession } from '../../src/core/session/session';
import type { DiagnosticKind } from '../../src/core/vip/model';
import { mapLimit } from './concurrency';
import { createRouteTable, createSubnet, createVpc, findMainRouteTable, tagSpecs } from './ec2Seed';

/** Any id works in moto; this one is in its default image list. */
export const WORLD_AMI = 'ami-12c6146b';

/** The world's VIPs, each built to show exactly the diagnostics in WORLD_DIAGNOSTICS. */
export const WORLD_VIPS = {
  /** → haproxy-a in all three tables. */
  healthy: '192.168.55.100/32',
  /** → haproxy-a in tables 1 and 2, → haproxy-b in table 3. */
  splitBrain: '192.168.55.101/32',
  /** → haproxy-b's primary ENI in all three tables. */
  eni: '192.168.55.102/32',
  /** → the stopped old node in all three tables. */
  stopped: '192.168.55.103/32',
  /** → haproxy-b in tables 1 and 2 only. */
  partial: '192.168.55.104/32',
  /** → a second ENI of haproxy-a that keeps source/dest check on, in all three tables. */
  sourceDestCheck: '192.168.55.105/32',
  /** 10.0.99.100/32 (inside the VPC's 10.0.0.0/16) → haproxy-a in all three tables. */
  insideCidr: '10.0.99.100/32',
} as const;

export type WorldVip = keyof typeof WORLD_VIPS;

export const WORLD_DIAGNOSTICS: Record<WorldVip, DiagnosticKind[]> = {
  healthy: [],
  splitBrain: ['split-brain'],
  eni: [],
  stopped: ['blackhole'],
  partial: ['partial-coverage'],
  sourceDestCheck: ['source-dest-check'],
  insideCidr: ['vip-inside-cidr'],
};

export interface VipWorld {
  region: string;
  name: string;
  vpcId: string;
  vpcCidr: string;
  /** Subnet i is explicitly associated with route table i; AZs a, b, a. */
  subnetIds: [string, string, string];
  routeTableIds: [string, string, string];
  /** Serves no subnet (all three are explicitly associated) and carries no VIP. */
  mainRouteTableId: string;
  instanceProfileArn: string;
  /** a and b are the haproxy pair (tag awsops:pair=web, source/dest check off, IMDSv2 required); stopped is an old node. */
  instances: { a: string; b: string; stopped: string };
  enis: { aPrimary: string; bPrimary: string; /** attached to a as device 1, source/dest check on */ aSecondary: string };
  vips: typeof WORLD_VIPS;
}

export interface SeedOptions {
  /** Name tag prefix, so that several worlds can share a region. Default "vip-world". */
  name?: string;
}

/**
 * Seeds the VIP world through the SDK into the session's region (moto or any disposable account):
 * VPC 10.0.0.0/16, three subnets in two AZs, three associated route tables, a haproxy pair, and one VIP per
 * situation (see WORLD_VIPS). 46 calls, ~0.7 s on a warm moto.
 */
export async function seedVipWorld(session: AwsSession, options: SeedOptions = {}): Promise<VipWorld> {
  const ec2 = session.client('ec2');
  const region = session.spec.region;
  const name = options.name ?? 'vip-world';

  const vpcCidr = '10.0.0.0/16';
  const vpcId = await createVpc(ec2, vpcCidr, { Name: name });
  const azs = [`${region}a`, `${region}b`, `${region}a`];
  const subnetIds = (await Promise.all(
    azs.map((az, i) => createSubnet(ec2, vpcId, `10.0.${i + 1}.0/24`, az, { Name: `${name}-subnet-${i + 1}` })),
  )) as VipWorld['subnetIds'];
  const routeTableIds = (await Promise.all(
    subnetIds.map(async (SubnetId, i) => {
      const RouteTableId = await createRouteTable(ec2, vpcId, { Name: `${name}-rt-${i + 1}` });
      await ec2.send(new AssociateRouteTableCommand({ RouteTableId, SubnetId }));
      return RouteTableId;
    }),
  )) as VipWorld['routeTableIds'];
  const mainRouteTableId = await findMainRouteTable(ec2, vpcId);

  const instanceProfileArn = await createInstanceProfile(session, `${name}-${region}-haproxy`);
  const launch = async (subnet: number, nodeTags: Record<string, string>) => {
    const run = await ec2.send(new RunInstancesCommand({
      ImageId: WORLD_AMI, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, SubnetId: subnetIds[subnet],
      IamInstanceProfile: { Arn: instanceProfileArn }, MetadataOptions: { HttpTokens: 'required' },
      TagSpecifications: tagSpecs('instance', nodeTags),
    }));
    const instance = run.Instances?.[0];
    const InstanceId = instance?.InstanceId as string;
    const primaryEni = instance?.NetworkInterfaces?.find((n) => n.Attachment?.DeviceIndex === 0)?.NetworkInterfaceId as string;
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId, SourceDestCheck: { Value: false } }));
    // moto shows the instance attribute but not on the ENI (real EC2 sets both): set the ENI too.
    await ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: primaryEni, SourceDestCheck: { Value: false } }));
    return { InstanceId, primaryEni };
  };
  const [a, b, old] = await Promise.all([
    launch(0, { Name: `${name}-haproxy-a`, 'awsops:pair': 'web' }),
    launch(1, { Name: `${name}-haproxy-b`, 'awsops:pair': 'web' }),
    launch(2, { Name: `${name}-old-node` }),
  ]);
  await ec2.send(new StopInstancesCommand({ InstanceIds: [old.InstanceId] }));
  const secondary = await ec2.send(new CreateNetworkInterfaceCommand({
    SubnetId: subnetIds[0], TagSpecifications: tagSpecs('network-interface', { Name: `${name}-haproxy-a-eth1` }),
  }));
  const aSecondary = secondary.NetworkInterface?.NetworkInterfaceId as string;
  await ec2.send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: aSecondary, InstanceId: a.InstanceId, DeviceIndex: 1 }));

  const [t1, t2, t3] = routeTableIds;
  const all = [t1, t2, t3];
  const plan: Array<{ vip: string; tables: string[]; target: { InstanceId: string } | { NetworkInterfaceId: string } }> = [
    { vip: WORLD_VIPS.healthy, tables: all, target: { InstanceId: a.InstanceId } },
    { vip: WORLD_VIPS.splitBrain, tables: [t1, t2], target: { InstanceId: a.InstanceId } },
    { vip: WORLD_VIPS.splitBrain, tables: [t3], target: { InstanceId: b.InstanceId } },
    { vip: WORLD_VIPS.eni, tables: all, target: { NetworkInterfaceId: b.primaryEni } },
    { vip: WORLD_VIPS.stopped, tables: all, target: { InstanceId: old.InstanceId } },
    { vip: WORLD_VIPS.partial, tables: [t1, t2], target: { InstanceId: b.InstanceId } },
    { vip: WORLD_VIPS.sourceDestCheck, tables: all, target: { NetworkInterfaceId: aSecondary } },
    { vip: WORLD_VIPS.insideCidr, tables: all, target: { InstanceId: a.InstanceId } },
  ];
  const routes = plan.flatMap(({ vip, tables, target }) => tables.map((RouteTableId) => ({ RouteTableId, DestinationCidrBlock: vip, ...target })));
  await mapLimit(routes, 8, (route) => ec2.send(new CreateRouteCommand(route)));

  return {
    region,
    name,
    vpcId,
    vpcCidr,
    subnetIds,
    routeTableIds,
    mainRouteTableId,
    instanceProfileArn,
    instances: { a: a.InstanceId, b: b.InstanceId, stopped: old.InstanceId },
    enis: { aPrimary: a.primaryEni, bPrimary: b.primaryEni, aSecondary },
    vips: WORLD_VIPS,
  };
}

async function createInstanceProfile(session: AwsSession, name: string): Promise<string> {
  const iam = session.client('iam');
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
  await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(trust) }));
  const profile = await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: name }));
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: name }));
  return profile.InstanceProfile?.Arn as string;
}
