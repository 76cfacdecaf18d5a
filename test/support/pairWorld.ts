import {
  AssociateRouteTableCommand,
  CreateRouteCommand,
  DescribeRouteTablesCommand,
  ModifyInstanceAttributeCommand,
  ModifyNetworkInterfaceAttributeCommand,
  RunInstancesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { mapBounded } from '../../src/core/failover/bounded';
import { createRouteTable, createSubnet, createVpc, tagSpecs } from './ec2Seed';

/** A haproxy pair in its own VPC with N route tables sending the VIP to node A, seeded through the SDK. */
export interface PairWorld {
  vpcId: string;
  cidr: string;
  nodeA: string;
  nodeB: string;
  eniA: string;
  eniB: string;
  routeTableIds: string[];
  /** The nodes' subnets (A, B): associated with no table, so they use the main table. */
  subnetIds: string[];
}

export interface PairWorldOptions {
  tables: number;
  /** What the VIP routes name: the instance or its primary ENI. */
  kind: 'instance' | 'eni';
  name?: string;
  tagKey?: string;
  cidr?: string;
  /** Both nodes in one AZ (a flagged setup). */
  sameAz?: boolean;
  /** Route tables that get no VIP route (for the "add the VIP" offer), each used by a subnet of its own. */
  tablesWithoutVip?: number;
}

export const AMI = 'ami-12c6146b';

export async function seedPairWorld(ec2: EC2Client, options: PairWorldOptions): Promise<PairWorld> {
  const name = options.name ?? 'web';
  const cidr = options.cidr ?? '192.168.55.100/32';
  const vpcId = await createVpc(ec2, '10.20.0.0/16');
  const zones = options.sameAz ? ['us-east-1a', 'us-east-1a'] : ['us-east-1a', 'us-east-1b'];
  const nodes: Array<{ id: string; eni: string; subnetId: string }> = [];
  for (const [index, zone] of zones.entries()) {
    const subnetId = await createSubnet(ec2, vpcId, `10.20.${index + 1}.0/24`, zone);
    const run = await ec2.send(new RunInstancesCommand({
      ImageId: AMI,
      MinCount: 1,
      MaxCount: 1,
      InstanceType: 't3.micro',
      SubnetId: subnetId,
      TagSpecifications: tagSpecs('instance', { [options.tagKey ?? 'awsops:pair']: name, Name: `${name}-${index ? 'b' : 'a'}` }),
    }));
    const instance = run.Instances?.[0];
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: instance?.InstanceId, SourceDestCheck: { Value: false } }));
    // moto shows the instance attribute but not on the ENI (real EC2 sets both): set the ENI too.
    await ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: instance?.NetworkInterfaces?.[0]?.NetworkInterfaceId, SourceDestCheck: { Value: false } }));
    nodes.push({ id: instance?.InstanceId as string, eni: instance?.NetworkInterfaces?.[0]?.NetworkInterfaceId as string, subnetId });
  }
  const [a, b] = nodes;
  const total = options.tables + (options.tablesWithoutVip ?? 0);
  const routeTableIds = await mapBounded(Array.from({ length: total }, (_, i) => i), 8, async (i) => {
    const id = await createRouteTable(ec2, vpcId, { Name: `rt-${String(i).padStart(2, '0')}` });
    if (i < options.tables) await addVipRoute(ec2, id, cidr, options.kind === 'eni' ? { NetworkInterfaceId: a.eni } : { InstanceId: a.id });
    else await ec2.send(new AssociateRouteTableCommand({ RouteTableId: id, SubnetId: await createSubnet(ec2, vpcId, `10.20.${100 + i}.0/24`, zones[0]) }));
    return id;
  });
  return { vpcId, cidr, nodeA: a.id, nodeB: b.id, eniA: a.eni, eniB: b.eni, routeTableIds: routeTableIds.slice(0, options.tables), subnetIds: nodes.map((n) => n.subnetId) };
}

export async function addVipRoute(ec2: EC2Client, routeTableId: string, cidr: string, target: { InstanceId: string } | { NetworkInterfaceId: string }): Promise<void> {
  await ec2.send(new CreateRouteCommand({ RouteTableId: routeTableId, DestinationCidrBlock: cidr, ...target }));
}

/** The truth, read straight from moto: table id → the VIP route's instance or ENI id ('none' without a route). */
export async function vipTargets(ec2: EC2Client, vpcId: string, cidr: string): Promise<Record<string, string>> {
  const answer = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
  const targets: Record<string, string> = {};
  for (const table of answer.RouteTables ?? []) {
    const route = table.Routes?.find((r) => r.DestinationCidrBlock === cidr);
    targets[table.RouteTableId as string] = route ? (route.InstanceId ?? route.NetworkInterfaceId ?? 'other') : 'none';
  }
  return targets;
}
