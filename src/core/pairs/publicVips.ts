import type { RegionSnapshot } from '../vip/model';
import { buildPairs, type PairFlagKind, type PairPublicVip } from './pairs';

/** A pair's Elastic IP as the VIP Routes view lists it: in the VPC of the pair's nodes, with what is wrong with it. */
export interface PublicVipRow extends PairPublicVip {
  pairName: string;
  vpcId: string;
  /** Holder's name or id, for the row. */
  holderLabel?: string;
  problems: string[];
}

/** Flags that concern the public VIPs of a pair (the others are the route VIPs' or the nodes'). */
const PUBLIC_FLAGS: ReadonlySet<PairFlagKind> = new Set(['eip-unassociated', 'eip-foreign', 'eip-disagrees', 'subnet-not-public']);

/**
 * Every pair's Elastic IPs in a region, so that one tree answers "where does each VIP point?" for public VIPs
 * too (pure). A problem of a pair's public VIPs is listed on each Elastic IP it names, or on all of them.
 */
export function publicVipRows(snapshot: RegionSnapshot, pairTagKey: string): PublicVipRow[] {
  return buildPairs(snapshot, pairTagKey, {}).flatMap((pair) => {
    const vpcId = pair.nodes.map((n) => n.instance.vpcId).find(Boolean);
    if (!vpcId) return [];
    return pair.publicVips.map((vip): PublicVipRow => {
      const holder = pair.nodes.find((n) => n.instance.instanceId === vip.holderInstanceId);
      const problems = pair.flags
        .filter((f) => PUBLIC_FLAGS.has(f.kind) && (f.kind === 'subnet-not-public' || f.message.includes(vip.address.allocationId)))
        .map((f) => f.message);
      if (holder && holder.instance.state !== 'running') problems.push(`The node holding it, ${holder.instance.name ?? holder.instance.instanceId}, is ${holder.instance.state}.`);
      return { ...vip, pairName: pair.name, vpcId, holderLabel: holder && (holder.instance.name ?? holder.instance.instanceId), problems };
    });
  });
}
