/** The lists the provisioning wizard and teardown pick from: VPCs, key pairs, free Elastic IPs, and the stacks of existing pairs. */
import { paginateListStacks, type CloudFormationClient, type StackStatus } from '@aws-sdk/client-cloudformation';
import { DescribeAddressesCommand, DescribeKeyPairsCommand, paginateDescribeVpcs, type EC2Client } from '@aws-sdk/client-ec2';
import { STACK_NAME_PREFIX } from './inputs';

export interface VpcChoice {
  vpcId: string;
  name?: string;
  cidrs: string[];
  isDefault: boolean;
}

export interface PairStack {
  pairName: string;
  stackName: string;
  stackId: string;
  status: string;
  created?: Date;
}

export async function listVpcs(ec2: EC2Client): Promise<VpcChoice[]> {
  const vpcs: VpcChoice[] = [];
  for await (const page of paginateDescribeVpcs({ client: ec2 }, {})) {
    for (const vpc of page.Vpcs ?? []) {
      if (!vpc.VpcId) continue;
      const associated = (vpc.CidrBlockAssociationSet ?? []).filter((a) => a.CidrBlockState?.State === 'associated' && a.CidrBlock);
      vpcs.push({
        vpcId: vpc.VpcId,
        name: vpc.Tags?.find((t) => t.Key === 'Name')?.Value,
        cidrs: associated.length > 0 ? associated.map((a) => a.CidrBlock as string) : vpc.CidrBlock ? [vpc.CidrBlock] : [],
        isDefault: vpc.IsDefault ?? false,
      });
    }
  }
  // The default VPC last: pairs usually go into a purpose-built one.
  return vpcs.sort((a, b) => Number(a.isDefault) - Number(b.isDefault) || (a.name ?? a.vpcId).localeCompare(b.name ?? b.vpcId));
}

export async function listKeyPairNames(ec2: EC2Client): Promise<string[]> {
  const result = await ec2.send(new DescribeKeyPairsCommand({}));
  return (result.KeyPairs ?? []).flatMap((k) => (k.KeyName ? [k.KeyName] : [])).sort();
}

export interface FreeElasticIp {
  allocationId: string;
  publicIp: string;
  name?: string;
}

/**
 * The region's VPC Elastic IPs that nothing holds, which a public pair may adopt (the wizard never offers one that is
 * associated: adopting it would take the address from whatever serves on it now). DescribeAddresses has no pages.
 */
export async function listFreeElasticIps(ec2: EC2Client): Promise<FreeElasticIp[]> {
  const result = await ec2.send(new DescribeAddressesCommand({ Filters: [{ Name: 'domain', Values: ['vpc'] }] }));
  return (result.Addresses ?? [])
    .flatMap((a) => (a.AllocationId && a.PublicIp && !a.AssociationId ? [{ allocationId: a.AllocationId, publicIp: a.PublicIp, name: a.Tags?.find((t) => t.Key === 'Name')?.Value }] : []))
    .sort((a, b) => a.publicIp.localeCompare(b.publicIp, undefined, { numeric: true }));
}

/** Every live stack that AWS Ops created for a pair (named awsops-pair-<name>), newest first. */
export async function listPairStacks(cfn: CloudFormationClient): Promise<PairStack[]> {
  const stacks: PairStack[] = [];
  for await (const page of paginateListStacks({ client: cfn }, { StackStatusFilter: LIVE_STATUSES })) {
    for (const stack of page.StackSummaries ?? []) {
      if (!stack.StackName?.startsWith(STACK_NAME_PREFIX) || !stack.StackId) continue;
      stacks.push({
        pairName: stack.StackName.slice(STACK_NAME_PREFIX.length),
        stackName: stack.StackName,
        stackId: stack.StackId,
        status: stack.StackStatus ?? 'UNKNOWN',
        created: stack.CreationTime,
      });
    }
  }
  return stacks.sort((a, b) => (b.created?.getTime() ?? 0) - (a.created?.getTime() ?? 0));
}

/** ListStacks also returns deleted stacks for 90 days; only these still exist. */
const LIVE_STATUSES: StackStatus[] = [
  'CREATE_IN_PROGRESS',
  'CREATE_FAILED',
  'CREATE_COMPLETE',
  'ROLLBACK_IN_PROGRESS',
  'ROLLBACK_FAILED',
  'ROLLBACK_COMPLETE',
  'DELETE_IN_PROGRESS',
  'DELETE_FAILED',
  'UPDATE_IN_PROGRESS',
  'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
  'UPDATE_COMPLETE',
  'UPDATE_FAILED',
  'UPDATE_ROLLBACK_IN_PROGRESS',
  'UPDATE_ROLLBACK_FAILED',
  'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
  'UPDATE_ROLLBACK_COMPLETE',
  'REVIEW_IN_PROGRESS',
  'IMPORT_IN_PROGRESS',
  'IMPORT_COMPLETE',
  'IMPORT_ROLLBACK_IN_PROGRESS',
  'IMPORT_ROLLBACK_FAILED',
  'IMPORT_ROLLBACK_COMPLETE',
];
