/**
 * Property test: for every IANA zone the runtime knows, across two years of its offset changes, the next start
 * and stop of a set of schedules are defined, in the future, on a scheduled weekday in that zone, at the
 * scheduled wall-clock time, and the first such instant (a time a DST jump skips does not exist that day, so
 * that day has no event: EventBridge Scheduler skips it too; a repeated time counts once, at its first
 * occurrence). The expected instants come from an oracle built from the zone's offset changes, found with a
 * different Intl formatter than the product's.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextTransitions, parseSchedule, type WorkSchedule } from '../../../../src/core/jumpbox/schedule';

const FROM = Date.UTC(2026, 0, 1);
const TO = Date.UTC(2028, 0, 1);
const MINUTE = 60_000;
const DAY = 86_400_000;
/** The oracle looks this far past TO: an event may be five weeks after `now`. */
const HORIZON = TO + 40 * DAY;

/** Times at and around DST changes: 00:00 (Chile, Cuba, Egypt), 01:30 and 02:30 (US, EU), 03:00, 23:59. */
const SCHEDULES = ['Sun 02:30-18:00', 'Sun-Thu 08:00-18:00', 'Fri-Sun 00:00-23:59', 'Sat,Sun 01:30-03:00', 'Mon,Wed,Fri 03:00-04:00', 'Tue 02:00-02:30'];

/** A zone's UTC offset over [FROM - 1 week, HORIZON] as the instants it changes, from a `longOffset` formatter. */
class ZoneOracle {
  private readonly format: Intl.DateTimeFormat;
  /** `offset` is in effect from `at` on. */
  readonly changes: Array<{ at: number; offset: number }> = [];
  private readonly offsets: number[];

  constructor(readonly zone: string) {
    this.format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    let t = FROM - 7 * DAY;
    this.changes.push({ at: -Infinity, offset: this.measure(t) });
    for (; t < HORIZON; t += DAY) {
      const before = this.measure(t);
      if (this.measure(t + DAY) === before) continue;
      // Bisect to the minute: offsets change on whole minutes.
      let [lo, hi] = [t, t + DAY];
      while (hi - lo > MINUTE) {
        const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
        if (this.measure(mid) === before) lo = mid;
        else hi = mid;
      }
      this.changes.push({ at: hi, offset: this.measure(hi) });
    }
    this.offsets = [...new Set(this.changes.map((c) => c.offset))];
  }

  /** "GMT+05:45" → 345 minutes, in ms. */
  private measure(t: number): number {
    const name = this.format.formatToParts(t).find((p) => p.type === 'timeZoneName')?.value ?? '';
    const match = /^GMT(?:([+-])(\d\d):(\d\d))?$/.exec(name);
    assert.ok(match, `${this.zone}: unexpected offset name "${name}"`);
    return match[1] ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) * MINUTE : 0;
  }

  offsetAt(t: number): number {
    let offset = this.changes[0].offset;
    for (const change of this.changes) if (change.at <= t) offset = change.offset;
    return offset;
  }

  /** The local wall clock at `t`, as a UTC date. */
  wall(t: number): Date {
    return new Date(t + this.offsetAt(t));
  }

  /** The first instant the local day `day` (a UTC midnight) reads `minute`, or undefined when it never does. */
  instant(day: number, minute: number): number | undefined {
    const wall = day + minute * MINUTE;
    const times = this.offsets.map((offset) => wall - offset).filter((t) => this.offsetAt(t) === wall - t);
    return times.length ? Math.min(...times) : undefined;
  }

  /** The first instant after `now` that reads `minute` on a scheduled weekday. */
  next(now: number, minute: number, days: readonly number[]): number | undefined {
    const today = this.wall(now);
    const first = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
    for (let day = first; day < first + 36 * DAY; day += DAY) {
      if (!days.includes(new Date(day).getUTCDay())) continue;
      const t = this.instant(day, minute);
      if (t !== undefined && t > now) return t;
    }
    return undefined;
  }
}

/** Moments that put a DST change inside the week ahead, at it, and just after it; and a few ordinary ones. */
function samples(oracle: ZoneOracle): number[] {
  const ordinary = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => FROM + i * 91 * DAY + i * 3_600_000);
  const changes = oracle.changes.filter((c) => c.at >= FROM && c.at < TO).map((c) => c.at);
  return [...ordinary, ...changes.flatMap((at) => [at - 6 * DAY - 12 * 3_600_000, at - DAY, at - MINUTE, at, at + MINUTE, at + DAY])];
}

describe('nextTransitions in every IANA zone across two years of DST changes', () => {
  const zones = Intl.supportedValuesOf('timeZone');

  it('is defined, in the future, on a scheduled day, at the scheduled time, and the first such instant', () => {
    let checked = 0;
    let zonesWithChanges = 0;
    for (const zone of zones) {
      const oracle = new ZoneOracle(zone);
      if (oracle.changes.some((c) => c.at >= FROM && c.at < TO)) zonesWithChanges++;
      const schedules = SCHEDULES.map((text): WorkSchedule => {
        const parsed = parseSchedule(`${text} ${zone}`);
        assert.ok(parsed.ok, `${text} ${zone}: ${parsed.ok ? '' : parsed.error}`);
        return parsed.schedule;
      });
      for (const now of samples(oracle)) {
        for (const schedule of schedules) {
          const what = `"${SCHEDULES[schedules.indexOf(schedule)]} ${zone}" at ${new Date(now).toISOString()}`;
          const next = nextTransitions(schedule, new Date(now));
          assert.ok(next, `${what}: no next start/stop`);
          for (const [kind, at, minute] of [['start', next.nextStart, schedule.startMinute], ['stop', next.nextStop, schedule.stopMinute]] as const) {
            const t = at.getTime();
            const wall = oracle.wall(t);
            assert.ok(t > now, `${what}: next ${kind} ${at.toISOString()} is not in the future`);
            assert.ok(schedule.days.includes(wall.getUTCDay()), `${what}: next ${kind} ${at.toISOString()} falls on weekday ${wall.getUTCDay()}`);
            assert.equal(wall.getUTCHours() * 60 + wall.getUTCMinutes(), minute, `${what}: next ${kind} ${at.toISOString()} is not at the scheduled time`);
            assert.equal(t, oracle.next(now, minute, schedule.days), `${what}: next ${kind} ${at.toISOString()} is not the first one`);
          }
          checked++;
        }
      }
    }
    // The walk really covered DST: most of the world's DST zones change twice a year.
    assert.ok(zones.length > 300 && zonesWithChanges > 50, `${zones.length} zones, ${zonesWithChanges} with changes`);
    assert.ok(checked > 10_000, `${checked} checks`);
  });
});
