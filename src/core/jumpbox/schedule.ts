/**
 * The readable work-hours schedule kept in the `awsops:schedule` tag, e.g. "Sun-Thu 08:00-18:00 Asia/Jerusalem":
 * days (ranges and/or comma lists), a same-day start-stop span in 24-hour time, and an IANA time zone.
 */
import { addDays, isoDate, knownTimeZone, localParts, weekdayOf, zonedInstant, type LocalDate } from './zonedTime';

export interface WorkSchedule {
  /** Days the jumpbox runs, 0 = Sunday … 6 = Saturday, ascending and unique. */
  days: number[];
  /** Minutes after local midnight. */
  startMinute: number;
  stopMinute: number;
  timeZone: string;
}

export type ScheduleParse =
  | { ok: true; schedule: WorkSchedule }
  /** `token` is the part of the text that is wrong, for highlighting. */
  | { ok: false; error: string; token: string };

export const SCHEDULE_EXAMPLE = 'Sun-Thu 08:00-18:00 Asia/Jerusalem';

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const FULL_DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

class ScheduleError extends Error {
  constructor(message: string, readonly token: string) {
    super(message);
  }
}

export function parseSchedule(text: string): ScheduleParse {
  try {
    return { ok: true, schedule: parseOrThrow(text) };
  } catch (error) {
    if (error instanceof ScheduleError) return { ok: false, error: error.message, token: error.token };
    throw error;
  }
}

function parseOrThrow(text: string): WorkSchedule {
  // "Sun - Thu, Sat 08:00 - 18:00" reads naturally too: spaces around '-' or ',' between two day names or
  // two times are not separators. Only like with like, so "Sun- 08:00" stays two tokens for a precise error.
  const tokens = text
    .trim()
    .replace(/([a-z])\s*([-,])\s*(?=[a-z])/gi, '$1$2')
    .replace(/(\d)\s*-\s*(?=\d)/g, '$1-')
    .split(/\s+/)
    .filter(Boolean);
  if (tokens.length === 0) throw new ScheduleError(`The schedule is empty: expected e.g. "${SCHEDULE_EXAMPLE}".`, '');
  const [daysToken, spanToken, zoneToken, ...extra] = tokens;
  if (!spanToken) {
    throw new ScheduleError(`"${text.trim()}" has no time span: expected e.g. "${SCHEDULE_EXAMPLE}".`, daysToken);
  }
  if (!zoneToken) {
    throw new ScheduleError(`"${text.trim()}" has no time zone: add an IANA name such as Asia/Jerusalem or UTC.`, spanToken);
  }
  if (extra.length) {
    throw new ScheduleError(`Unexpected "${extra.join(' ')}" after the time zone: expected e.g. "${SCHEDULE_EXAMPLE}".`, extra[0]);
  }
  const days = parseDays(daysToken);
  const [startMinute, stopMinute] = parseSpan(spanToken);
  const timeZone = knownTimeZone(zoneToken);
  if (!timeZone) {
    throw new ScheduleError(`Unknown time zone "${zoneToken}": use an IANA name such as Asia/Jerusalem, Europe/Berlin or UTC.`, zoneToken);
  }
  return { days, startMinute, stopMinute, timeZone };
}

function parseDays(token: string): number[] {
  const days = new Set<number>();
  for (const item of token.split(',')) {
    if (!item) throw new ScheduleError(`Empty day in "${token}": separate days with single commas, e.g. Mon,Wed,Fri.`, token);
    const ends = item.split('-');
    if (ends.length > 2 || ends.includes('')) {
      throw new ScheduleError(`Bad day range "${item}": expected two days such as Sun-Thu.`, item);
    }
    const [first, last] = ends.map((name) => dayNumber(name, item));
    // A range may wrap past Saturday: Fri-Mon is Fri, Sat, Sun, Mon.
    for (let d = first; ; d = (d + 1) % 7) {
      days.add(d);
      if (last === undefined || d === last) break;
    }
  }
  return [...days].sort((a, b) => a - b);
}

function dayNumber(name: string, context: string): number {
  const lower = name.toLowerCase();
  const index = FULL_DAY_NAMES.findIndex((full) => lower === full || lower === full.slice(0, 3));
  if (index >= 0) return index;
  const where = name === context ? '' : ` in "${context}"`;
  throw new ScheduleError(`Unknown day "${name}"${where}: use Sun, Mon, Tue, Wed, Thu, Fri or Sat.`, name);
}

function parseSpan(token: string): [number, number] {
  const ends = token.split('-');
  if (ends.length !== 2 || !ends[0] || !ends[1]) {
    throw new ScheduleError(`Bad time span "${token}": expected start-stop in 24-hour time, e.g. 08:00-18:00.`, token);
  }
  const [start, stop] = ends.map(parseTime);
  if (start === stop) {
    throw new ScheduleError(`Start and stop are both ${ends[0]}: the jumpbox would never run.`, token);
  }
  if (stop < start) {
    throw new ScheduleError(
      `Stop ${ends[1]} is before start ${ends[0]}: overnight spans are not supported; use a same-day span such as 08:00-18:00.`,
      token,
    );
  }
  return [start, stop];
}

function parseTime(text: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!match) throw new ScheduleError(`Bad time "${text}": use 24-hour HH:MM, e.g. 08:00 or 18:30.`, text);
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  if (hour > 23) throw new ScheduleError(`Hour ${match[1]} in "${text}" is out of range: use 00 to 23.`, text);
  if (minute > 59) throw new ScheduleError(`Minute ${match[2]} in "${text}" is out of range: use 00 to 59.`, text);
  return hour * 60 + minute;
}

/** The canonical text of a schedule; parseSchedule(formatSchedule(s)) gives s back. */
export function formatSchedule(schedule: WorkSchedule): string {
  const days = dayRuns(schedule.days, true)
    .map(([first, last]) => (first === last ? DAY_NAMES[first] : `${DAY_NAMES[first]}-${DAY_NAMES[last]}`))
    .join(',');
  return `${days} ${formatMinute(schedule.startMinute)}-${formatMinute(schedule.stopMinute)} ${schedule.timeZone}`;
}

export function formatMinute(minuteOfDay: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(minuteOfDay / 60))}:${pad(minuteOfDay % 60)}`;
}

/**
 * Consecutive days as [first, last] runs. With `wrap`, a run may cross Saturday→Sunday (Fri-Mon) for reading;
 * cron gets non-wrapping runs because its ranges do not wrap.
 */
function dayRuns(days: readonly number[], wrap: boolean): Array<[number, number]> {
  const set = new Set(days);
  if (set.size === 7) return [[0, 6]];
  // Start right after a missing day so that a run never has to be split at the week's edge.
  const origin = wrap ? [...Array(7).keys()].find((d) => !set.has((d + 6) % 7) && set.has(d)) ?? 0 : 0;
  const runs: Array<[number, number]> = [];
  for (let i = 0; i < 7; i++) {
    const d = (origin + i) % 7;
    if (!set.has(d)) continue;
    const last = runs[runs.length - 1];
    if (last && (last[1] + 1) % 7 === d) last[1] = d;
    else runs.push([d, d]);
  }
  return runs;
}

export interface CronPair {
  start: string;
  stop: string;
}

/** EventBridge Scheduler expressions, evaluated in the schedule's time zone (ScheduleExpressionTimezone). */
export function toCron(schedule: WorkSchedule): CronPair {
  const days = dayRuns(schedule.days, false)
    .map(([first, last]) => {
      const a = DAY_NAMES[first].toUpperCase();
      return first === last ? a : `${a}-${DAY_NAMES[last].toUpperCase()}`;
    })
    .join(',');
  const at = (minuteOfDay: number) => `cron(${minuteOfDay % 60} ${Math.floor(minuteOfDay / 60)} ? * ${days} *)`;
  return { start: at(schedule.startMinute), stop: at(schedule.stopMinute) };
}

export interface Transition {
  kind: 'start' | 'stop';
  at: Date;
  /** The schedule's local day the transition belongs to. */
  localDate: LocalDate;
}

/**
 * Every start and stop in [from, to), in order, as EventBridge Scheduler would fire them: times that a DST
 * jump skips are left out. Days listed in `skipDates` (YYYY-MM-DD, local) have neither.
 */
export function transitionsBetween(
  schedule: WorkSchedule,
  from: number,
  to: number,
  skipDates: ReadonlySet<string> = new Set(),
): Transition[] {
  // Spans are same-day, so only the local days from `from`'s to `to`'s can hold events in the window.
  const first = localParts(from, schedule.timeZone);
  const dayCount = daysBetween(first, localParts(to - 1, schedule.timeZone)) + 1;
  return [...scheduledEvents(schedule, first, dayCount, skipDates)].filter((e) => e.at.getTime() >= from && e.at.getTime() < to);
}

export interface NextTransitions {
  nextStart: Date;
  nextStop: Date;
  /** True when the next event is a stop (now lies inside a work span, or the span's start was skipped by DST). */
  withinHours: boolean;
}

/** One skipped occurrence moves an event a week on; five weeks hold both events for any schedule with days. */
const SEARCH_DAYS = 35;

/**
 * The next start and stop strictly after `now`, as EventBridge Scheduler fires them: a time that a DST jump
 * skips is skipped that day (the event is on the next scheduled day it exists), a repeated time fires at its
 * first occurrence. Never throws; undefined only for a schedule without days.
 */
export function nextTransitions(schedule: WorkSchedule, now: Date): NextTransitions | undefined {
  const next: Partial<Record<Transition['kind'], Date>> = {};
  for (const event of scheduledEvents(schedule, localParts(now.getTime(), schedule.timeZone), SEARCH_DAYS)) {
    if (event.at > now) next[event.kind] ??= event.at;
    if (next.start && next.stop) return { nextStart: next.start, nextStop: next.stop, withinHours: next.stop < next.start };
  }
  return undefined;
}

/** The starts and stops of `dayCount` local days from `first` on, lazily and in order; skipped times are left out. */
function* scheduledEvents(schedule: WorkSchedule, first: LocalDate, dayCount: number, skipDates: ReadonlySet<string> = new Set()): Generator<Transition> {
  let date = first;
  for (let i = 0; i < dayCount; i++, date = addDays(date, 1)) {
    if (!schedule.days.includes(weekdayOf(date)) || skipDates.has(isoDate(date))) continue;
    for (const [kind, minute] of [['start', schedule.startMinute], ['stop', schedule.stopMinute]] as const) {
      const at = zonedInstant(date, minute, schedule.timeZone);
      if (at !== undefined) yield { kind, at: new Date(at), localDate: date };
    }
  }
}

function daysBetween(a: LocalDate, b: LocalDate): number {
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000);
}
