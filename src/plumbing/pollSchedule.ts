/** When the views poll AWS (pure: settings and clock in, a delay out). */
export interface PollSchedule {
  /** 0: polling is off. */
  intervalMs: number;
  /** The interval for FAST_WINDOW_MS after a mutating command; never longer than intervalMs. */
  fastIntervalMs: number;
}

/** How long after a mutating command the fast interval applies (pending instances, keepalived reacting...). */
export const FAST_WINDOW_MS = 3 * 60_000;
/** Floors, because the settings may come from an untrusted workspace: one poll costs one refresh of AWS calls. */
const MIN_INTERVAL_S = 5;
const MIN_FAST_INTERVAL_S = 2;

/** The awsops.poll.* settings (seconds) as a schedule; anything not a non-negative number takes the default. */
export function pollSchedule(interval: unknown, fastInterval: unknown): PollSchedule {
  const seconds = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback);
  const every = seconds(interval, 60);
  if (every === 0) return { intervalMs: 0, fastIntervalMs: 0 };
  const intervalMs = Math.max(every, MIN_INTERVAL_S) * 1000;
  const fast = seconds(fastInterval, 5);
  // 0 turns the fast interval off: polls keep the normal pace after a mutation.
  const fastIntervalMs = fast === 0 ? intervalMs : Math.min(Math.max(fast, MIN_FAST_INTERVAL_S) * 1000, intervalMs);
  return { intervalMs, fastIntervalMs };
}

/**
 * Milliseconds from `now` until the next poll should start, or undefined when none should (polling off).
 * `lastPoll` is when the previous one started (undefined: never); a recent mutation shortens the wait.
 */
export function nextPollDelay(schedule: PollSchedule, now: number, lastPoll: number | undefined, lastMutation: number | undefined): number | undefined {
  if (schedule.intervalMs === 0) return undefined;
  const fast = lastMutation !== undefined && now - lastMutation < FAST_WINDOW_MS;
  const interval = fast ? schedule.fastIntervalMs : schedule.intervalMs;
  return lastPoll === undefined ? interval : Math.max(0, lastPoll + interval - now);
}
