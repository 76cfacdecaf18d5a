/** The EC2 building blocks every seeding helper needs, through the SDK, each returning the new resource's id. */
import {
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
