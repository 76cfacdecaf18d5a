/**
 * The end of a Keep Running/Stopped Until… override as the user types it, in the jumpbox's time zone:
 * "21:00" (today), "tomorrow 09:00", "2026-12-24 09:00", or an ISO time in UTC ("2026-12-24T07:00:00Z").
 */
import { formatMinute } from './schedule';
import { addDays, localParts, zonedInstant, type LocalDate } from './zonedTime';

export type UntilParse = { ok: true; until: Date } | { ok: false; error: string };

const MAX_DAYS = 90;
const EXAMPLES = '"21:00", "tomorrow 09:00" or "2026-12-24 09:00"';

export function parseUntil(text: string, now: Date, timeZone: string): UntilParse {
  const value = text.trim();
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z$/.test(value) ? new Date(value) : undefined;
  const local = /^(?:(tomorrow)\s+|(\d{4})-(\d{2})-(\d{2})[T\s]+)?(\d{1,2}):(\d{2})$/i.exec(value);
  let until: number | undefined;
  if (iso && !Number.isNaN(iso.getTime())) until = iso.getTime();
  else if (local) {
    const [hour, minute] = [Number(local[5]), Number(local[6])];
    if (hour > 23 || minute > 59) return { ok: false, error: `"${value}" is not a time of day: use 24-hour HH:MM.` };
    const today = localParts(now.getTime(), timeZone);
    const date: LocalDate = local[2] ? { year: Number(local[2]), month: Number(local[3]), day: Number(local[4]) } : addDays(today, local[1] ? 1 : 0);
    until = zonedInstant(date, hour * 60 + minute, timeZone);
    if (until === undefined) return { ok: false, error: `${formatMinute(hour * 60 + minute)} does not exist that day in ${timeZone} (a DST change skips it).` };
  } else {
    return { ok: false, error: `Write a time such as ${EXAMPLES} (${timeZone}).` };
  }
  if (until <= now.getTime()) return { ok: false, error: `"${value}" (${timeZone}) has passed: give a later time, e.g. "tomorrow ${value.replace(/^.*\s/, '')}".` };
  if (until > now.getTime() + MAX_DAYS * 86_400_000) return { ok: false, error: `"${value}" is more than ${MAX_DAYS} days ahead: change the schedule instead.` };
  return { ok: true, until: new Date(Math.floor(until / 1000) * 1000) };
}
