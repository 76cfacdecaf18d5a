import { paginateDescribeNetworkInterfaces, paginateDescribeSecurityGroups, type EC2Client, type IpPermission } from '@aws-sdk/client-ec2';
import type { EniFacts } from './readiness';
import type { SecurityGroupRules, SgRule } from './vrrp';

/** EC2 accepts 200 values per filter. */
const FILTER_VALUES = 200;

export interface PairNetworks {
  /** Per instance id: every attached interface. */
  enis: Record<string, EniFacts[]>;
  /** Every security group of those interfaces that EC2 described. */
  securityGroups: Record<string, SecurityGroupRules>;
}

/**
 * The interfaces of the given instances (source/dest check, private IP, groups) and their security groups'
 * rules: one DescribeNetworkInterfaces and one DescribeSecurityGroups per 200 ids.
 */
export async function readPairNetworks(ec2: EC2Client, instanceIds: readonly string[], signal?: AbortSignal): Promise<PairNetworks> {
  const enis: Record<string, EniFacts[]> = Object.fromEntries(instanceIds.map((id) => [id, []]));
  for (const batch of batches(instanceIds)) {
    const pages = paginateDescribeNetworkInterfaces({ client: ec2 }, { Filters: [{ Name: 'attachment.instance-id', Values: batch }] }, { abortSignal: signal });
    for await (const page of pages) {
      for (const eni of page.NetworkInterfaces ?? []) {
        const instanceId = eni.Attachment?.InstanceId;
        if (!instanceId || !eni.NetworkInterfaceId || !enis[instanceId]) continue;
        enis[instanceId].push({
          eniId: eni.NetworkInterfaceId,
          primary: eni.Attachment?.DeviceIndex === 0,
          sourceDestCheck: eni.SourceDestCheck,
          privateIp: eni.PrivateIpAddress,
          groupIds: (eni.Groups ?? []).flatMap((g) => (g.GroupId ? [g.GroupId] : [])),
        });
      }
    }
  }
  const groupIds = [...new Set(Object.values(enis).flatMap((list) => list.flatMap((e) => e.groupIds)))];
  const securityGroups: Record<string, SecurityGroupRules> = {};
  for (const batch of batches(groupIds)) {
    for await (const page of paginateDescribeSecurityGroups({ client: ec2 }, { Filters: [{ Name: 'group-id', Values: batch }] }, { abortSignal: signal })) {
      for (const group of page.SecurityGroups ?? []) {
        if (group.GroupId) securityGroups[group.GroupId] = { groupId: group.GroupId, ingress: rules(group.IpPermissions), egress: rules(group.IpPermissionsEgress) };
      }
    }
  }
  return { enis, securityGroups };
}

function rules(permissions: IpPermission[] | undefined): SgRule[] {
  return (permissions ?? []).map((p) => ({
    protocol: p.IpProtocol ?? '',
    cidrs: (p.IpRanges ?? []).flatMap((r) => (r.CidrIp ? [r.CidrIp] : [])),
    groupIds: (p.UserIdGroupPairs ?? []).flatMap((g) => (g.GroupId ? [g.GroupId] : [])),
    prefixListIds: (p.PrefixListIds ?? []).flatMap((l) => (l.PrefixListId ? [l.PrefixListId] : [])),
  }));
}

function batches<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += FILTER_VALUES) out.push(items.slice(i, i + FILTER_VALUES));
  return out;
}
