import { CreateRouteCommand, DeleteRouteCommand, ReplaceRouteCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { explainError } from '../session/errors';
import { mapBounded, sleep } from './bounded';
import { nodeOf, targetOn, type FailoverPlan, type PlanStep } from './plan';
import type { PreflightCheck } from './preflight';
import { readRoute, readRouteTables, sameTarget, type RouteRead, type TableRead, type TargetRef } from './reads';

export interface ExecuteOptions {
  /** When some tables fail: put the moved ones back (default), or leave them moved. Chosen up front so no modal waits while the VIP is split. */
  onPartialFailure?: 'rollback' | 'keep';
  /** Table updates in flight at once; default 10. */
  concurrency?: number;
  onProgress?: (progress: FailoverProgress) => void;
}

export type FailoverPhase = 'moving' | 'verifying' | 'rolling-back' | 'settling';

export interface FailoverProgress {
  phase: FailoverPhase;
  done: number;
  total: number;
}

/** Where a table's VIP route points after everything, as last read. */
export type FinalRoute =
  | { kind: 'route'; target: TargetRef; node?: string; state: string }
  | { kind: 'no-route' }
  | { kind: 'vanished' }
  | { kind: 'unknown'; reason: string };

export type TableOutcome = 'moved' | 'already-there' | 'rolled-back' | 'skipped' | 'vanished' | 'failed';

export interface TableReport {
  routeTableId: string;
  routeTableName?: string;
  cidr: string;
  from?: TargetRef;
  to: TargetRef;
  outcome: TableOutcome;
  reason?: string;
  final: FinalRoute;
}

/**
 * moved: every table verified at the target. rolled-back: something failed and every table is verified back
 * where it was. partial: the user chose to keep the moved tables. converged: a failover in the opposite
 * direction ran at the same time and all tables agree on `settledOn`. inconsistent: no consistent state
 * could be reached; `tables` says exactly where each route points. refused: preflight failed, nothing changed.
 */
export type FailoverResult = 'moved' | 'rolled-back' | 'partial' | 'converged' | 'inconsistent' | 'refused';

export interface FailoverReport {
  result: FailoverResult;
  vpcId: string;
  cidrs: string[];
  toInstanceId: string;
  settledOn?: string;
  tables: TableReport[];
  notes: string[];
  refused?: PreflightCheck[];
}

type Attempt =
  | { kind: 'planned-none' | 'already' | 'moved' | 'vanished' | 'skipped' }
  | { kind: 'uncertain' | 'refused'; reason: string };

/** A write made only while the route still points where we last saw it. */
interface ConditionalWrite {
  routeTableId: string;
  cidr: string;
  /** The target the route must have now; undefined = there must be no route. */
  expect?: TargetRef;
  /** The target to set; undefined = delete the route. */
  want?: TargetRef;
  isDone(route: RouteRead | undefined): boolean;
}

type WriteResult = { kind: 'already' | 'moved' | 'vanished' } | { kind: 'uncertain' | 'refused'; reason: string };

const SETTLE_ROUNDS = 5;
const READ_ATTEMPTS = 6;

/**
 * Moves the planned routes (each only if it still points at the plan's "from"), verifies by reading every
 * table back, and on a partial failure restores the moved tables (unless told to keep them) and verifies
 * again. A failover in the opposite direction at the same time is detected from the read-back, and both
 * sides settle on the same node, so the tables end agreeing.
 */
export async function executePlan(ec2: EC2Client, plan: FailoverPlan, options: ExecuteOptions = {}): Promise<FailoverReport> {
  const { request, nodes, steps } = plan;
  const to = request.toInstanceId;
  const limit = options.concurrency ?? 10;
  const progress = options.onProgress ?? (() => undefined);
  const notes: string[] = [];
  const writeReasons = new Map<PlanStep, string>();
  const rewritten = new Set<PlanStep>();

  const attempts = await moveForward();
  progress({ phase: 'verifying', done: 0, total: steps.length });
  let finals = await readFinal(ec2, plan);
  const nodeAt = (s: PlanStep) => {
    const f = finals.get(s);
    return f?.kind === 'route' ? f.node : undefined;
  };
  // A deleted table no longer carries the VIP, so it cannot disagree.
  const at = (s: PlanStep, node: string) => finals.get(s)?.kind === 'vanished' || nodeAt(s) === node;
  if (steps.every((s) => at(s, to))) return report('moved');

  // A table this run saw at (or set to) the target but now at the other node: someone failed over the other way.
  const others = request.nodeIds.filter((id) => id !== to);
  const opposed = steps.find((s) => ['planned-none', 'already', 'moved'].includes(attempts.get(s)?.kind ?? '') && others.includes(nodeAt(s) ?? ''));
  if (opposed) {
    const other = nodeAt(opposed) as string;
    // Two opposite failovers cannot both win. Each side picks the same node without talking to the other,
    // as keepalived breaks a priority tie, so every write after the read-back goes the same way.
    const winner = [to, other].sort()[0];
    const loser = winner === to ? other : to;
    notes.push(`Another failover towards ${other} changed tables at the same time; both settle on ${winner} (the lower instance id, chosen the same way on both sides) so that all tables agree.`);
    await settle('settling', (s, f) =>
      f.kind === 'route' && f.node === loser
        ? { routeTableId: s.routeTableId, cidr: s.cidr, expect: f.target, want: targetOn(winner, f.target.kind, nodes), isDone: (r) => nodeOf(r?.target, nodes) === winner }
        : undefined,
    );
    return report(steps.every((s) => at(s, winner)) ? 'converged' : 'inconsistent', winner);
  }
  if (options.onPartialFailure === 'keep') return report('partial');
  await settle('rolling-back', (s, f) => {
    const kind = attempts.get(s)?.kind;
    // A table already put back once and found at the target again was moved there by someone else: not fought over.
    if ((kind !== 'moved' && kind !== 'uncertain') || rewritten.has(s) || f.kind !== 'route' || f.node !== to) return undefined;
    return { routeTableId: s.routeTableId, cidr: s.cidr, expect: f.target, want: s.from, isDone: (r) => atOriginal(s, r, plan) };
  });
  // Tables someone else changed are reported as such; "rolled back" means every table this run changed is back.
  const restored = steps.every((s) => {
    const f = finals.get(s) as FinalRoute;
    if (f.kind === 'unknown') return false;
    return !touched(s) || f.kind === 'vanished' || atOriginal(s, f.kind === 'route' ? f : undefined, plan);
  });
  return report(restored ? 'rolled-back' : 'inconsistent');

  function touched(s: PlanStep): boolean {
    const kind = attempts.get(s)?.kind;
    return kind === 'moved' || kind === 'uncertain' || rewritten.has(s);
  }

  async function moveForward(): Promise<Map<PlanStep, Attempt>> {
    const result = new Map<PlanStep, Attempt>(steps.filter((s) => s.action === 'none').map((s) => [s, { kind: 'planned-none' }]));
    const todo = steps.filter((s) => s.action !== 'none');
    let stoppedBy: string | undefined;
    let done = 0;
    progress({ phase: 'moving', done, total: todo.length });
    await mapBounded(todo, limit, async (s) => {
      if (stoppedBy) {
        result.set(s, { kind: 'skipped' });
        return;
      }
      const outcome = await conditionalWrite(ec2, { routeTableId: s.routeTableId, cidr: s.cidr, expect: s.from, want: s.to, isDone: (r) => nodeOf(r?.target, nodes) === to });
      result.set(s, outcome.kind === 'already' ? { kind: 'already' } : outcome);
      if (outcome.kind === 'uncertain' || outcome.kind === 'refused') stoppedBy ??= `${s.routeTableName ?? s.routeTableId} (${outcome.reason})`;
      progress({ phase: 'moving', done: ++done, total: todo.length });
    });
    if (stoppedBy) notes.push(`Stopped moving routes after a failure on ${stoppedBy}.`);
    return result;
  }

  /** Rounds of conditional writes towards what `want` asks, each followed by a read-back, until nothing is left to do. */
  async function settle(phase: FailoverPhase, want: (s: PlanStep, f: FinalRoute) => ConditionalWrite | undefined): Promise<void> {
    for (let round = 0; round < SETTLE_ROUNDS; round++) {
      const writes = steps.flatMap((s) => {
        const write = want(s, finals.get(s) as FinalRoute);
        return write ? [{ s, write }] : [];
      });
      if (writes.length === 0) return;
      if (round > 0) await sleep(300 * round);
      let done = 0;
      progress({ phase, done, total: writes.length });
      await mapBounded(writes, limit, async ({ s, write }) => {
        const outcome = await conditionalWrite(ec2, write);
        if (outcome.kind === 'moved') rewritten.add(s);
        if (outcome.kind === 'uncertain' || outcome.kind === 'refused') writeReasons.set(s, `${phase === 'rolling-back' ? 'rollback' : 'settling'} failed: ${outcome.reason}`);
        else writeReasons.delete(s);
        progress({ phase, done: ++done, total: writes.length });
      });
      finals = await readFinal(ec2, plan);
    }
  }

  function report(result: FailoverResult, settledOn?: string): FailoverReport {
    const tables = steps.map((s): TableReport => {
      const final = finals.get(s) as FinalRoute;
      const attempt = attempts.get(s) as Attempt;
      return { routeTableId: s.routeTableId, routeTableName: s.routeTableName, cidr: s.cidr, from: s.from, to: s.to, final, ...outcomeOf(s, final, attempt, settledOn) };
    });
    return { result, vpcId: request.vpcId, cidrs: request.cidrs, toInstanceId: to, settledOn, tables, notes };
  }

  function outcomeOf(s: PlanStep, final: FinalRoute, attempt: Attempt, settledOn?: string): { outcome: TableOutcome; reason?: string } {
    const changed = touched(s);
    const reason = writeReasons.get(s) ?? ('reason' in attempt ? attempt.reason : undefined);
    if (final.kind === 'unknown') return { outcome: 'failed', reason: final.reason };
    if (final.kind === 'vanished') return { outcome: 'vanished', reason: 'the route table no longer exists' };
    const route = final.kind === 'route' ? final : undefined;
    if (route?.node === to) return changed ? { outcome: 'moved' } : { outcome: 'already-there', reason: attempt.kind === 'planned-none' || attempt.kind === 'already' ? undefined : 'moved there by someone else' };
    if (atOriginal(s, route, plan)) {
      if (changed) return { outcome: 'rolled-back', reason };
      if (attempt.kind === 'skipped') return { outcome: 'skipped', reason: 'not attempted: the failover stopped first' };
      return { outcome: 'failed', reason: reason ?? 'still at its original target' };
    }
    const now = route ? `${route.target.id}${route.node && route.node !== route.target.id ? ` (${route.node})` : ''}` : 'no route';
    return { outcome: 'failed', reason: reason ?? (settledOn ? `now → ${now}, as the concurrent failover left it` : `changed by someone else: now → ${now}`) };
  }
}

/** Whether a route is back where the plan found it: the same node, or no route for a table the plan added to. */
function atOriginal(s: PlanStep, route: { target: TargetRef } | undefined, plan: FailoverPlan): boolean {
  if (s.action === 'create') return !route;
  if (!route) return false;
  return s.fromNode ? nodeOf(route.target, plan.nodes) === s.fromNode : sameTarget(route.target, s.from);
}

/** Reads the route, and writes only if it is still as expected (EC2 has no conditional replace; this keeps the window to one round trip). */
async function conditionalWrite(ec2: EC2Client, w: ConditionalWrite): Promise<WriteResult> {
  let current: RouteRead | undefined | 'vanished';
  try {
    current = await readRoute(ec2, w.routeTableId, w.cidr);
  } catch (error) {
    const e = explainError(error);
    return { kind: 'refused', reason: `could not read the route before changing it: ${e.code}` };
  }
  if (current === 'vanished') return { kind: 'vanished' };
  if (w.isDone(current)) return { kind: 'already' };
  const asExpected = w.expect ? !!current && sameTarget(current.target, w.expect) : !current;
  if (!asExpected) {
    return { kind: 'refused', reason: current ? `changed by someone else: now → ${current.target.id}` : 'changed by someone else: the VIP route was removed' };
  }
  try {
    await ec2.send(writeCommand(w));
    return { kind: 'moved' };
  } catch (error) {
    const e = explainError(error);
    return { kind: 'uncertain', reason: `${e.code}: ${e.message}` };
  }
}

function writeCommand(w: ConditionalWrite) {
  const destination = w.cidr.includes(':') ? { DestinationIpv6CidrBlock: w.cidr } : { DestinationCidrBlock: w.cidr };
  const base = { RouteTableId: w.routeTableId, ...destination };
  if (!w.want) return new DeleteRouteCommand(base);
  const target = targetParameter(w.want);
  return w.expect ? new ReplaceRouteCommand({ ...base, ...target }) : new CreateRouteCommand({ ...base, ...target });
}

/** The ReplaceRoute/CreateRoute parameter naming a target; gateways and the like are told apart by their id prefix. */
function targetParameter(target: TargetRef): Record<string, string> {
  if (target.kind === 'instance') return { InstanceId: target.id };
  if (target.kind === 'eni') return { NetworkInterfaceId: target.id };
  const prefixes: Array<[string, string]> = [['nat-', 'NatGatewayId'], ['tgw-', 'TransitGatewayId'], ['pcx-', 'VpcPeeringConnectionId'], ['lgw-', 'LocalGatewayId'], ['cagw-', 'CarrierGatewayId'], ['arn:', 'CoreNetworkArn']];
  return { [prefixes.find(([prefix]) => target.id.startsWith(prefix))?.[1] ?? 'GatewayId']: target.id };
}

/** Every planned table's route as it is now; reading is retried patiently, since the user must learn where the VIP points. */
async function readFinal(ec2: EC2Client, plan: FailoverPlan): Promise<Map<PlanStep, FinalRoute>> {
  let tables: TableRead[] | undefined;
  let failure = '';
  for (let attempt = 0; attempt < READ_ATTEMPTS && !tables; attempt++) {
    if (attempt > 0) await sleep(250 * attempt);
    try {
      tables = await readRouteTables(ec2, plan.request.vpcId);
    } catch (error) {
      const e = explainError(error);
      failure = `could not read the route tables back: ${e.code}: ${e.message}`;
    }
  }
  const byId = new Map((tables ?? []).map((t) => [t.routeTableId, t]));
  return new Map(plan.steps.map((s): [PlanStep, FinalRoute] => {
    if (!tables) return [s, { kind: 'unknown', reason: failure }];
    const table = byId.get(s.routeTableId);
    const route = table?.routes[s.cidr];
    if (!table) return [s, { kind: 'vanished' }];
    if (!route) return [s, { kind: 'no-route' }];
    return [s, { kind: 'route', target: route.target, node: nodeOf(route.target, plan.nodes), state: route.state }];
  }));
}
