import type { TreeNode } from '../../plumbing/treeNode';

/** Which VIP a VIP row stands for: the data every VIP row hands to commands (failover, plan). */
export interface VipRef {
  region: string;
  vpcId: string;
  cidr: string;
  /** The account, when several are shown (the same VPC id cannot be in two, but a region is). */
  accountId?: string;
}

/**
 * Matches the VIP row of `vip`, in VIP Routes or any view whose VIP rows carry the same data; a public VIP's row
 * (an Elastic IP) matches by its public address in `cidr`.
 */
export function vipRowMatches(vip: VipRef): (node: TreeNode) => boolean {
  return (node) => {
    const data = node.data as (Partial<VipRef> & { publicIp?: string }) | undefined;
    const sameAccount = vip.accountId === undefined || node.account?.accountId === vip.accountId;
    const address = node.contextValue === 'vip' ? data?.cidr : node.contextValue === 'publicVip' ? data?.publicIp : undefined;
    return address !== undefined && address === vip.cidr && sameAccount && data?.region === vip.region && data.vpcId === vip.vpcId;
  };
}
