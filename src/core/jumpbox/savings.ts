/**
 * What a schedule saves: hours on in a calendar month (in the schedule's time zone, DST included) and the
 * month's cost always-on vs scheduled. Holidays count only when the user lists them; a missing price stays
 * unknown rather than being guessed.
 */
import { transitionsBetween, type WorkSchedule } from './schedule';
import { addDays, isoDate, startOfLocalDay, weekdayOf, type LocalDate } from './zonedTime';

export interface MonthHours {
  year: number;
  month: number;
  /** Scheduled days in the month, holidays excluded. */
  workDays: number;
  hoursOn: number;
  /** Wall-clock length of the month in the zone: 743 or 745 when DST changes in it. */
  hoursInMonth: number;
}

const HOUR_MS = 3_600_000;

/** An error message for a holiday that is not a real YYYY-MM-DD date, else undefined. */
export function holidayProblem(value: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match) {
    const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
    if (isoDate(addDays(date, 0)) === value) return undefined;
  }
  return `Holiday "${value}" is not a date: use YYYY-MM-DD, e.g. 2018-08-15.`;
}

/** Hours on in month 1–12 of `year`; throws RangeError for a malformed holiday (check with holidayProblem). */
export function monthHours(schedule: WorkSchedule, year: number, month: number, holidays: readonly string[] = []): MonthHours {
  const problem = holidays.map(holidayProblem).find(Boolean);
  if (problem) throw new RangeError(problem);
  const skip = new Set(holidays);
  const first: LocalDate = { year, month, day: 1 };
  const next = addDays(first, new Date(Date.UTC(year, month, 0)).getUTCDate());
  const from = startOfLocalDay(first, schedule.timeZone);
  const to = startOfLocalDay(next, schedule.timeZone);

  let workDays = 0;
  for (let date = first; date.month === month; date = addDays(date, 1)) {
    if (schedule.days.includes(weekdayOf(date)) && !skip.has(isoDate(date))) workDays++;
  }

  // Walk the events as the instance would live them: a start skipped by DST leaves it off that day,
  // a skipped stop leaves it on until the next stop. Spans are same-day, so it is off at midnight.
  let onSince: number | undefined;
  let onMs = 0;
  for (const event of transitionsBetween(schedule, from, to, skip)) {
    const at = event.at.getTime();
    if (event.kind === 'start') onSince ??= at;
    else if (onSince !== undefined) {
      onMs += at - onSince;
      onSince = undefined;
    }
  }
  if (onSince !== undefined) onMs += to - onSince;
  return { year, month, workDays, hoursOn: onMs / HOUR_MS, hoursInMonth: (to - from) / HOUR_MS };
}

export type HourlyPrice =
  | { usdPerHour: number; source: 'price-list' | 'setting' }
  | { usdPerHour?: undefined; source: 'unknown' };

export interface MonthlyCost {
  hours: MonthHours;
  price: HourlyPrice;
  /** In USD, rounded to cents; absent when the price is unknown. */
  alwaysOnUsd?: number;
  scheduledUsd?: number;
  savedUsd?: number;
}

export function monthlyCost(hours: MonthHours, price: HourlyPrice): MonthlyCost {
  if (price.usdPerHour === undefined) return { hours, price };
  const cents = (h: number) => Math.round(h * price.usdPerHour * 100);
  const alwaysOn = cents(hours.hoursInMonth);
  const scheduled = cents(hours.hoursOn);
  return { hours, price, alwaysOnUsd: alwaysOn / 100, scheduledUsd: scheduled / 100, savedUsd: (alwaysOn - scheduled) / 100 };
}

export function formatUsd(usd: number): string {
  return `$${usd.toFixed(2)}`;
}

/** One line for the view, e.g. "220 of 744 h on (30%): $10.21 vs $34.52 always on". */
export function describeMonthlyCost(cost: MonthlyCost): string {
  const { hoursOn, hoursInMonth } = cost.hours;
  const share = `${round1(hoursOn)} of ${round1(hoursInMonth)} h on (${Math.round((hoursOn / hoursInMonth) * 100)}%)`;
  if (cost.alwaysOnUsd === undefined || cost.scheduledUsd === undefined) return `${share}: price unknown`;
  return `${share}: ${formatUsd(cost.scheduledUsd)} vs ${formatUsd(cost.alwaysOnUsd)} always on`;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
