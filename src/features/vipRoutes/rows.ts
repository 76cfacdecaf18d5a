import type { TreeNode } from '../../plumbing/treeNode';

/** Which VIP a VIP row stands for: the data every VIP row hands to commands (failover, plan). */
export interface VipRef {
  region: string;
  vpcId: string;
  cidr: string;
  /** The account, when several are shown (the same VPC id cannot be in two, but a region is). */
  accountId?: string;
}

/** Matches the VIP row of `vip`, in VIP Routes or any view whose VIP rows carry the same data. */
export function vipRowMatches(vip: VipRef): (node: TreeNode) => boolean {
  return (node) => {
    const data = node.data as Partial<VipRef> | undefined;
    const sameAccount = vip.accountId === undefined || node.account?.accountId === vip.accountId;
    return node.contextValue === 'vip' && sameAccount && data?.region === vip.region && data.vpcId === vip.vpcId && data.cidr === vip.cidr;
  };
}
