/**
 * What the work-hours schedule will do next, with what the jumpbox agent skips: starts on holidays (in the
 * schedule's time zone) and whatever a temporary override holds off. The agent decides with these functions
 * and the view shows them, so the two cannot disagree.
 */
import { describeOverride, type Override } from './agentTags';
import { transitionsBetween, type WorkSchedule } from './schedule';
import { isoDate, localParts } from './zonedTime';

export type ActionKind = 'start' | 'stop';

export interface PlannedAction {
  kind: ActionKind;
  at: Date;
  /** schedule: the work hours; override-end: the end of a temporary override. */
  cause: 'schedule' | 'override-end';
  /** Why the agent will not do it, when it will not. */
  skipped?: string;
}

const DAY_MS = 86_400_000;
/** One week back always holds the last start or stop of a schedule with days. */
const LOOK_BACK_MS = 8 * DAY_MS;

/** Why a scheduled action at `at` is skipped, or undefined when it goes ahead. */
export function skipReason(kind: ActionKind, at: Date, timeZone: string, holidays: ReadonlySet<string>, override: Override | undefined): string | undefined {
  if (override && at < override.until && override.kind === (kind === 'start' ? 'stopped' : 'running')) return describeOverride(override);
  if (kind === 'start') {
    const date = isoDate(localParts(at.getTime(), timeZone));
    if (holidays.has(date)) return `holiday ${date}`;
  }
  return undefined;
}

/** What the schedule has the jumpbox doing at `at` (a holiday has neither start nor stop). */
export function scheduledStateAt(schedule: WorkSchedule, at: Date, holidays: ReadonlySet<string>): 'running' | 'stopped' {
  const events = transitionsBetween(schedule, at.getTime() - LOOK_BACK_MS, at.getTime() + 1, holidays);
  return events[events.length - 1]?.kind === 'start' ? 'running' : 'stopped';
}

/**
 * What the end of an override calls for: after "keep running" a stop when the schedule has the box off then
 * (or there is no schedule); after "keep stopped" a start when the schedule has it on then.
 */
export function overrideEndAction(override: Override, schedule: WorkSchedule | undefined, holidays: ReadonlySet<string>): ActionKind | undefined {
  const state = schedule ? scheduledStateAt(schedule, override.until, holidays) : undefined;
  if (override.kind === 'running') return state === 'running' ? undefined : 'stop';
  return state === 'running' ? 'start' : undefined;
}

export interface UpcomingOptions {
  holidays: ReadonlySet<string>;
  override?: Override;
  count?: number;
  /** How far ahead to look; two weeks show a week's pattern even after a long holiday. */
  horizonDays?: number;
}

/** The next `count` actions after `now`, in order, each marked when it will be skipped. Never throws. */
export function upcomingActions(schedule: WorkSchedule | undefined, now: Date, options: UpcomingOptions): PlannedAction[] {
  const { holidays, override } = options;
  const end = now.getTime() + (options.horizonDays ?? 14) * DAY_MS;
  const scheduled: PlannedAction[] = schedule
    ? transitionsBetween(schedule, now.getTime() + 1, end).map((t) => ({ kind: t.kind, at: t.at, cause: 'schedule', skipped: skipReason(t.kind, t.at, schedule.timeZone, holidays, override) }))
    : [];
  const endAction = override && override.until > now ? overrideEndAction(override, schedule, holidays) : undefined;
  // A scheduled action of the same kind at that very time does the same thing: list it once.
  const duplicate = scheduled.some((a) => a.kind === endAction && a.at.getTime() === override?.until.getTime() && !a.skipped);
  const ending: PlannedAction[] = endAction && override && !duplicate ? [{ kind: endAction, at: override.until, cause: 'override-end' }] : [];
  return [...scheduled, ...ending].sort((a, b) => a.at.getTime() - b.at.getTime()).slice(0, options.count ?? 4);
}
