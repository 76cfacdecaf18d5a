import { evaluatePolicies, intersect, type Decision } from '../iam/evaluate';
import type { RoleFacts } from '../iam/instanceRoles';
import { parsePolicy } from '../iam/policyDocument';
import { partitionOf } from '../session/regions';
import type { InstanceInfo, RegionSnapshot } from '../vip/model';
import type { NodeRole, Pair, PairNode } from './pairs';
import type { NodeServiceReport } from './serviceCheck';
import { vrrpAllowed, type Check, type CheckState, type SecurityGroupRules } from './vrrp';

/**
 * Failover readiness of a pair, as a periodic dry run would tell it: each item ✓ / ✗ / unknown with why, from
 * facts gathered elsewhere (pure). Nothing is assumed: what was not or could not be read is "unknown".
 */

/** A network interface of a node as DescribeNetworkInterfaces reports it. */
export interface EniFacts {
  eniId: string;
  /** Device index 0: the interface keepalived sends VRRP from. */
  primary: boolean;
  sourceDestCheck?: boolean;
  privateIp?: string;
  groupIds: string[];
}

/** The last "Check keepalived & haproxy" answer of a node, and when it came. */
export interface ServiceCheckFacts {
  report: NodeServiceReport;
  checkedAt: Date;
}

export interface ReadinessFacts {
  pair: Pair;
  /** Per instance id; a node missing here had its interfaces not read (see networkProblem). */
  enis: Readonly<Record<string, readonly EniFacts[]>>;
  networkProblem?: string;
  securityGroups: Readonly<Record<string, SecurityGroupRules>>;
  /** Per instance id. */
  roles: Readonly<Record<string, RoleFacts>>;
  /** The tables carrying the pair's VIPs, with their ARN (undefined when the owner account is not known). */
  routeTables: ReadonlyArray<{ routeTableId: string; arn?: string }>;
  /** Per instance id. */
  services: Readonly<Record<string, ServiceCheckFacts | undefined>>;
  now: Date;
}

export type ReadinessKey = 'peer-running' | 'status-checks' | 'source-dest-check' | 'vrrp' | 'replace-route' | 'imdsv2' | 'notify-script' | 'services';

export interface ReadinessItem {
  key: ReadinessKey;
  label: string;
  state: CheckState;
  /** Why, in one line; `details` has one line per node, direction or table when there are several. */
  why: string;
  details: string[];
}

export type ReadinessSummary = 'ready' | 'not-ready' | 'unknown';

export interface Readiness {
  summary: ReadinessSummary;
  items: ReadinessItem[];
}

export const REPLACE_ROUTE = 'ec2:ReplaceRoute';
export const RUN_SERVICE_CHECK = 'run Check keepalived & haproxy';

/** Instances gone for good: they count for no item. */
export const GONE_STATES: ReadonlySet<string> = new Set(['shutting-down', 'terminated']);

export function assessReadiness(facts: ReadinessFacts): Readiness {
  const live = facts.pair.nodes.filter((n) => !GONE_STATES.has(n.instance.state));
  const items: ReadinessItem[] = [
    item('peer-running', 'Peer running', peerRunning(facts.pair, live)),
    item('status-checks', 'Peer status checks ok', peerStatusChecks(facts.pair, live)),
    item('source-dest-check', 'Source/dest check off', combine(live.map((n) => sourceDestCheck(n, facts)))),
    item('vrrp', 'Security groups pass VRRP (IP protocol 112)', vrrp(live, facts)),
    item('replace-route', `Instance roles allow ${REPLACE_ROUTE} on every VIP table`, combine(live.map((n) => replaceRoute(n, facts)))),
    item('imdsv2', 'IMDSv2 required', combine(live.map((n) => imdsv2(n.instance)))),
    item('notify-script', 'Notify script / route keeper present', serviceItem(live, facts, notifyScript)),
    item('services', 'keepalived & haproxy', serviceItem(live, facts, services)),
  ];
  const summary = items.some((i) => i.state === 'fail') ? 'not-ready' : items.some((i) => i.state === 'unknown') ? 'unknown' : 'ready';
  return { summary, items };
}

/** The tables that carry the pair's VIPs, with the ARN an IAM policy names them by (pure). */
export function vipRouteTables(pair: Pair, snapshot: RegionSnapshot): Array<{ routeTableId: string; arn?: string }> {
  const partition = partitionOf(snapshot.region);
  const owners = new Map(snapshot.vpcs.flatMap((vpc) => vpc.routeTables.map((t) => [t.routeTableId, t.ownerId] as const)));
  const ids = [...new Set(pair.vips.flatMap((vip) => vip.routes.map((r) => r.routeTableId)))].sort();
  return ids.map((routeTableId) => {
    const owner = owners.get(routeTableId);
    return { routeTableId, arn: partition && owner ? `arn:${partition}:ec2:${snapshot.region}:${owner}:route-table/${routeTableId}` : undefined };
  });
}

/** keepalived or haproxy not active, or keepalived's VRRP state disagreeing with the VIP routes, in words (pure). */
export function failoverProblems(report: NodeServiceReport, role: NodeRole): string[] {
  const problems: string[] = [];
  for (const service of ['keepalived', 'haproxy'] as const) {
    if (report[service] !== 'active' && report[service] !== 'unknown') problems.push(`${service} is ${report[service]}.`);
  }
  // keepalived and the route tables must agree, or the VIP's traffic reaches a node that does not answer for it.
  if ((role === 'MASTER' && report.vrrpState === 'BACKUP') || (role === 'BACKUP' && report.vrrpState === 'MASTER')) {
    problems.push(`keepalived says ${report.vrrpState}, but the VIP routes make this node ${role}.`);
  }
  return problems;
}

/** "just now", "5 min ago", "3 h ago", "2 days ago" (pure). */
export function ageText(then: Date, now: Date): string {
  const minutes = Math.floor((now.getTime() - then.getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

interface Outcome {
  state: CheckState;
  why: string;
  details?: string[];
}

function item(key: ReadinessKey, label: string, outcome: Outcome): ReadinessItem {
  return { key, label, state: outcome.state, why: outcome.why, details: outcome.details ?? [] };
}

/** The worst state wins (fail, then unknown); its lines say why, and every line is kept as a detail. */
function combine(checks: readonly Check[], none = 'no live node'): Outcome {
  if (checks.length === 0) return { state: 'fail', why: none };
  const state: CheckState = checks.some((c) => c.state === 'fail') ? 'fail' : checks.some((c) => c.state === 'unknown') ? 'unknown' : 'ok';
  const lines = checks.filter((c) => c.state === state).map((c) => c.detail);
  return { state, why: lines.join('; '), details: checks.map((c) => c.detail) };
}

function label(instance: Pick<InstanceInfo, 'instanceId' | 'name'>): string {
  return instance.name ? `${instance.name} (${instance.instanceId})` : instance.instanceId;
}

/** The nodes a failover would move the VIPs to: all but the MASTER, or every live node when none holds them all. */
function peers(pair: Pair, live: readonly PairNode[]): PairNode[] {
  return live.filter((n) => n.instance.instanceId !== pair.masterInstanceId);
}

function peerRunning(pair: Pair, live: readonly PairNode[]): Outcome {
  const candidates = peers(pair, live);
  if (live.length < 2 || candidates.length === 0) return { state: 'fail', why: `the pair has ${live.length} live node${live.length === 1 ? '' : 's'}: no peer to fail over to` };
  return combine(candidates.map((n) => (n.instance.state === 'running' ? { state: 'ok', detail: `${label(n.instance)} is running` } : { state: 'fail', detail: `${label(n.instance)} is ${n.instance.state}` })));
}

function peerStatusChecks(pair: Pair, live: readonly PairNode[]): Outcome {
  const running = peers(pair, live).filter((n) => n.instance.state === 'running');
  if (running.length === 0) return { state: 'fail', why: 'no running peer' };
  return combine(
    running.map(({ instance, status }): Check => {
      if (!status) return { state: 'unknown', detail: `${label(instance)}: status checks not reported` };
      const text = `${label(instance)}: system ${status.system}, instance ${status.instance}`;
      if (status.system === 'ok' && status.instance === 'ok') return { state: 'ok', detail: text };
      // Checks still initializing after a start are not a failure yet.
      return { state: status.system === 'initializing' || status.instance === 'initializing' ? 'unknown' : 'fail', detail: text };
    }),
  );
}

function sourceDestCheck({ instance }: PairNode, facts: ReadinessFacts): Check {
  const name = label(instance);
  const enis = facts.enis[instance.instanceId];
  const on = [instance.sourceDestCheck === true ? 'the instance' : undefined, ...(enis ?? []).filter((e) => e.sourceDestCheck === true).map((e) => e.eniId)].filter(Boolean);
  if (on.length > 0) return { state: 'fail', detail: `${name}: source/dest check is on for ${on.join(', ')}` };
  if (instance.sourceDestCheck === undefined) return { state: 'unknown', detail: `${name}: the instance's source/dest check is not known` };
  if (!enis) return { state: 'unknown', detail: `${name}: its network interfaces could not be read${facts.networkProblem ? ` (${facts.networkProblem})` : ''}` };
  const unknown = enis.filter((e) => e.sourceDestCheck === undefined).map((e) => e.eniId);
  if (unknown.length) return { state: 'unknown', detail: `${name}: source/dest check of ${unknown.join(', ')} not reported` };
  return { state: 'ok', detail: `${name}: off for the instance and ${enis.length === 1 ? enis[0].eniId : `its ${enis.length} interfaces`}` };
}

function vrrp(live: readonly PairNode[], facts: ReadinessFacts): Outcome {
  if (live.length < 2) return { state: 'fail', why: 'no peer to exchange VRRP with' };
  const endpoints = live.map(({ instance }) => {
    const primary = facts.enis[instance.instanceId]?.find((e) => e.primary);
    return { label: instance.name ?? instance.instanceId, ip: primary?.privateIp ?? instance.privateIp, groupIds: primary?.groupIds ?? [], known: Boolean(primary) };
  });
  const missing = endpoints.filter((e) => !e.known);
  if (missing.length) {
    return { state: 'unknown', why: `the interfaces of ${missing.map((e) => e.label).join(', ')} could not be read${facts.networkProblem ? ` (${facts.networkProblem})` : ''}` };
  }
  return combine(endpoints.flatMap((from) => endpoints.filter((to) => to !== from).map((to) => vrrpAllowed(from, to, facts.securityGroups))));
}

function replaceRoute({ instance }: PairNode, facts: ReadinessFacts): Check {
  const name = label(instance);
  const role = facts.roles[instance.instanceId];
  if (!role) return { state: 'unknown', detail: `${name}: its instance role was not read` };
  if (role.kind === 'none') return { state: 'fail', detail: `${name}: ${role.why}` };
  if (role.kind === 'unknown') return { state: 'unknown', detail: `${name}: ${role.why}` };
  if (facts.routeTables.length === 0) return { state: 'fail', detail: `${name}: the pair has no VIP route table` };
  const policies = role.policies.map(parsePolicy);
  const boundary = role.boundary?.map(parsePolicy);
  const decisions = facts.routeTables.map(({ routeTableId, arn }): [string, Decision] => {
    if (!arn) return [routeTableId, { verdict: 'unknown', why: 'the table\'s owner account is not known' }];
    const request = { action: REPLACE_ROUTE, resource: arn };
    return [routeTableId, intersect(evaluatePolicies(policies, request), boundary && evaluatePolicies(boundary, request))];
  });
  const denied = decisions.filter(([, d]) => d.verdict === 'denied');
  const unknown = decisions.filter(([, d]) => d.verdict === 'unknown');
  const lines = (list: typeof decisions) => list.map(([table, d]) => `${table}: ${d.why}`).join('; ');
  if (denied.length) return { state: 'fail', detail: `${name}: role ${role.roleName} may not replace routes in ${lines(denied)}` };
  if (unknown.length) return { state: 'unknown', detail: `${name}: role ${role.roleName}, ${lines(unknown)}` };
  return { state: 'ok', detail: `${name}: role ${role.roleName} may, on all ${decisions.length} table${decisions.length === 1 ? '' : 's'}` };
}

function imdsv2(instance: InstanceInfo): Check {
  const name = label(instance);
  if (instance.imdsv2Required === undefined) return { state: 'unknown', detail: `${name}: metadata options not reported` };
  return instance.imdsv2Required
    ? { state: 'ok', detail: `${name}: tokens required` }
    : { state: 'fail', detail: `${name}: tokens optional (IMDSv1 still answers)` };
}

/** Items read from the SSM check: unknown until it ran on every live node, and then with its age. */
function serviceItem(live: readonly PairNode[], facts: ReadinessFacts, judge: (report: NodeServiceReport, node: PairNode) => Check): Outcome {
  const checks = live.map((node) => ({ node, check: facts.services[node.instance.instanceId] }));
  const never = checks.filter((c) => !c.check);
  if (live.length > 0 && never.length === live.length) return { state: 'unknown', why: RUN_SERVICE_CHECK };
  const oldest = checks.reduce<Date | undefined>((at, c) => (c.check && (!at || c.check.checkedAt < at) ? c.check.checkedAt : at), undefined);
  const outcome = combine(
    checks.map(({ node, check }): Check =>
      check ? judge(check.report, node) : { state: 'unknown', detail: `${label(node.instance)}: never checked (${RUN_SERVICE_CHECK})` },
    ),
  );
  return { ...outcome, why: oldest ? `${outcome.why} (checked ${ageText(oldest, facts.now)})` : outcome.why };
}

function notifyScript(report: NodeServiceReport, { instance }: PairNode): Check {
  const name = label(instance);
  const keeper = report.routeKeeper && report.routeKeeper !== 'unknown' ? `, route keeper ${report.routeKeeper}` : '';
  if (!report.notifyScripts) return { state: 'unknown', detail: `${name}: keepalived's configuration was not read${report.note ? ` (${report.note})` : ''}` };
  const missing = report.notifyScripts.filter((s) => !s.executable).map((s) => s.path);
  if (missing.length) return { state: 'fail', detail: `${name}: ${missing.join(', ')} named by keepalived.conf is missing or not executable${keeper}` };
  if (report.notifyScripts.length === 0) {
    return report.routeKeeper === 'active'
      ? { state: 'ok', detail: `${name}: no notify script, route keeper active` }
      : { state: 'fail', detail: `${name}: keepalived.conf names no notify script, so nothing moves the routes${keeper}` };
  }
  return { state: 'ok', detail: `${name}: ${report.notifyScripts.map((s) => s.path).join(', ')}${keeper}` };
}

function services(report: NodeServiceReport, node: PairNode): Check {
  const name = label(node.instance);
  const problems = failoverProblems(report, node.role);
  if (problems.length) return { state: 'fail', detail: `${name}: ${problems.join(' ')}` };
  if (report.keepalived === 'unknown' || report.haproxy === 'unknown') return { state: 'unknown', detail: `${name}: ${report.note ?? 'the node did not say'}` };
  return { state: 'ok', detail: `${name}: keepalived active (${report.vrrpState}), haproxy active` };
}
