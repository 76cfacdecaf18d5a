import { cidrContains } from '../net/cidr';
import { describeServingTables, subnetsOf } from './coverage';
import type { Diagnostic, RegionSnapshot, Severity, Vip, VipRoute, VpcInfo } from './model';

/** Instance states in which an instance no longer receives traffic. */
const DOWN_STATES = new Set(['stopping', 'stopped', 'shutting-down', 'terminated']);

/** Everything that is wrong with one VIP, judged from the snapshot alone (pure; no AWS calls). */
export function diagnoseVip(vip: Vip, vpc: VpcInfo, snapshot: RegionSnapshot): Diagnostic[] {
  return [
    ...splitBrain(vip, snapshot),
    ...blackholes(vip, snapshot),
    ...partialCoverage(vip, vpc, snapshot),
    ...insideVpcCidr(vip, vpc),
    ...sourceDestCheck(vip, snapshot),
  ];
}

/** The most serious severity among the diagnostics, undefined when there are none. */
export function worstSeverity(diagnostics: readonly Diagnostic[]): Severity | undefined {
  if (diagnostics.some((d) => d.severity === 'error')) return 'error';
  return diagnostics.length > 0 ? 'warning' : undefined;
}

/** Routes grouped by the node they deliver to: an ENI and its instance are the same node. */
function byNode(routes: readonly VipRoute[]): Map<string, VipRoute[]> {
  const groups = new Map<string, VipRoute[]>();
  for (const route of routes) {
    const key = route.target.instanceId ?? route.target.id;
    groups.set(key, [...(groups.get(key) ?? []), route]);
  }
  return groups;
}

function splitBrain(vip: Vip, snapshot: RegionSnapshot): Diagnostic[] {
  const groups = byNode(vip.routes);
  if (groups.size < 2) return [];
  const sides = [...groups].map(([node, routes]) => `${tableList(routes)} → ${nodeLabel(node, snapshot)}`);
  return [{
    kind: 'split-brain',
    severity: 'error',
    message: `Route tables disagree on who holds the VIP (${sides.join('; ')}): traffic reaches different nodes depending on the subnet.`,
    routeTableIds: vip.routes.map((r) => r.routeTableId),
  }];
}

function blackholes(vip: Vip, snapshot: RegionSnapshot): Diagnostic[] {
  const reasons = new Map<string, VipRoute[]>();
  for (const route of vip.routes) {
    const reason = deadTargetReason(route, snapshot);
    if (reason) reasons.set(reason, [...(reasons.get(reason) ?? []), route]);
  }
  return [...reasons].map(([reason, routes]) => ({
    kind: 'blackhole',
    severity: 'error',
    message: `${reason}, so ${tableList(routes)} drop${routes.length === 1 ? 's' : ''} the VIP's traffic.`,
    routeTableIds: routes.map((r) => r.routeTableId),
  }));
}

function deadTargetReason(route: VipRoute, snapshot: RegionSnapshot): string | undefined {
  const { target } = route;
  if (target.kind === 'eni') {
    const eni = snapshot.enis[target.id];
    if (!eni) return `ENI ${target.id} no longer exists`;
    if (!eni.attachedInstanceId) return `ENI ${target.id} is not attached to any instance`;
  }
  if (target.instanceId) {
    const instance = snapshot.instances[target.instanceId];
    if (!instance) return `Instance ${target.instanceId} no longer exists`;
    if (DOWN_STATES.has(instance.state)) return `Instance ${nodeLabel(target.instanceId, snapshot)} is ${instance.state}`;
  }
  if (route.state === 'blackhole') return `EC2 marks the route's target ${target.id} as unavailable (blackhole)`;
  return undefined;
}

function partialCoverage(vip: Vip, vpc: VpcInfo, snapshot: RegionSnapshot): Diagnostic[] {
  const carrying = new Set(vip.routes.map((r) => r.routeTableId));
  // A table that serves no subnet routes no traffic, so its lacking the VIP harms nobody.
  const missing = vpc.routeTables
    .filter((t) => t.subnetIds.length > 0 && !carrying.has(t.routeTableId))
    .map((t) => ({ ...t, routeTableName: t.name, subnets: t.subnetIds.map((subnetId) => ({ subnetId, name: snapshot.subnets[subnetId]?.name })) }));
  if (missing.length === 0) return [];
  const affected = subnetsOf(missing).length === 1 ? 'that subnet' : 'those subnets';
  return [{
    kind: 'partial-coverage',
    severity: 'warning',
    message: `The VIP route is missing from ${describeServingTables(missing)}: ${affected} cannot reach the VIP.`,
    routeTableIds: missing.map((t) => t.routeTableId),
  }];
}

function insideVpcCidr(vip: Vip, vpc: VpcInfo): Diagnostic[] {
  const container = vpc.cidrs.find((cidr) => cidrContains(cidr, vip.cidr));
  if (!container) return [];
  return [{
    kind: 'vip-inside-cidr',
    severity: 'error',
    message: `The VIP lies inside the VPC CIDR ${container}, where the VPC's local route decides delivery: use an address outside every VPC CIDR.`,
  }];
}

function sourceDestCheck(vip: Vip, snapshot: RegionSnapshot): Diagnostic[] {
  const checked = new Map<string, VipRoute[]>();
  for (const route of vip.routes) {
    const { target } = route;
    // The check that matters is the one on the ENI the traffic arrives at; without one, the instance's.
    const eni = target.eniId ? snapshot.enis[target.eniId] : undefined;
    const instance = target.instanceId ? snapshot.instances[target.instanceId] : undefined;
    const on = eni ? eni.sourceDestCheck : instance?.sourceDestCheck;
    if (on !== true) continue;
    const node = target.instanceId ? nodeLabel(target.instanceId, snapshot) : undefined;
    const label = eni ? `ENI ${eni.eniId}${node ? ` of ${node}` : ''}` : (node as string);
    checked.set(label, [...(checked.get(label) ?? []), route]);
  }
  return [...checked].map(([label, routes]) => ({
    kind: 'source-dest-check',
    severity: 'error',
    message: `Source/destination check is on for ${label}: it drops packets addressed to the VIP; turn it off.`,
    routeTableIds: routes.map((r) => r.routeTableId),
  }));
}

function nodeLabel(id: string, snapshot: RegionSnapshot): string {
  const name = snapshot.instances[id]?.name;
  return name ? `${name} (${id})` : id;
}

function tableList(routes: readonly VipRoute[]): string {
  return routes.map((r) => r.routeTableName ?? r.routeTableId).join(', ');
}
