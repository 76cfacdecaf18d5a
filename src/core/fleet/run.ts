import { classifyFleetError } from './classify';
import { limiter } from './limiter';
import type { FleetAccount, FleetProblem, FleetTarget } from './model';

export interface RegionOutcome<T> {
  region: string;
  result?: T;
  problem?: FleetProblem;
}

/** What one target came to, delivered as soon as it is known. */
export type FleetOutcome<T> =
  | { kind: 'account'; account: FleetAccount; regions: RegionOutcome<T>[] }
  | { kind: 'failed'; target: FleetTarget; problem: FleetProblem }
  /** Another profile already reaches this account: it is shown once, under `usedProfile`. */
  | { kind: 'duplicate'; target: FleetTarget; accountId: string; usedProfile: string };

export interface FleetRunOptions {
  regions: readonly string[];
  /**
   * Accounts discovered at once (each over all its regions in parallel: AWS throttles per account and region,
   * so this bounds the load on every throttle bucket and on the machine).
   */
  concurrency: number;
  /** An account that has not answered in this time (from its start, not its wait) is reported as a timeout. */
  accountTimeoutMs: number;
  /** Aborted when a newer refresh supersedes this one: nothing more is delivered. */
  signal?: AbortSignal;
  /** The account a target reaches (GetCallerIdentity); only asked when the target does not know it. */
  identify(target: FleetTarget, signal: AbortSignal): Promise<string>;
}

export interface FleetRunSummary {
  answered: number;
  total: number;
  cancelled: boolean;
}

export const DEFAULT_FLEET_CONCURRENCY = 8;

class FleetTimeout extends Error {
  override name = 'FleetTimeout';
}

/**
 * Discovers every target over every region, at most `concurrency` accounts at once. Each account is delivered to
 * `onOutcome` when all its regions have answered; a failing or slow account never holds the others.
 */
export async function runFleet<T>(
  targets: readonly FleetTarget[],
  discover: (account: FleetAccount, region: string, signal: AbortSignal) => Promise<T>,
  options: FleetRunOptions,
  onOutcome: (outcome: FleetOutcome<T>, progress: { answered: number; total: number }) => void,
): Promise<FleetRunSummary> {
  const limit = limiter(Math.max(1, options.concurrency));
  // Which target shows each account: the first in the targets' order (profiles by name), whichever answered first.
  const claimed = new Map<string, { account: FleetAccount; index: number; others: Array<{ index: number; profile: string }> }>();
  let answered = 0;
  const deliver = (outcome: FleetOutcome<T>) => {
    if (options.signal?.aborted) return;
    answered++;
    onOutcome(outcome, { answered, total: targets.length });
  };

  const one = async (target: FleetTarget, index: number): Promise<void> => {
    const deadline = AbortSignal.timeout(options.accountTimeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    const guard = <R>(work: Promise<R>) => raceAbort(work, signal, () => new FleetTimeout(`${target.label} did not answer within ${Math.round(options.accountTimeoutMs / 1000)} s`));
    try {
      const accountId = target.accountId ?? (await guard(options.identify(target, signal)));
      const owner = claimed.get(accountId);
      if (owner) {
        deliver(reachedAgain(owner, target, index, accountId));
        return;
      }
      const account: FleetAccount = { ...target, accountId, alsoReachedBy: [] };
      claimed.set(accountId, { account, index, others: [] });
      const regions = await guard(Promise.all(options.regions.map((region) => regionOutcome(account, region, signal))));
      if (regions.every((r) => r.problem) && regions.length > 0) {
        // Every region failed the same way (bad role, expired sign-in): one error row says it once.
        deliver({ kind: 'failed', target: account, problem: regions[0].problem as FleetProblem });
        return;
      }
      deliver({ kind: 'account', account, regions });
    } catch (error) {
      deliver({ kind: 'failed', target, problem: classifyFleetError(error, target) });
    }
  };

  const regionOutcome = async (account: FleetAccount, region: string, signal: AbortSignal): Promise<RegionOutcome<T>> => {
    try {
      return { region, result: await discover(account, region, signal) };
    } catch (error) {
      return { region, problem: classifyFleetError(error, account) };
    }
  };

  await Promise.all(targets.map((target, index) => limit(() => (options.signal?.aborted ? Promise.resolve() : one(target, index)))));
  return { answered, total: targets.length, cancelled: options.signal?.aborted ?? false };
}

/**
 * A second target reaching an account already claimed. The one listed first is used (a refresh shows the same
 * profile every time); when that is the newcomer, the account row takes over its name and credentials (same
 * account, same rows) and the former one is named among the others.
 */
function reachedAgain<T>(
  owner: { account: FleetAccount; index: number; others: Array<{ index: number; profile: string }> },
  target: FleetTarget,
  index: number,
  accountId: string,
): FleetOutcome<T> {
  const { account } = owner;
  let outcome: FleetOutcome<T>;
  if (owner.index < index) {
    owner.others.push({ index, profile: target.profile });
    outcome = { kind: 'duplicate', target, accountId, usedProfile: account.profile };
  } else {
    const former: FleetTarget = { label: account.label, profile: account.profile, accountId, roleArn: account.roleArn, credentials: account.credentials };
    owner.others.push({ index: owner.index, profile: account.profile });
    Object.assign(account, { label: target.label, profile: target.profile, roleArn: target.roleArn, credentials: target.credentials });
    owner.index = index;
    outcome = { kind: 'duplicate', target: former, accountId, usedProfile: target.profile };
  }
  account.alsoReachedBy = owner.others.sort((a, b) => a.index - b.index).map((o) => o.profile);
  return outcome;
}

/** Settles with `work`, or rejects as soon as `signal` aborts (a timeout reports as `timeout()`). */
function raceAbort<R>(work: Promise<R>, signal: AbortSignal, timeout: () => Error): Promise<R> {
  if (signal.aborted) return Promise.reject(abortError(signal, timeout));
  return new Promise<R>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal, timeout));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function abortError(signal: AbortSignal, timeout: () => Error): unknown {
  const reason: unknown = signal.reason;
  return reason instanceof DOMException && reason.name === 'TimeoutError' ? timeout() : reason;
}
