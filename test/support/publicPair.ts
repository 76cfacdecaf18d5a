import {
  AllocateAddressCommand,
  AssociateAddressCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { findMainRouteTable, tagSpecs } from './ec2Seed';

/** Makes the VPC's main table (which the pair world's node subnets use) send 0.0.0.0/0 to a new internet gateway. */
export async function makeNodeSubnetsPublic(ec2: EC2Client, vpcId: string): Promise<void> {
  const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway?.InternetGatewayId as string;
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
  await ec2.send(new CreateRouteCommand({ RouteTableId: await findMainRouteTable(ec2, vpcId), DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));
}

/** An Elastic IP, tagged (e.g. with the pair's tag) and associated with an instance when one is given. */
export async function allocateElasticIp(ec2: EC2Client, tags: Record<string, string>, instanceId?: string): Promise<{ allocationId: string; publicIp: string }> {
  const allocated = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc', TagSpecifications: tagSpecs('elastic-ip', tags) }));
  const allocationId = allocated.AllocationId as string;
  if (instanceId) await ec2.send(new AssociateAddressCommand({ AllocationId: allocationId, InstanceId: instanceId }));
  return { allocationId, publicIp: allocated.PublicIp as string };
}
