import type { AccountRef } from '../fleet/model';
import type { InstanceInfo, RegionResult, RegionSnapshot, Vip } from './model';

export type VipChangeKind = 'moved' | 'split-brain' | 'split-brain-cleared' | 'blackhole' | 'blackhole-cleared' | 'node-lost' | 'node-back';

/** Something that changed in AWS between two discoveries, worth telling someone who was not looking. */
export interface VipChange {
  kind: VipChangeKind;
  /** warning: something moved or broke; info: a problem cleared. */
  severity: 'warning' | 'info';
  region: string;
  /** Whose region, when several accounts are shown. */
  account?: AccountRef;
  /** The VIP concerned (all kinds but node-lost and node-back). */
  vip?: { vpcId: string; cidr: string };
  /** The pair concerned (node-lost, node-back). */
  pair?: { name: string; instanceId: string };
  /** One line ending with when it was seen: "172.16.250.10 moved from web-a to web-b (seen 03:12:40)". */
  message: string;
}

/**
 * What changed between two discoveries (pure): VIPs that moved to another node, split brains and blackholes
 * that appeared or cleared, pair nodes (instances tagged `pairTagKey`) that stopped running or came back.
 * Regions that failed in either discovery are skipped: an unreachable region has not changed.
 */
export function detectChanges(before: readonly RegionResult[], after: readonly RegionResult[], options: { pairTagKey: string; seenAt: Date }): VipChange[] {
  // The same region of two accounts is two places.
  const place = (r: RegionResult) => `${r.account?.accountId ?? ''}|${r.region}`;
  const previous = new Map(before.flatMap((r) => (r.ok ? [[place(r), r.snapshot] as const] : [])));
  const seen = ` (seen ${clockTime(options.seenAt)})`;
  return after.flatMap((result) => {
    const old = result.ok ? previous.get(place(result)) : undefined;
    if (!result.ok || !old) return [];
    const where = result.account ? `${result.account.label} (${result.account.accountId}): ` : '';
    return [...vipChanges(old, result.snapshot), ...pairChanges(old, result.snapshot, options.pairTagKey)].map((c) => ({ ...c, account: result.account, message: where + c.message + seen }));
  });
}

/** HH:MM:SS in local time. */
export function clockTime(date: Date): string {
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

function vipChanges(old: RegionSnapshot, now: RegionSnapshot): VipChange[] {
  const oldVips = new Map(old.vpcs.flatMap((vpc) => vpc.vips.map((vip) => [`${vpc.vpcId} ${vip.cidr}`, vip] as const)));
  return now.vpcs.flatMap((vpc) =>
    vpc.vips.flatMap((vip): VipChange[] => {
      const was = oldVips.get(`${vpc.vpcId} ${vip.cidr}`);
      if (!was) return [];
      const base = { region: now.region, vip: { vpcId: vpc.vpcId, cidr: vip.cidr } };
      const ip = vip.cidr.replace(/\/(32|128)$/, '');
      const changes: VipChange[] = [];
      const [from, to] = [holders(was), holders(vip)];
      if (from.size === 1 && to.size === 1 && only(from) !== only(to)) {
        changes.push({ ...base, kind: 'moved', severity: 'warning', message: `${ip} moved from ${nodeName(only(from), old)} to ${nodeName(only(to), now)}` });
      } else if (from.size <= 1 && to.size > 1) {
        changes.push({ ...base, kind: 'split-brain', severity: 'warning', message: `Split brain on ${ip}: route tables disagree (${sides(to, now)})` });
      } else if (from.size > 1 && to.size === 1) {
        changes.push({ ...base, kind: 'split-brain-cleared', severity: 'info', message: `Split brain on ${ip} cleared: every table → ${nodeName(only(to), now)}` });
      }
      const [hadBlackhole, blackhole] = [firstBlackhole(was), firstBlackhole(vip)];
      if (!hadBlackhole && blackhole) changes.push({ ...base, kind: 'blackhole', severity: 'warning', message: `Blackhole on ${ip}: ${blackhole}` });
      if (hadBlackhole && !blackhole) changes.push({ ...base, kind: 'blackhole-cleared', severity: 'info', message: `Blackhole on ${ip} cleared` });
      return changes;
    }),
  );
}

/** The nodes a VIP's routes deliver to (an ENI and its instance are one node), with their table counts. */
function holders(vip: Vip): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { target } of vip.routes) {
    const node = target.instanceId ?? target.id;
    counts.set(node, (counts.get(node) ?? 0) + 1);
  }
  return counts;
}

function nodeName(id: string, snapshot: RegionSnapshot): string {
  return snapshot.instances[id]?.name ?? id;
}

function only(counts: Map<string, number>): string {
  return [...counts.keys()][0];
}

/** "2 → web-a, 1 → web-b" */
function sides(counts: Map<string, number>, snapshot: RegionSnapshot): string {
  return [...counts].map(([id, n]) => `${n} → ${nodeName(id, snapshot)}`).join(', ');
}

function firstBlackhole(vip: Vip): string | undefined {
  return vip.diagnostics.find((d) => d.kind === 'blackhole')?.message;
}

function pairChanges(old: RegionSnapshot, now: RegionSnapshot, tagKey: string): VipChange[] {
  return Object.values(old.instances).flatMap((was): VipChange[] => {
    const name = was.tags[tagKey];
    if (name === undefined) return [];
    const instance = now.instances[was.instanceId];
    const pair = { name, instanceId: was.instanceId };
    const node = nodeLabel(instance ?? was);
    const running = instance?.tags[tagKey] === name && instance.state === 'running';
    if (was.state === 'running' && !running) {
      const why = !instance ? `it no longer exists or lost its ${tagKey} tag` : instance.tags[tagKey] !== name ? `it left the pair (${tagKey} changed)` : `it is ${instance.state}`;
      return [{ kind: 'node-lost', severity: 'warning', region: now.region, pair, message: `Pair ${name} lost node ${node}: ${why}` }];
    }
    if (was.state !== 'running' && running) return [{ kind: 'node-back', severity: 'info', region: now.region, pair, message: `Pair ${name}: node ${node} is running again` }];
    return [];
  });
}

function nodeLabel(instance: InstanceInfo): string {
  return instance.name ? `${instance.name} (${instance.instanceId})` : instance.instanceId;
}
