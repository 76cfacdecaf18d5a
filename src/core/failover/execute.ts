import type { EC2Client } from '@aws-sdk/client-ec2';
import { explainError } from '../session/errors';
import { mapBounded } from './bounded';
import { conditionalWrite, type ConditionalWrite } from './conditionalWrite';
import type { EipReport } from './eipFailover';
import { nodeOf, targetOn, type FailoverPlan, type PlanStep } from './plan';
import type { PreflightCheck } from './preflight';
import { readRouteTables, sameTarget, type TargetRef } from './reads';
import { DEFAULT_READ_TIMING, readUntilStable, type FinalRoute, type Observation, type ReadTiming } from './stableReads';

export interface ExecuteOptions {
  /** When some tables fail: put the moved ones back (default), or leave them moved. Chosen up front so no modal waits while the VIP is split. */
  onPartialFailure?: 'rollback' | 'keep';
  /** Table updates in flight at once; default 10. */
  concurrency?: number;
  onProgress?: (progress: FailoverProgress) => void;
  /** Cancels: before the first write nothing changes; after it, the moved tables are rolled back (and verified). */
  signal?: AbortSignal;
  /** The whole failover's budget, default 2 min: past it no route moves forward any more, and what moved is rolled back. */
  deadlineMs?: number;
  /** When a read-back counts as the truth (see ReadTiming). */
  reads?: Partial<ReadTiming>;
}

export type FailoverPhase = 'checking' | 'moving' | 'verifying' | 'rolling-back' | 'settling';

export interface FailoverProgress {
  phase: FailoverPhase;
  done: number;
  total: number;
}

export type TableOutcome = 'moved' | 'already-there' | 'rolled-back' | 'skipped' | 'vanished' | 'failed';

export interface TableReport {
  routeTableId: string;
  routeTableName?: string;
  cidr: string;
  from?: TargetRef;
  to: TargetRef;
  outcome: TableOutcome;
  reason?: string;
  /** The last read. */
  final: FinalRoute;
  /** `final` was read stable (ReadTiming); when not, `reads` are the last reads. */
  verified: boolean;
  reads?: FinalRoute[];
  /** Who put the route where it is now, when it changed during the run. */
  movedBy?: 'this run' | 'someone else';
}

/**
 * moved: every table verified at the target. rolled-back: something failed (or the run was cancelled) and
 * every table this run changed is verified back where it was (or taken over by someone else, as reported).
 * partial: the user chose to keep the moved tables. converged: a failover in the opposite direction ran at the
 * same time and all tables are verified on `settledOn`. unverified: some table never read stable; its last
 * reads are given. inconsistent: no consistent state could be reached. refused: preflight failed, nothing
 * changed. cancelled: stopped before any write.
 */
export type FailoverResult = 'moved' | 'rolled-back' | 'partial' | 'converged' | 'unverified' | 'inconsistent' | 'refused' | 'cancelled';

export interface FailoverReport {
  result: FailoverResult;
  vpcId: string;
  cidrs: string[];
  toInstanceId: string;
  settledOn?: string;
  /** Why the run stopped early, when it did. */
  stopped?: 'cancelled' | 'deadline';
  tables: TableReport[];
  /** The pair's Elastic IPs, when the failover moved them with the routes. */
  addresses?: EipReport[];
  notes: string[];
  refused?: PreflightCheck[];
}

type Attempt =
  | { kind: 'planned-none' | 'already' | 'moved' | 'vanished' | 'skipped' }
  | { kind: 'uncertain' | 'refused'; reason: string };

const SETTLE_ROUNDS = 5;
const DEFAULT_DEADLINE_MS = 120_000;

/**
 * Moves the planned routes (each only if it still points at the plan's "from"), verifies by reading every
 * table back until the reads are stable, and on a partial failure, a cancel or the deadline restores the
 * moved tables (unless told to keep them) and verifies again. Nothing is decided from one read: EC2 may answer
 * with the route as it was before a write. A failover in the opposite direction at the same time shows as a
 * table read stable at the other node, and both sides settle on the same node, so the tables end agreeing.
 */
export async function executePlan(ec2: EC2Client, plan: FailoverPlan, options: ExecuteOptions = {}): Promise<FailoverReport> {
  const { request, nodes, steps } = plan;
  const to = request.toInstanceId;
  const limit = options.concurrency ?? 10;
  const progress = options.onProgress ?? (() => undefined);
  const timing: ReadTiming = { ...DEFAULT_READ_TIMING, ...options.reads };
  const deadline = Date.now() + (options.deadlineMs ?? DEFAULT_DEADLINE_MS);
  const notes: string[] = [];
  const writeReasons = new Map<PlanStep, string>();
  /** This run's writes to each table, oldest first ('none' is a delete); unsure: the answer was lost. */
  const written = new Map<PlanStep, Array<{ target: TargetRef | 'none'; sure: boolean }>>();
  const wrote = (s: PlanStep, target: TargetRef | 'none', sure: boolean) => written.set(s, [...(written.get(s) ?? []), { target, sure }]);
  const rewritten = new Set<PlanStep>();
  let stopped: FailoverReport['stopped'];
  const mustStop = () => (stopped ??= options.signal?.aborted ? 'cancelled' : Date.now() > deadline ? 'deadline' : undefined);

  const attempts = await moveForward();
  if (stopped && written.size === 0) return unchanged();
  let observed = await verify();
  const nodeAt = (s: PlanStep) => {
    const f = final(s);
    return f.kind === 'route' ? f.node : undefined;
  };
  const verified = (s: PlanStep) => observed.get(s)?.verified === true;
  // A deleted table no longer carries the VIP, so it cannot disagree.
  const at = (s: PlanStep, node: string) => verified(s) && (final(s).kind === 'vanished' || nodeAt(s) === node);
  if (!stopped && steps.every((s) => at(s, to))) return report('moved');

  // A table this run saw at (or set to) the target, now read stable at the other node: someone failed over the other way.
  const others = request.nodeIds.filter((id) => id !== to);
  const opposed = stopped ? undefined : steps.find((s) => ['planned-none', 'already', 'moved'].includes(attempts.get(s)?.kind ?? '') && verified(s) && others.includes(nodeAt(s) ?? ''));
  if (opposed) {
    const other = nodeAt(opposed) as string;
    // Two opposite failovers cannot both win. Each side picks the same node without talking to the other,
    // as keepalived breaks a priority tie, so every write after the read-back goes the same way.
    const winner = [to, other].sort()[0];
    const loser = winner === to ? other : to;
    notes.push(`Someone else moved ${tableLabel(opposed)} to ${other} during this failover (read back stable, not a stale read); both sides settle on ${winner} (the lower instance id, chosen the same way on both sides) so that all tables agree.`);
    await settle('settling', (s, f) =>
      f.kind === 'route' && f.node === loser
        ? { routeTableId: s.routeTableId, cidr: s.cidr, expect: f.target, want: targetOn(winner, f.target.kind, nodes), isDone: (r) => nodeOf(r?.target, nodes) === winner }
        : undefined,
    );
    if (steps.every((s) => at(s, winner))) return report('converged', winner);
    return report(steps.every(verified) ? 'inconsistent' : 'unverified', winner);
  }
  const failed = stopped || steps.some((s) => ['refused', 'uncertain', 'skipped'].includes(attempts.get(s)?.kind ?? '') || (verified(s) && !at(s, to)));
  if (!failed) return report('unverified');
  if (!stopped && options.onPartialFailure === 'keep') return report('partial');
  await settle('rolling-back', (s, f) => {
    const kind = attempts.get(s)?.kind;
    // A table already put back once and found at the target again was moved there by someone else: not fought over.
    if ((kind !== 'moved' && kind !== 'uncertain') || rewritten.has(s) || f.kind !== 'route' || f.node !== to) return undefined;
    return { routeTableId: s.routeTableId, cidr: s.cidr, expect: f.target, want: s.from, isDone: (r) => atOriginal(s, r, plan) };
  });
  // "Rolled back" means every table this run changed is verified back, or verified taken over by someone else.
  const restored = steps.every((s) => verified(s) && (!touched(s) || final(s).kind === 'vanished' || atOriginal(s, routeOf(final(s)), plan) || movedBy(s) === 'someone else'));
  if (restored) return report('rolled-back');
  return report(steps.every(verified) ? 'inconsistent' : 'unverified');

  function final(s: PlanStep): FinalRoute {
    return (observed.get(s) as Observation).final;
  }

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
      if (stoppedBy || mustStop()) {
        result.set(s, { kind: 'skipped' });
        return;
      }
      const outcome = await conditionalWrite(ec2, { routeTableId: s.routeTableId, cidr: s.cidr, expect: s.from, want: s.to, isDone: (r) => nodeOf(r?.target, nodes) === to });
      result.set(s, outcome.kind === 'already' ? { kind: 'already' } : outcome);
      if (outcome.kind === 'moved' || outcome.kind === 'uncertain') wrote(s, s.to, outcome.kind === 'moved');
      if (outcome.kind === 'uncertain' || outcome.kind === 'refused') stoppedBy ??= `${tableLabel(s)} (${outcome.reason})`;
      progress({ phase: 'moving', done: ++done, total: todo.length });
    });
    if (stoppedBy) notes.push(`Stopped moving routes after a failure on ${stoppedBy}.`);
    if (stopped) notes.push(stopped === 'cancelled' ? 'Cancelled: no further route was moved.' : `The failover ran past its deadline: no further route was moved.`);
    return result;
  }

  /** Reads every table back until each read is stable (or the read deadline passes). Not cancellable: the report must say where the VIP points. */
  async function verify(): Promise<Map<PlanStep, Observation>> {
    progress({ phase: 'verifying', done: 0, total: steps.length });
    return readUntilStable(steps, () => readOnce(ec2, plan), timing);
  }

  /** Rounds of conditional writes towards what `want` asks, each followed by a stable read-back, until nothing is left to do. */
  async function settle(phase: FailoverPhase, want: (s: PlanStep, f: FinalRoute) => ConditionalWrite | undefined): Promise<void> {
    for (let round = 0; round < SETTLE_ROUNDS; round++) {
      const writes = steps.flatMap((s) => {
        const write = want(s, final(s));
        return write ? [{ s, write }] : [];
      });
      if (writes.length === 0) return;
      let done = 0;
      progress({ phase, done, total: writes.length });
      await mapBounded(writes, limit, async ({ s, write }) => {
        const outcome = await conditionalWrite(ec2, write);
        if (outcome.kind === 'moved' || outcome.kind === 'uncertain') wrote(s, write.want ?? 'none', outcome.kind === 'moved');
        if (outcome.kind === 'moved') rewritten.add(s);
        if (outcome.kind === 'uncertain' || outcome.kind === 'refused') writeReasons.set(s, `${phase === 'rolling-back' ? 'rollback' : 'settling'} failed: ${outcome.reason}`);
        else writeReasons.delete(s);
        progress({ phase, done: ++done, total: writes.length });
      });
      observed = await verify();
    }
  }

  /**
   * Who put the route where it is: this run when it is where one of its writes put it, and no later write
   * known to have happened says otherwise; someone else when it changed in any other way.
   */
  function movedBy(s: PlanStep): TableReport['movedBy'] {
    const f = final(s);
    if (f.kind === 'unknown' || f.kind === 'vanished') return undefined;
    const route = routeOf(f);
    for (const write of [...(written.get(s) ?? [])].reverse()) {
      const target = write.target;
      const matches = target === 'none' ? !route : !!route && (sameTarget(route.target, target) || (!!route.node && route.node === nodeOf(target, nodes)));
      if (matches) return 'this run';
      if (write.sure) return 'someone else';
    }
    const asPlanned = s.action === 'create' ? !route : !!route && sameTarget(route.target, s.from);
    return asPlanned ? undefined : 'someone else';
  }

  function unchanged(): FailoverReport {
    const tables = steps.map((s): TableReport => ({
      routeTableId: s.routeTableId, routeTableName: s.routeTableName, cidr: s.cidr, from: s.from, to: s.to,
      outcome: s.action === 'none' ? 'already-there' : 'skipped',
      reason: s.action === 'none' ? undefined : 'not attempted: the failover stopped first',
      final: s.from ? { kind: 'route', target: s.from, node: s.fromNode, state: s.fromState ?? 'active' } : { kind: 'no-route' },
      verified: false,
    }));
    return { result: 'cancelled', vpcId: request.vpcId, cidrs: request.cidrs, toInstanceId: to, stopped, tables, notes };
  }

  function report(result: FailoverResult, settledOn?: string): FailoverReport {
    const tables = steps.map((s): TableReport => {
      const seen = observed.get(s) as Observation;
      const by = movedBy(s);
      return {
        routeTableId: s.routeTableId, routeTableName: s.routeTableName, cidr: s.cidr, from: s.from, to: s.to,
        final: seen.final, verified: seen.verified, ...(seen.verified ? {} : { reads: seen.reads }), ...(by ? { movedBy: by } : {}),
        ...outcomeOf(s, seen.final, attempts.get(s) as Attempt, by, settledOn),
      };
    });
    return { result, vpcId: request.vpcId, cidrs: request.cidrs, toInstanceId: to, settledOn, stopped, tables, notes };
  }

  function outcomeOf(s: PlanStep, final: FinalRoute, attempt: Attempt, by: TableReport['movedBy'], settledOn?: string): { outcome: TableOutcome; reason?: string } {
    const reason = writeReasons.get(s) ?? ('reason' in attempt ? attempt.reason : undefined);
    if (final.kind === 'unknown') return { outcome: 'failed', reason: final.reason };
    if (final.kind === 'vanished') return { outcome: 'vanished', reason: 'the route table no longer exists' };
    const route = routeOf(final);
    if (route?.node === to) return by === 'this run' ? { outcome: 'moved' } : { outcome: 'already-there', reason: by ? 'moved there by someone else' : undefined };
    if (atOriginal(s, route, plan)) {
      if (by === 'this run') return { outcome: 'rolled-back', reason };
      if (by === 'someone else') return { outcome: 'failed', reason: reason ?? 'moved back by someone else' };
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

function routeOf(f: FinalRoute): { target: TargetRef; node?: string } | undefined {
  return f.kind === 'route' ? f : undefined;
}

function tableLabel(s: PlanStep): string {
  return s.routeTableName ?? s.routeTableId;
}

/** Every planned table's route as one read of the VPC sees it; a failed read throws (and is retried by the caller). */
async function readOnce(ec2: EC2Client, plan: FailoverPlan): Promise<Map<PlanStep, FinalRoute>> {
  let tables;
  try {
    tables = await readRouteTables(ec2, plan.request.vpcId);
  } catch (error) {
    const e = explainError(error);
    throw new Error(`could not read the route tables back: ${e.code}: ${e.message}`);
  }
  const byId = new Map(tables.map((t) => [t.routeTableId, t]));
  return new Map(plan.steps.map((s): [PlanStep, FinalRoute] => {
    const table = byId.get(s.routeTableId);
    const route = table?.routes[s.cidr];
    if (!table) return [s, { kind: 'vanished' }];
    if (!route) return [s, { kind: 'no-route' }];
    return [s, { kind: 'route', target: route.target, node: nodeOf(route.target, plan.nodes), state: route.state }];
  }));
}
