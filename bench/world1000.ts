/** The benchmarks' 1,000-route-table world in one region of moto, seeded through the SDK. */
import { AssociateRouteTableCommand, CreateRouteCommand, CreateRouteTableCommand, CreateSubnetCommand, CreateVpcCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import type { AwsSession } from '../src/core/session/session';
import { mapLimit } from '../test/support/concurrency';
import { WORLD_AMI } from '../test/support/seedVipWorld';

const VPCS = 125;
const TABLES_PER_VPC = 8;
/** Two keepalived pairs per VPC, active/active: one VIP per instance, in every table of the VPC. */
const INSTANCES_PER_VPC = 4;

export const THOUSAND_TABLES = { vpcs: VPCS, tables: VPCS * TABLES_PER_VPC, instances: VPCS * INSTANCES_PER_VPC } as const;

/** 125 VPCs × 8 route tables (1,000) and 4 instances each (500), every instance a VIP in every table of its VPC. Returns the instance ids. */
export async function seedThousandTables(session: AwsSession): Promise<string[]> {
  return (await mapLimit(Array.from({ length: VPCS }, (_, i) => i), 12, (i) => seedVpc(session, i))).flat();
}

/** One VPC: 8 subnets in two AZs, each with its own route table; 4 instances launched in one call; 4 VIPs in every table. */
async function seedVpc(session: AwsSession, i: number): Promise<string[]> {
  const ec2 = session.client('ec2');
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: `10.${i}.0.0/16` }));
  const VpcId = vpc.Vpc?.VpcId as string;
  const tables = await Promise.all(
    Array.from({ length: TABLES_PER_VPC }, async (_, j) => {
      const subnet = await ec2.send(new CreateSubnetCommand({ VpcId, CidrBlock: `10.${i}.${j}.0/24`, AvailabilityZone: j % 2 ? 'us-east-1b' : 'us-east-1a' }));
      const SubnetId = subnet.Subnet?.SubnetId as string;
      const table = await ec2.send(new CreateRouteTableCommand({ VpcId, TagSpecifications: [{ ResourceType: 'route-table', Tags: [{ Key: 'Name', Value: `vpc${i}-rt${j}` }] }] }));
      const RouteTableId = table.RouteTable?.RouteTableId as string;
      await ec2.send(new AssociateRouteTableCommand({ RouteTableId, SubnetId }));
      return { RouteTableId, SubnetId };
    }),
  );
  const run = await ec2.send(new RunInstancesCommand({ ImageId: WORLD_AMI, MinCount: INSTANCES_PER_VPC, MaxCount: INSTANCES_PER_VPC, SubnetId: tables[0].SubnetId }));
  const instanceIds = (run.Instances ?? []).map((inst) => inst.InstanceId as string);
  const routes = instanceIds.flatMap((InstanceId, k) => tables.map(({ RouteTableId }) => ({ RouteTableId, InstanceId, DestinationCidrBlock: `192.168.${i}.${k + 1}/32` })));
  await mapLimit(routes, 4, (route) => ec2.send(new CreateRouteCommand(route)));
  return instanceIds;
}
