import type { ElasticIpInfo, InstanceInfo, RegionSnapshot, RouteTarget, Severity, VipRoute } from '../vip/model';
import { statusChecksOk, type StatusCheck } from './statusCheck';

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

/**
 * A public VIP: an Elastic IP associated with a node (its instance, an ENI of it, or a secondary private IP), or
 * tagged with the pair's name. Its holder is the node it is associated with, MASTER for this VIP.
 */
export interface PairPublicVip {
  address: ElasticIpInfo;
  /** The node it is associated with; undefined when unassociated or associated with neither node. */
  holderInstanceId?: string;
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
  | 'source-dest-check'
  | 'eip-unassociated'
  | 'eip-foreign'
  | 'eip-disagrees'
  | 'subnet-not-public';

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
  /** Elastic IPs of the pair (possibly none). */
  publicVips: PairPublicVip[];
  /** The node all the pair's VIP routes and Elastic IPs point at, when they agree. */
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
    .map(([name, instances]) => buildPair(name, tagKey, instances.sort(byInstanceId), snapshot, statuses))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The instance a route delivers to: the instance itself, or the instance its ENI is attached to. */
export function routeNode(target: RouteTarget, snapshot: RegionSnapshot): string | undefined {
  if (target.instanceId) return target.instanceId;
  if (target.kind === 'instance') return target.id;
  return snapshot.enis[target.id]?.attachedInstanceId;
}

function buildPair(name: string, tagKey: string, instances: InstanceInfo[], snapshot: RegionSnapshot, statuses: Record<string, StatusCheck>): Pair {
  const nodeIds = new Set(instances.map((i) => i.instanceId));
  const vips = pairVips(nodeIds, snapshot);
  const publicVips = pairPublicVips(name, tagKey, nodeIds, snapshot);
  const routeHolders = new Set(vips.flatMap((vip) => vip.routes.map((r) => routeNode(r.target, snapshot)).filter((id): id is string => !!id && nodeIds.has(id))));
  const eipHolders = new Set(publicVips.flatMap((v) => (v.holderInstanceId ? [v.holderInstanceId] : [])));
  const holders = new Set([...routeHolders, ...eipHolders]);
  const nodes = instances.map((instance) => ({ instance, role: roleOf(instance.instanceId, holders), status: statuses[instance.instanceId] }));
  const masterInstanceId = holders.size === 1 ? [...holders][0] : undefined;
  const flags = [
    ...pairFlags(name, nodes, vips, routeHolders.size > 1, snapshot, publicVips.length > 0),
    ...publicVipFlags(name, nodes, publicVips, routeHolders, snapshot),
  ];
  return { name, nodes, vips, publicVips, masterInstanceId, flags, health: healthOf(flags, nodes) };
}

/** The node an Elastic IP's association delivers to, when it is one of `nodeIds`. */
function addressNode(address: ElasticIpInfo, nodeIds: ReadonlySet<string>, snapshot: RegionSnapshot): string | undefined {
  const node = address.instanceId ?? (address.eniId ? snapshot.enis[address.eniId]?.attachedInstanceId : undefined);
  return node && nodeIds.has(node) ? node : undefined;
}

/** Elastic IPs on a node, and those tagged with the pair's tag (which belong to it even when unassociated or elsewhere). */
function pairPublicVips(name: string, tagKey: string, nodeIds: ReadonlySet<string>, snapshot: RegionSnapshot): PairPublicVip[] {
  return (snapshot.addresses ?? [])
    .map((address) => ({ address, holderInstanceId: addressNode(address, nodeIds, snapshot) }))
    .filter((v) => v.holderInstanceId || v.address.tags[tagKey] === name)
    .sort((a, b) => a.address.publicIp.localeCompare(b.address.publicIp, undefined, { numeric: true }));
}

function publicVipFlags(name: string, nodes: PairNode[], publicVips: PairPublicVip[], routeHolders: ReadonlySet<string>, snapshot: RegionSnapshot): PairFlag[] {
  const flags: PairFlag[] = [];
  for (const { address, holderInstanceId } of publicVips) {
    const eip = `Elastic IP ${address.publicIp} (${address.allocationId})`;
    if (!address.associationId) {
      flags.push({ kind: 'eip-unassociated', severity: 'error', message: `${eip} of pair "${name}" is not associated: the public VIP answers nowhere.` });
    } else if (!holderInstanceId) {
      flags.push({ kind: 'eip-foreign', severity: 'error', message: `${eip} of pair "${name}" is associated with neither node (${address.instanceId ?? address.eniId ?? 'unknown'}).` });
    } else if (routeHolders.size === 1 && !routeHolders.has(holderInstanceId)) {
      flags.push({ kind: 'eip-disagrees', severity: 'error', message: `${eip} is on ${holderInstanceId} while the VIP routes point at ${[...routeHolders][0]}: fail over to one node to make them agree.` });
    }
  }
  if (publicVips.length > 0) {
    for (const { instance } of nodes.filter((n) => !GONE_STATES.has(n.instance.state))) {
      const subnet = instance.subnetId ? snapshot.subnets[instance.subnetId] : undefined;
      if (subnet?.public === false) {
        flags.push({ kind: 'subnet-not-public', severity: 'error', message: `${label(instance)} is in subnet ${instance.subnetId}, which has no route to an internet gateway: the Elastic IP cannot reach it there.` });
      }
    }
  }
  return flags;
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

function pairFlags(name: string, nodes: PairNode[], vips: PairVip[], split: boolean, snapshot: RegionSnapshot, hasPublicVip: boolean): PairFlag[] {
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
  if (vips.length === 0 && !hasPublicVip) {
    flags.push({ kind: 'no-vip', severity: 'warning', message: 'No VIP route points at either node, and no Elastic IP is on either.' });
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
