/**
 * Can the nodes reach the AWS APIs they call (EC2 to move routes, CloudFormation to signal readiness, SSM for health
 * checks)? The template gives the nodes' ENIs no public IP, so a default route to an internet gateway is not enough:
 * each subnet needs a NAT route, or the VPC needs interface endpoints (private DNS on) for every such service.
 */
import {
  DescribeSubnetsCommand,
  paginateDescribeRouteTables,
  paginateDescribeVpcEndpoints,
  type EC2Client,
  type RouteTable,
} from '@aws-sdk/client-ec2';

/** The services the nodes call; their interface endpoints are what AWS Ops offers to add. */
export const NODE_API_SERVICES = ['ec2', 'cloudformation', 'sts', 'ssm', 'ssmmessages', 'ec2messages'] as const;

export interface SubnetWay {
  subnetId: string;
  /** The target of the subnet's default route (its own route table's, else the main one's); undefined: none. */
  defaultTarget?: string;
  /** Whether the subnet gives instances a public IP; the pair's own ENIs never get one. */
  mapsPublicIp: boolean;
}

export interface ReachabilityFacts {
  subnets: SubnetWay[];
  /** Short names (ec2, sts…) of the VPC's available interface endpoints with private DNS. */
  endpointServices: string[];
}

export interface Reachability {
  ok: boolean;
  /** One line per subnet that has no way to the APIs. */
  problems: string[];
  /** Interface endpoints that would give every subnet a way (the ones the VPC lacks). */
  missingEndpoints: string[];
}

export async function loadReachability(ec2: EC2Client, vpcId: string, subnetIds: readonly string[], region: string): Promise<ReachabilityFacts> {
  const filter = [{ Name: 'vpc-id', Values: [vpcId] }];
  const tables: RouteTable[] = [];
  for await (const page of paginateDescribeRouteTables({ client: ec2 }, { Filters: filter })) tables.push(...(page.RouteTables ?? []));
  const subnets = (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [...subnetIds] }))).Subnets ?? [];
  const endpointServices: string[] = [];
  for await (const page of paginateDescribeVpcEndpoints({ client: ec2 }, { Filters: filter })) {
    for (const endpoint of page.VpcEndpoints ?? []) {
      if (endpoint.VpcEndpointType !== 'Interface' || !endpoint.PrivateDnsEnabled || endpoint.State?.toLowerCase() !== 'available') continue;
      const prefix = `com.amazonaws.${region}.`;
      if (endpoint.ServiceName?.startsWith(prefix)) endpointServices.push(endpoint.ServiceName.slice(prefix.length));
    }
  }
  const main = tables.find((t) => t.Associations?.some((a) => a.Main));
  return {
    endpointServices,
    subnets: subnetIds.map((subnetId) => {
      const table = tables.find((t) => t.Associations?.some((a) => a.SubnetId === subnetId)) ?? main;
      const route = table?.Routes?.find((r) => r.DestinationCidrBlock === '0.0.0.0/0' && r.State !== 'blackhole');
      return {
        subnetId,
        defaultTarget: route ? (route.NatGatewayId ?? route.GatewayId ?? route.TransitGatewayId ?? route.NetworkInterfaceId ?? route.InstanceId) : undefined,
        mapsPublicIp: subnets.find((s) => s.SubnetId === subnetId)?.MapPublicIpOnLaunch ?? false,
      };
    }),
  };
}

/** A NAT gateway route, or endpoints for every service, is a way; an internet gateway alone is not (no public IP). */
export function judgeReachability(facts: ReachabilityFacts): Reachability {
  const missingEndpoints = NODE_API_SERVICES.filter((service) => !facts.endpointServices.includes(service));
  if (missingEndpoints.length === 0) return { ok: true, problems: [], missingEndpoints };
  const problems = facts.subnets.flatMap((subnet) => {
    const target = subnet.defaultTarget;
    // A NAT gateway, transit gateway or appliance ENI/instance: egress the user built on purpose.
    if (target && !target.startsWith('igw-') && target !== 'local') return [];
    const why = target
      ? `its default route goes to internet gateway ${target}, but the nodes' network interfaces get no public IP`
      : 'it has no default route (no NAT gateway)';
    return [`Subnet ${subnet.subnetId} cannot reach the EC2 API: ${why}, and the VPC has no interface endpoint for ${missingEndpoints.join(', ')}.`];
  });
  return { ok: problems.length === 0, problems, missingEndpoints: problems.length === 0 ? [] : missingEndpoints };
}

/** The preflight: judged with the endpoints the spec already adds to the stack counted as present. */
export async function checkReachability(ec2: EC2Client, spec: { vpcId: string; subnetIds: readonly string[]; endpointServices?: string[] }, region: string): Promise<Reachability> {
  const facts = await loadReachability(ec2, spec.vpcId, spec.subnetIds, region);
  return judgeReachability({ ...facts, endpointServices: [...facts.endpointServices, ...(spec.endpointServices ?? [])] });
}

/** What the user reads when the subnets have no way out: what is missing and what AWS Ops can add. */
export function reachabilityText(way: Reachability): string {
  return `${way.problems.join(' ')} Add a NAT gateway route to the subnets, or let AWS Ops add interface endpoints for ${way.missingEndpoints.join(', ')} to the stack (each costs about $0.01 an hour per Availability Zone).`;
}
