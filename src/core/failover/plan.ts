import type { Pair } from '../pairs/pairs';
import { servedSubnetIds, type ServingTable, type SubnetRef } from '../vip/coverage';
import type { EipStep } from './eipFailover';
import type { NodeRead, TableRead, TargetRef } from './reads';

/** What to fail over: some VIPs of one VPC, to one node of their pair. */
export interface FailoverRequest {
  vpcId: string;
  cidrs: string[];
  /** The pair's nodes; a route to anything else is "foreign". */
  nodeIds: string[];
  toInstanceId: string;
  /** Tables of the VPC that serve subnets, lack a VIP route, and that the user chose to add it to. */
  addToTableIds?: string[];
  /** The pair's public VIPs (Elastic IPs) that move with the routes, so that both kinds end on one node. */
  allocationIds?: string[];
}

export interface PlanStep {
  routeTableId: string;
  routeTableName?: string;
  cidr: string;
  /** replace: move the route; create: add the missing route; none: it already delivers to the target node. */
  action: 'replace' | 'create' | 'none';
  /** The route's target when planned (absent for create): the failover only replaces a route still pointing here. */
  from?: TargetRef;
  /** The node `from` delivers to; undefined when it is no instance we know (foreign or vanished). */
  fromNode?: string;
  fromState?: string;
  to: TargetRef;
}

/** A table that serves subnets but has no route for `cidr`: those subnets cannot reach that VIP. */
export interface MissingRoute extends ServingTable {
  cidr: string;
}

export interface FailoverPlan {
  request: FailoverRequest;
  /** The pair's nodes as read while planning. */
  nodes: Record<string, NodeRead>;
  steps: PlanStep[];
  /** Tables of the VPC serving subnets without the VIP route (not in addToTableIds): offered to the user. */
  missing: MissingRoute[];
  /** The Elastic IPs to move (empty without public VIPs). */
  eipSteps: EipStep[];
  /** Elastic IPs the request named that no longer exist. */
  eipReleased: string[];
}

/**
 * Every route table carrying the VIPs, from → to (pure). Instance routes stay instance routes; ENI routes
 * move to the peer's primary ENI. `subnets` are the VPC's: a table lacks a VIP only if some subnet uses it.
 */
export function planFailover(request: FailoverRequest, tables: readonly TableRead[], nodes: Record<string, NodeRead>, subnets: readonly SubnetRef[]): FailoverPlan {
  const add = new Set(request.addToTableIds ?? []);
  const named = new Map(subnets.map((s) => [s.subnetId, s]));
  const served = servedSubnetIds(tables, subnets.map((s) => s.subnetId));
  const subnetsOf = (table: TableRead) => (served.get(table.routeTableId) ?? []).map((id) => named.get(id) ?? { subnetId: id });
  const steps: PlanStep[] = [];
  const missing: MissingRoute[] = [];
  const sorted = [...tables].sort((a, b) => (a.name ?? a.routeTableId).localeCompare(b.name ?? b.routeTableId));
  for (const cidr of request.cidrs) {
    const createKind = usualKind(tables, cidr);
    for (const table of sorted) {
      const route = table.routes[cidr];
      const base = { routeTableId: table.routeTableId, routeTableName: table.name, cidr };
      if (!route) {
        const serving = subnetsOf(table);
        if (add.has(table.routeTableId)) steps.push({ ...base, action: 'create', to: targetOn(request.toInstanceId, createKind, nodes) });
        // A table no subnet uses routes no traffic: lacking the VIP there harms nobody.
        else if (serving.length > 0) missing.push({ ...base, isMain: table.isMain, subnets: serving });
        continue;
      }
      const fromNode = nodeOf(route.target, nodes);
      steps.push({
        ...base,
        action: fromNode === request.toInstanceId ? 'none' : 'replace',
        from: route.target,
        fromNode,
        fromState: route.state,
        to: fromNode === request.toInstanceId ? route.target : targetOn(request.toInstanceId, route.target.kind, nodes),
      });
    }
  }
  return { request, nodes, steps, missing, eipSteps: [], eipReleased: [] };
}

/** The node a target delivers to: an instance id, or the node one of whose ENIs it names. */
export function nodeOf(target: TargetRef | undefined, nodes: Record<string, NodeRead>): string | undefined {
  if (!target) return undefined;
  if (target.kind === 'instance') return target.id;
  if (target.kind === 'eni') return Object.values(nodes).find((n) => n.eniIds.includes(target.id))?.instanceId;
  return undefined;
}

/**
 * A route target on a node, of the same kind as the route it replaces. Without a known primary ENI (the
 * node is gone, which preflight refuses) the instance itself is named.
 */
export function targetOn(instanceId: string, kind: TargetRef['kind'], nodes: Record<string, NodeRead>): TargetRef {
  const eni = nodes[instanceId]?.primaryEniId;
  return kind === 'eni' && eni ? { kind: 'eni', id: eni } : { kind: 'instance', id: instanceId };
}

/**
 * The failover request for a pair, or for one of its VIPs, towards `toInstanceId` or else towards the node
 * that does not hold the VIPs now (pure). Returns a problem in words when there is no sensible request.
 */
export function requestForPair(pair: Pair, choice: { cidr?: string; toInstanceId?: string } = {}): FailoverRequest | { problem: string } {
  const vips = choice.cidr ? pair.vips.filter((v) => v.cidr === choice.cidr) : pair.vips;
  // A failover of the whole pair moves its Elastic IPs with the routes; one of a single route VIP moves that VIP.
  const publicVips = choice.cidr ? [] : pair.publicVips.filter((v) => v.holderInstanceId);
  const live = pair.nodes.filter((n) => !['shutting-down', 'terminated'].includes(n.instance.state)).map((n) => n.instance.instanceId);
  const nodeIds = pair.nodes.map((n) => n.instance.instanceId);
  if (vips.length === 0 && publicVips.length === 0) {
    return { problem: choice.cidr ? `VIP ${choice.cidr} has no route to a node of pair "${pair.name}": nothing to fail over.` : `Pair "${pair.name}" has no VIP routes and no Elastic IP on a node: nothing to fail over.` };
  }
  const vpcIds = new Set(vips.length ? vips.map((v) => v.vpcId) : pair.nodes.map((n) => n.instance.vpcId).filter(Boolean));
  if (vpcIds.size > 1) {
    return { problem: `Pair "${pair.name}" has VIPs in several VPCs: fail over one VIP at a time.` };
  }
  if (nodeIds.length < 2) {
    return { problem: `Pair "${pair.name}" has only one node (${nodeIds.join(', ')}): there is no peer to fail over to.` };
  }
  let to = choice.toInstanceId;
  if (!to) {
    const masters = new Set([...vips.map((v) => v.masterInstanceId), ...publicVips.map((v) => v.holderInstanceId)]);
    const master = masters.size === 1 ? [...masters][0] : undefined;
    if (!master) return { problem: 'The VIP routes and Elastic IPs disagree on which node holds the VIP: choose the node to fail over to.' };
    const peers = nodeIds.filter((id) => id !== master);
    const livePeers = peers.filter((id) => live.includes(id));
    const candidates = livePeers.length ? livePeers : peers;
    if (candidates.length !== 1) return { problem: `Pair "${pair.name}" has ${candidates.length} possible peers: choose the node to fail over to.` };
    to = candidates[0];
  }
  if (!nodeIds.includes(to)) return { problem: `${to} is not a node of pair "${pair.name}".` };
  const allocationIds = publicVips.map((v) => v.address.allocationId);
  return { vpcId: [...vpcIds][0] as string, cidrs: vips.map((v) => v.cidr), nodeIds, toInstanceId: to, ...(allocationIds.length ? { allocationIds } : {}) };
}

/** The pair whose VIPs include this one, for a failover started from the VIP view. */
export function pairOfVip(pairs: readonly Pair[], vpcId: string, cidr: string): Pair | undefined {
  return pairs.find((p) => p.vips.some((v) => v.vpcId === vpcId && v.cidr === cidr));
}

/** A route added to a table follows the kind most of the VIP's routes use. */
function usualKind(tables: readonly TableRead[], cidr: string): TargetRef['kind'] {
  const kinds = tables.map((t) => t.routes[cidr]?.target.kind).filter(Boolean);
  return kinds.filter((k) => k === 'eni').length > kinds.length / 2 ? 'eni' : 'instance';
}
