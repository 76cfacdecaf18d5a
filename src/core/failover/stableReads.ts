import { sleep } from './bounded';
import type { TargetRef } from './reads';

/** Where a table's VIP route points, as one read saw it. */
export type FinalRoute =
  | { kind: 'route'; target: TargetRef; node?: string; state: string }
  | { kind: 'no-route' }
  | { kind: 'vanished' }
  | { kind: 'unknown'; reason: string };

/**
 * When a read-back counts as the truth. EC2 is eventually consistent: a Describe right after anyone's write
 * (ours, keepalived's, another operator's) may return the previous route, for a window EC2 does not bound
 * (AWS advises backing off "starting with a couple of seconds"). So a state is verified only when `agreeing`
 * consecutive reads, spaced by a growing backoff, say the same thing over at least `settleMs`; a write made
 * before the first of them has shown through by then.
 */
export interface ReadTiming {
  /** Consecutive agreeing reads needed (at least 2). */
  agreeing: number;
  /** How long the agreeing reads must span. */
  settleMs: number;
  firstDelayMs: number;
  maxDelayMs: number;
  /** Tables not stable by then are reported unverified, with their last reads. */
  deadlineMs: number;
}

export const DEFAULT_READ_TIMING: ReadTiming = { agreeing: 2, settleMs: 4000, firstDelayMs: 250, maxDelayMs: 2000, deadlineMs: 30_000 };

export interface TimedRead {
  at: number;
  route: FinalRoute;
}

/** What the reads of one table came to. */
export interface Observation {
  /** The last read. */
  final: FinalRoute;
  /** The last reads agreed as ReadTiming asks. */
  verified: boolean;
  /** The last few reads, oldest first (shown when unverified). */
  reads: FinalRoute[];
}

const KEPT_READS = 4;

export function sameRoute(a: FinalRoute, b: FinalRoute): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'route' && b.kind === 'route') return a.target.kind === b.target.kind && a.target.id === b.target.id;
  return a.kind !== 'unknown';
}

/** The trailing reads that agree with the last one (pure). */
export function trailingAgreement(reads: readonly TimedRead[]): TimedRead[] {
  const last = reads.at(-1);
  if (!last) return [];
  let first = reads.length - 1;
  while (first > 0 && sameRoute(reads[first - 1].route, last.route)) first--;
  return reads.slice(first);
}

/** Whether these reads (oldest first) verify the last one (pure). */
export function isStable(reads: readonly TimedRead[], timing: ReadTiming): boolean {
  const run = trailingAgreement(reads);
  if (run.length < Math.max(2, timing.agreeing) || run[0].route.kind === 'unknown') return false;
  return run[run.length - 1].at - run[0].at >= timing.settleMs;
}

/**
 * Reads (all keys at once, through `readOnce`) until every key is stable or the deadline passes. A read that
 * fails is retried like any other and breaks no agreement.
 */
export async function readUntilStable<K>(keys: readonly K[], readOnce: () => Promise<Map<K, FinalRoute>>, timing: ReadTiming): Promise<Map<K, Observation>> {
  const history = new Map<K, TimedRead[]>(keys.map((k) => [k, []]));
  const stable = new Set<K>();
  const started = Date.now();
  let failure = '';
  for (let delay = timing.firstDelayMs; ; delay = Math.min(delay * 2, timing.maxDelayMs)) {
    try {
      const read = await readOnce();
      const at = Date.now();
      for (const key of keys) {
        if (stable.has(key)) continue;
        const reads = history.get(key) as TimedRead[];
        reads.push({ at, route: read.get(key) ?? { kind: 'unknown', reason: 'not read' } });
        if (isStable(reads, timing)) stable.add(key);
      }
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    if (stable.size === keys.length) break;
    // No sooner than the backoff allows, and no later than the first moment a table could be verified.
    const wait = Math.min(delay, Math.max(timing.firstDelayMs, soonestStable(history, stable, timing) - Date.now()));
    if (Date.now() + wait - started > timing.deadlineMs) break;
    await sleep(wait);
  }
  return new Map(keys.map((key): [K, Observation] => {
    const reads = history.get(key) as TimedRead[];
    const final = reads.at(-1)?.route ?? { kind: 'unknown', reason: failure || 'never read' };
    return [key, { final, verified: stable.has(key), reads: reads.slice(-KEPT_READS).map((r) => r.route) }];
  }));
}

function soonestStable<K>(history: Map<K, TimedRead[]>, stable: Set<K>, timing: ReadTiming): number {
  let soonest = Infinity;
  for (const [key, reads] of history) {
    const run = trailingAgreement(reads);
    if (!stable.has(key) && run.length > 0) soonest = Math.min(soonest, run[0].at + timing.settleMs);
  }
  return soonest;
}
