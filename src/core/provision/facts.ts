/** Reads what validatePairSpec needs to know about a VPC: its CIDRs, subnets and route tables with their routes. */
import {
  DescribeVpcsCommand,
  paginateDescribeRouteTables,
  paginateDescribeSubnets,
  type EC2Client,
  type Route,
  type Tag,
} from '@aws-sdk/client-ec2';
import type { RouteTableFacts, VpcFacts } from './inputs';

export async function loadVpcFacts(ec2: EC2Client, vpcId: string): Promise<VpcFacts> {
  const filter = [{ Name: 'vpc-id', Values: [vpcId] }];
  const [vpcs, subnets, routeTables] = await Promise.all([
    ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] })),
    collect(paginateDescribeSubnets({ client: ec2 }, { Filters: filter }), (page) => page.Subnets ?? []),
    collect(paginateDescribeRouteTables({ client: ec2 }, { Filters: filter }), (page) => page.RouteTables ?? []),
  ]);
  const vpc = vpcs.Vpcs?.[0];
  if (!vpc) throw new Error(`VPC ${vpcId} was not found.`);
  const associated = (vpc.CidrBlockAssociationSet ?? [])
    .filter((a) => a.CidrBlockState?.State === 'associated' && a.CidrBlock)
    .map((a) => a.CidrBlock as string);
  return {
    vpcId,
    cidrs: associated.length > 0 ? associated : vpc.CidrBlock ? [vpc.CidrBlock] : [],
    subnets: Object.fromEntries(
      subnets
        .filter((s) => s.SubnetId && s.AvailabilityZone)
        .map((s) => [
          s.SubnetId as string,
          { availabilityZone: s.AvailabilityZone as string, vpcId, cidr: s.CidrBlock, name: nameTag(s.Tags) },
        ]),
    ),
    routeTables: routeTables
      .filter((t) => t.RouteTableId)
      .map(
        (t): RouteTableFacts => ({
          routeTableId: t.RouteTableId as string,
          name: nameTag(t.Tags),
          isMain: (t.Associations ?? []).some((a) => a.Main),
          subnetIds: (t.Associations ?? []).flatMap((a) => (a.SubnetId ? [a.SubnetId] : [])),
          routes: (t.Routes ?? [])
            .filter((r) => r.DestinationCidrBlock)
            .map((r) => ({ destination: r.DestinationCidrBlock as string, target: routeTarget(r) })),
        }),
      ),
  };
}

async function collect<P, T>(pages: AsyncIterable<P>, items: (page: P) => T[]): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...items(page));
  return all;
}

function routeTarget(route: Route): string {
  return (
    route.NetworkInterfaceId ??
    route.InstanceId ??
    route.GatewayId ??
    route.NatGatewayId ??
    route.TransitGatewayId ??
    route.VpcPeeringConnectionId ??
    route.LocalGatewayId ??
    route.CarrierGatewayId ??
    route.EgressOnlyInternetGatewayId ??
    route.CoreNetworkArn ??
    'an unknown target'
  );
}

function nameTag(tags: Tag[] | undefined): string | undefined {
  return tags?.find((t) => t.Key === 'Name')?.Value;
}
