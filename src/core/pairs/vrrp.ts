import { cidrContains, parseIp } from '../net/cidr';

/** Whether the nodes' security groups let keepalived's VRRP adverts (IP protocol 112) through, each way (pure). */

/** One rule of a security group, for one direction, as plain data. */
export interface SgRule {
  /** "112", "-1" (all), "tcp"... as EC2 reports IpProtocol. */
  protocol: string;
  cidrs: string[];
  groupIds: string[];
  prefixListIds: string[];
}

export interface SecurityGroupRules {
  groupId: string;
  ingress: SgRule[];
  egress: SgRule[];
}

/** A node as VRRP sees it: the private IP keepalived sends from and to, and the groups of that interface. */
export interface VrrpEndpoint {
  label: string;
  ip?: string;
  groupIds: string[];
}

export type CheckState = 'ok' | 'fail' | 'unknown';

export interface Check {
  state: CheckState;
  detail: string;
}

const VRRP_PROTOCOLS = new Set(['112', '-1']);

/** VRRP from `from` to `to`: an outbound rule on the sender's groups and an inbound rule on the receiver's. */
export function vrrpAllowed(from: VrrpEndpoint, to: VrrpEndpoint, groups: Readonly<Record<string, SecurityGroupRules>>): Check {
  const inbound = sideAllows(to.groupIds, 'ingress', from, groups);
  const outbound = sideAllows(from.groupIds, 'egress', to, groups);
  const what = `${from.label} → ${to.label}`;
  if (inbound.state === 'fail') return { state: 'fail', detail: `${what}: no inbound rule of ${to.label}'s security groups (${list(to.groupIds)}) allows IP protocol 112 from ${peerText(from)}` };
  if (outbound.state === 'fail') return { state: 'fail', detail: `${what}: no outbound rule of ${from.label}'s security groups (${list(from.groupIds)}) allows IP protocol 112 to ${peerText(to)}` };
  if (inbound.state === 'unknown' || outbound.state === 'unknown') {
    return { state: 'unknown', detail: `${what}: ${[inbound, outbound].filter((c) => c.state === 'unknown').map((c) => c.detail).join('; ')}` };
  }
  return { state: 'ok', detail: `${what}: in by ${inbound.detail}, out by ${outbound.detail}` };
}

function sideAllows(groupIds: readonly string[], direction: 'ingress' | 'egress', peer: VrrpEndpoint, groups: Readonly<Record<string, SecurityGroupRules>>): Check {
  if (groupIds.length === 0) return { state: 'unknown', detail: 'the interface\'s security groups are not known' };
  const doubts: string[] = [];
  for (const groupId of groupIds) {
    const group = groups[groupId];
    if (!group) {
      doubts.push(`security group ${groupId} could not be read`);
      continue;
    }
    for (const rule of group[direction].filter((r) => VRRP_PROTOCOLS.has(r.protocol))) {
      const answer = ruleMatches(rule, peer);
      if (answer.state === 'ok') return { state: 'ok', detail: `${groupId} (${answer.detail})` };
      if (answer.state === 'unknown') doubts.push(`${groupId}: ${answer.detail}`);
    }
  }
  return doubts.length ? { state: 'unknown', detail: doubts.join('; ') } : { state: 'fail', detail: '' };
}

function ruleMatches(rule: SgRule, peer: VrrpEndpoint): Check {
  const group = rule.groupIds.find((id) => peer.groupIds.includes(id));
  if (group) return { state: 'ok', detail: `${protocolText(rule)} with ${group}` };
  const ip = peer.ip && parseIp(peer.ip) ? peer.ip : undefined;
  const cidr = ip ? rule.cidrs.find((c) => cidrContains(c, `${ip}/32`)) : undefined;
  if (cidr) return { state: 'ok', detail: `${protocolText(rule)} with ${cidr}` };
  if (rule.prefixListIds.length > 0) return { state: 'unknown', detail: `prefix list ${list(rule.prefixListIds)} is not evaluated` };
  if (!ip && rule.cidrs.length > 0) return { state: 'unknown', detail: 'the peer\'s private IP is not known' };
  return { state: 'fail', detail: '' };
}

function protocolText(rule: SgRule): string {
  return rule.protocol === '-1' ? 'all traffic' : 'protocol 112';
}

function peerText(peer: VrrpEndpoint): string {
  return `${peer.ip ?? 'its private IP'} or its groups (${list(peer.groupIds)})`;
}

function list(items: readonly string[]): string {
  return items.length ? items.join(', ') : 'none';
}
