import type { InstanceInfo, RegionSnapshot, RouteTarget, Severity, VipRoute } from '../vip/model';
import { statusChecksOk, type StatusCheck } from './status';

/** MASTER holds the VIP routes, BACKUP is its peer, SPLIT when the route tables disagree, NONE without VIP routes. */
export type NodeRole = 'MASTER' | 'BACKUP' | 'SPLIT' | 'NONE';

export interface PairNode {
  instance: InstanceInfo;
  role: NodeRole;
  /** Absent when DescribeInstanceStatus did not report the instance. */
  status?: StatusCheck;
}

export interface PairVip {
  vpcId: string;
  cidr: string;
  routes: VipRoute[];
  /** The node every route of this VIP points at; undefined when they disagree or point elsewhere. */
  masterInstanceId?: string;
  /** Tables whose route delivers to neither node (another instance, a vanished ENI...). */
  foreignRouteTableIds: string[];
}

export type PairFlagKind =
  | 'missing-node'
  | 'extra-nodes'
  | 'same-az'
  | 'no-vip'
  | 'vip-foreign-target'
  | 'split'
  | 'node-down'
  | 'status-checks'
  | 'source-dest-check';

export interface PairFlag {
  kind: PairFlagKind;
  severity: Severity;
  message: string;
}

export interface Pair {
  /** The pair tag's value. */
  name: string;
  nodes: PairNode[];
  vips: PairVip[];
  /** The node all the pair's VIP routes point at, when they agree. */
  masterInstanceId?: string;
  flags: PairFlag[];
  health: { severity: Severity | 'ok'; summary: string };
}

/** States in which an instance is gone for good; such a node no longer counts towards the pair's two. */
const GONE_STATES = new Set(['shutting-down', 'terminated']);

/**
 * Groups the snapshot's instances by the pair tag's value and gives each pair its VIPs (the VIP routes that
 * target either node or either node's ENI), node roles and problems (pure).
 */
export function buildPairs(snapshot: RegionSnapshot, tagKey: string, statuses: Record<string, StatusCheck>): Pair[] {
  const groups = new Map<string, InstanceInfo[]>();
  for (const instance of Object.values(snapshot.instances)) {
    const name = instance.tags[tagKey];
    if (name === undefined) continue;
    groups.set(name, [...(groups.get(name) ?? []), instance]);
  }
  return [...groups]
    .map(([name, instances]) => buildPair(name, instances.sort(byInstanceId), snapshot, statuses))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The instance a route delivers to: the instance itself, or the instance its ENI is attached to. */
export function routeNode(target: RouteTarget, snapshot: RegionSnapshot): string | undefined {
  if (target.instanceId) return target.instanceId;
  if (target.kind === 'instance') return target.id;
  return snapshot.enis[target.id]?.attachedInstanceId;
}

function buildPair(name: string, instances: InstanceInfo[], snapshot: RegionSnapshot, statuses: Record<string, StatusCheck>): Pair {
  const nodeIds = new Set(instances.map((i) => i.instanceId));
  const vips = pairVips(nodeIds, snapshot);
  const holders = new Set(vips.flatMap((vip) => vip.routes.map((r) => routeNode(r.target, snapshot)).filter((id): id is string => !!id && nodeIds.has(id))));
  const nodes = instances.map((instance) => ({ instance, role: roleOf(instance.instanceId, holders), status: statuses[instance.instanceId] }));
  const masterInstanceId = holders.size === 1 ? [...holders][0] : undefined;
  const flags = pairFlags(name, nodes, vips, holders.size > 1, snapshot);
  return { name, nodes, vips, masterInstanceId, flags, health: healthOf(flags, nodes) };
}

function pairVips(nodeIds: ReadonlySet<string>, snapshot: RegionSnapshot): PairVip[] {
  const vips: PairVip[] = [];
  for (const vpc of snapshot.vpcs) {
    for (const vip of vpc.vips) {
      const nodesOfRoutes = vip.routes.map((r) => routeNode(r.target, snapshot));
      if (!nodesOfRoutes.some((id) => id && nodeIds.has(id))) continue;
      const distinct = new Set(nodesOfRoutes);
      const only = distinct.size === 1 ? [...distinct][0] : undefined;
      vips.push({
        vpcId: vpc.vpcId,
        cidr: vip.cidr,
        routes: vip.routes,
        masterInstanceId: only && nodeIds.has(only) ? only : undefined,
        foreignRouteTableIds: vip.routes.filter((_, i) => !nodeIds.has(nodesOfRoutes[i] ?? '')).map((r) => r.routeTableId),
      });
    }
  }
  return vips;
}

function roleOf(instanceId: string, holders: ReadonlySet<string>): NodeRole {
  if (holders.size === 0) return 'NONE';
  if (!holders.has(instanceId)) return 'BACKUP';
  return holders.size === 1 ? 'MASTER' : 'SPLIT';
}

function pairFlags(name: string, nodes: PairNode[], vips: PairVip[], split: boolean, snapshot: RegionSnapshot): PairFlag[] {
  const flags: PairFlag[] = [];
  const live = nodes.filter((n) => !GONE_STATES.has(n.instance.state));
  if (live.length < 2) {
    const have = live.length ? `only ${live.map((n) => label(n.instance)).join(', ')}` : 'no live instance';
    flags.push({ kind: 'missing-node', severity: 'error', message: `Pair "${name}" has ${have}: there is no peer to fail over to.` });
  }
  if (live.length > 2) {
    flags.push({ kind: 'extra-nodes', severity: 'error', message: `Pair "${name}" has ${live.length} live instances with its tag: a pair has exactly two.` });
  }
  const zones = new Set(live.map((n) => n.instance.availabilityZone));
  if (live.length === 2 && zones.size === 1) {
    flags.push({ kind: 'same-az', severity: 'warning', message: `Both nodes are in ${[...zones][0] ?? 'the same AZ'}: one AZ outage takes the whole pair down.` });
  }
  if (vips.length === 0) {
    flags.push({ kind: 'no-vip', severity: 'warning', message: 'No VIP route points at either node.' });
  }
  for (const vip of vips.filter((v) => v.foreignRouteTableIds.length > 0)) {
    const targets = [...new Set(vip.routes.filter((r) => vip.foreignRouteTableIds.includes(r.routeTableId)).map((r) => targetLabel(r.target, snapshot)))];
    flags.push({
      kind: 'vip-foreign-target',
      severity: 'error',
      message: `VIP ${vip.cidr} points at neither node in ${vip.foreignRouteTableIds.join(', ')} (→ ${targets.join(', ')}).`,
    });
  }
  if (split) {
    flags.push({ kind: 'split', severity: 'error', message: 'The route tables disagree on which node holds the VIPs: fail over to one node to make them agree.' });
  }
  for (const node of nodes) flags.push(...nodeFlags(node));
  return flags;
}

function nodeFlags({ instance, status, role }: PairNode): PairFlag[] {
  const flags: PairFlag[] = [];
  if (instance.state !== 'running') {
    const severity = role === 'MASTER' || role === 'SPLIT' || !GONE_STATES.has(instance.state) ? 'error' : 'warning';
    flags.push({ kind: 'node-down', severity, message: `${label(instance)} is ${instance.state}.` });
  } else if (status && !statusChecksOk(status)) {
    const severity = status.system === 'impaired' || status.instance === 'impaired' ? 'error' : 'warning';
    flags.push({ kind: 'status-checks', severity, message: `${label(instance)} status checks: system ${status.system}, instance ${status.instance}.` });
  }
  if (instance.sourceDestCheck === true && !GONE_STATES.has(instance.state)) {
    flags.push({ kind: 'source-dest-check', severity: 'error', message: `${label(instance)} has source/dest check on: it drops traffic addressed to the VIP.` });
  }
  return flags;
}

function healthOf(flags: PairFlag[], nodes: PairNode[]): Pair['health'] {
  const errors = flags.filter((f) => f.severity === 'error');
  const worst = errors.length ? errors : flags;
  if (worst.length === 0) {
    const checks = nodes.every((n) => n.status) ? ', status checks ok' : '';
    return { severity: 'ok', summary: `healthy: both nodes running${checks}, VIP routes agree` };
  }
  const more = flags.length > 1 ? ` (+${flags.length - 1} more)` : '';
  return { severity: errors.length ? 'error' : 'warning', summary: `${worst[0].message}${more}` };
}

function targetLabel(target: RouteTarget, snapshot: RegionSnapshot): string {
  const node = routeNode(target, snapshot);
  return node && node !== target.id ? `${target.id} (${node})` : target.id;
}

function label(instance: InstanceInfo): string {
  return instance.name ? `${instance.name} (${instance.instanceId})` : instance.instanceId;
}

function byInstanceId(a: InstanceInfo, b: InstanceInfo): number {
  return a.instanceId.localeCompare(b.instanceId);
}
