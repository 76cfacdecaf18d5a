import { DescribeRouteTablesCommand, paginateDescribeInstances, paginateDescribeRouteTables, paginateDescribeSubnets, type EC2Client, type Route, type RouteTable } from '@aws-sdk/client-ec2';
import { isHostCidr } from '../net/cidr';
import { describeStatuses } from '../pairs/status';
import type { StatusCheck } from '../pairs/statusCheck';
import { explainError } from '../session/errors';
import type { SubnetRef } from '../vip/coverage';

/** What a route sends its traffic to, as EC2 names it. 'other' covers gateways, NAT, peering... */
export interface TargetRef {
  kind: 'instance' | 'eni' | 'other';
  id: string;
}

/** One VIP route as read now. */
export interface RouteRead {
  target: TargetRef;
  state: string;
}

/** One route table of the VPC with its VIP (/32, /128) routes keyed by destination. */
export interface TableRead {
  routeTableId: string;
  name?: string;
  isMain: boolean;
  /** Subnets associated with the table by name; the main table also serves the VPC's unassociated ones. */
  explicitSubnetIds: string[];
  routes: Record<string, RouteRead>;
}

/** The facts about a pair node that planning and preflight need. */
export interface NodeRead {
  instanceId: string;
  state: string;
  vpcId?: string;
  sourceDestCheck?: boolean;
  primaryEniId?: string;
  /** The primary private IP (an Elastic IP moved to this node is associated with it). */
  privateIp?: string;
  /** Every ENI attached to the instance: an ENI route to any of them delivers to this node. */
  eniIds: string[];
  status?: StatusCheck;
}

/** Every route table of the VPC (paginated). */
export async function readRouteTables(ec2: EC2Client, vpcId: string): Promise<TableRead[]> {
  const tables: TableRead[] = [];
  for await (const page of paginateDescribeRouteTables({ client: ec2, pageSize: 100 }, { Filters: [{ Name: 'vpc-id', Values: [vpcId] }] })) {
    tables.push(...(page.RouteTables ?? []).map(tableRead));
  }
  return tables;
}

/** Every subnet of the VPC with its Name tag (paginated): the main table serves those no table names. */
export async function readVpcSubnets(ec2: EC2Client, vpcId: string): Promise<SubnetRef[]> {
  const subnets: SubnetRef[] = [];
  for await (const page of paginateDescribeSubnets({ client: ec2, pageSize: 100 }, { Filters: [{ Name: 'vpc-id', Values: [vpcId] }] })) {
    for (const s of page.Subnets ?? []) if (s.SubnetId) subnets.push({ subnetId: s.SubnetId, name: s.Tags?.find((t) => t.Key === 'Name')?.Value });
  }
  return subnets;
}

/** One table's VIP route right now: undefined when the table has no such route, 'vanished' when the table is gone. */
export async function readRoute(ec2: EC2Client, routeTableId: string, cidr: string): Promise<RouteRead | undefined | 'vanished'> {
  try {
    const answer = await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [routeTableId] }));
    const table = answer.RouteTables?.[0];
    return table ? tableRead(table).routes[cidr] : 'vanished';
  } catch (error) {
    if (explainError(error).code === 'InvalidRouteTableID.NotFound') return 'vanished';
    throw error;
  }
}

/** The nodes by id (an id filter, so a vanished instance is just absent) with their status checks. */
export async function readNodes(ec2: EC2Client, instanceIds: readonly string[]): Promise<Record<string, NodeRead>> {
  const nodes: Record<string, NodeRead> = {};
  const ids = [...new Set(instanceIds)];
  if (ids.length === 0) return nodes;
  const [pages, statuses] = await Promise.all([collectInstances(ec2, ids), describeStatuses(ec2, ids)]);
  for (const instance of pages) {
    if (!instance.InstanceId) continue;
    const attached = (instance.NetworkInterfaces ?? []).filter((n) => n.NetworkInterfaceId);
    nodes[instance.InstanceId] = {
      instanceId: instance.InstanceId,
      state: instance.State?.Name ?? 'unknown',
      vpcId: instance.VpcId,
      sourceDestCheck: instance.SourceDestCheck,
      primaryEniId: attached.find((n) => n.Attachment?.DeviceIndex === 0)?.NetworkInterfaceId,
      privateIp: instance.PrivateIpAddress,
      eniIds: attached.map((n) => n.NetworkInterfaceId as string),
      status: statuses[instance.InstanceId],
    };
  }
  return nodes;
}

export function sameTarget(a: TargetRef | undefined, b: TargetRef | undefined): boolean {
  return !!a && !!b && a.kind === b.kind && a.id === b.id;
}

async function collectInstances(ec2: EC2Client, ids: string[]) {
  const instances = [];
  for await (const page of paginateDescribeInstances({ client: ec2 }, { Filters: [{ Name: 'instance-id', Values: ids }] })) {
    instances.push(...(page.Reservations ?? []).flatMap((r) => r.Instances ?? []));
  }
  return instances;
}

function tableRead(table: RouteTable): TableRead {
  const routes: Record<string, RouteRead> = {};
  for (const route of table.Routes ?? []) {
    const destination = route.DestinationCidrBlock ?? route.DestinationIpv6CidrBlock;
    if (destination && isHostCidr(destination)) routes[destination] = { target: targetOf(route), state: route.State ?? 'active' };
  }
  return {
    routeTableId: table.RouteTableId as string,
    name: table.Tags?.find((t) => t.Key === 'Name')?.Value,
    isMain: (table.Associations ?? []).some((a) => a.Main),
    explicitSubnetIds: (table.Associations ?? []).flatMap((a) => (a.SubnetId ? [a.SubnetId] : [])),
    routes,
  };
}

/** Real EC2 names the ENI on instance routes too, so the instance wins (as in discovery). */
function targetOf(route: Route): TargetRef {
  if (route.InstanceId) return { kind: 'instance', id: route.InstanceId };
  if (route.NetworkInterfaceId) return { kind: 'eni', id: route.NetworkInterfaceId };
  const other = route.GatewayId ?? route.NatGatewayId ?? route.TransitGatewayId ?? route.VpcPeeringConnectionId ?? route.LocalGatewayId ?? route.CarrierGatewayId ?? route.CoreNetworkArn ?? 'unknown target';
  return { kind: 'other', id: other };
}
