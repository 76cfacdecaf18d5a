/** The EC2 building blocks every seeding helper needs, through the SDK, each returning the new resource's id. */
import {
  AllocateAddressCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeRouteTablesCommand,
  type EC2Client,
  type ResourceType,
  type TagSpecification,
} from '@aws-sdk/client-ec2';

export type Tags = Record<string, string>;

/** TagSpecifications for one resource, in the record's key order. */
export function tagSpecs(resourceType: ResourceType, tags: Tags): TagSpecification[] {
  return [{ ResourceType: resourceType, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }];
}

/** Without tags, no TagSpecifications at all, so an untagged resource is requested exactly as before. */
const tagged = (resourceType: ResourceType, tags: Tags | undefined) => (tags ? { TagSpecifications: tagSpecs(resourceType, tags) } : {});

export async function createVpc(ec2: EC2Client, cidr: string, tags?: Tags): Promise<string> {
  return (await ec2.send(new CreateVpcCommand({ CidrBlock: cidr, ...tagged('vpc', tags) }))).Vpc?.VpcId as string;
}

export async function createSubnet(ec2: EC2Client, vpcId: string, cidr: string, availabilityZone: string, tags?: Tags): Promise<string> {
  const output = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: availabilityZone, ...tagged('subnet', tags) }));
  return output.Subnet?.SubnetId as string;
}

export async function createRouteTable(ec2: EC2Client, vpcId: string, tags?: Tags): Promise<string> {
  return (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId, ...tagged('route-table', tags) }))).RouteTable?.RouteTableId as string;
}

/** The VPC's main route table (the one serving every subnet without an explicit association). */
export async function findMainRouteTable(ec2: EC2Client, vpcId: string): Promise<string> {
  const main = await ec2.send(new DescribeRouteTablesCommand({
    Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'association.main', Values: ['true'] }],
  }));
  return main.RouteTables?.[0]?.RouteTableId as string;
}

/**
 * The usual private-subnet egress: a NAT gateway (in `natSubnetId`, behind an internet gateway) as the main route
 * table's default route, so the subnets without a table of their own reach the AWS APIs. Returns the NAT gateway id.
 */
export async function giveNatWay(ec2: EC2Client, vpcId: string, natSubnetId: string): Promise<string> {
  const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway?.InternetGatewayId as string;
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
  const allocationId = (await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }))).AllocationId as string;
  const nat = (await ec2.send(new CreateNatGatewayCommand({ SubnetId: natSubnetId, AllocationId: allocationId }))).NatGateway?.NatGatewayId as string;
  await ec2.send(new CreateRouteCommand({ RouteTableId: await findMainRouteTable(ec2, vpcId), DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: nat }));
  return nat;
}
