/**
 * Cloud Custodian's `maid_offhours` tag, shown read-only so a user sees an existing schedule before adding ours.
 * Grammar as Custodian parses it: `off=(M-F,19);on=(M-F,7);tz=pt`, lists `off=[(M-F,21),(U,18)]`, day letters
 * M T W H F S U (Monday first, ranges may wrap), whole hours 0–23, case-insensitive; `on` or empty means the
 * policy's defaults, `off` opts the resource out.
 */
import { knownTimeZone } from './zonedTime';

export const CUSTODIAN_TAG_KEY = 'maid_offhours';

export interface OffhoursRule {
  /** 0 = Sunday … 6 = Saturday, in the order written. */
  days: number[];
  hour: number;
}

export type CustodianSchedule =
  | { kind: 'policy-default'; timeZone?: string }
  | { kind: 'opted-out' }
  | { kind: 'custom'; off: OffhoursRule[]; on: OffhoursRule[]; timeZone?: string };

export type CustodianParse = { ok: true; schedule: CustodianSchedule } | { ok: false; error: string };

/** Custodian's own aliases; everything else is taken as an IANA name. */
const TZ_ALIASES: Record<string, string> = {
  pdt: 'America/Los_Angeles', pt: 'America/Los_Angeles', pst: 'America/Los_Angeles',
  ast: 'America/Phoenix', at: 'America/Phoenix',
  est: 'America/New_York', edt: 'America/New_York', et: 'America/New_York',
  cst: 'America/Chicago', cdt: 'America/Chicago', ct: 'America/Chicago',
  mst: 'America/Denver', mdt: 'America/Denver', mt: 'America/Denver',
  gmt: 'Etc/GMT', gt: 'Etc/GMT', bst: 'Europe/London', ist: 'Europe/Dublin', cet: 'Europe/Berlin',
  it: 'Asia/Kolkata', jst: 'Asia/Tokyo', kst: 'Asia/Seoul', sgt: 'Asia/Singapore',
  aet: 'Australia/Sydney', brt: 'America/Sao_Paulo', utc: 'Etc/UTC',
};

/** Custodian's letters, Monday first, mapped to 0 = Sunday numbering. */
const DAY_LETTERS: Record<string, number> = { m: 1, t: 2, w: 3, h: 4, f: 5, s: 6, u: 0 };
const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function parseCustodianTag(raw: string): CustodianParse {
  // Custodian lower-cases the value and strips quotes some people copy from its docs.
  const value = raw.trim().toLowerCase().replace(/^['"]|['"]$/g, '');
  if (value === '' || value === 'on') return { ok: true, schedule: { kind: 'policy-default' } };
  if (value === 'off') return { ok: true, schedule: { kind: 'opted-out' } };
  const parts = new Map<string, string>();
  for (const piece of value.split(';').filter(Boolean)) {
    const [key, text, ...rest] = piece.split('=');
    if (text === undefined || rest.length) return fail(`"${piece}" is not key=value`);
    if (!['on', 'off', 'tz'].includes(key)) return fail(`unknown key "${key}" (expected on, off or tz)`);
    parts.set(key, text);
  }
  const tz = parts.get('tz');
  const timeZone = tz ? (TZ_ALIASES[tz] ?? knownTimeZone(tz) ?? tz) : undefined;
  if (!parts.has('on') && !parts.has('off')) return { ok: true, schedule: { kind: 'policy-default', timeZone } };
  const off = parts.has('off') ? parseRules(parts.get('off') as string) : [];
  const on = parts.has('on') ? parseRules(parts.get('on') as string) : [];
  if (typeof off === 'string') return fail(off);
  if (typeof on === 'string') return fail(on);
  return { ok: true, schedule: { kind: 'custom', off, on, timeZone } };
}

function fail(detail: string): CustodianParse {
  return { ok: false, error: `Unreadable ${CUSTODIAN_TAG_KEY} tag: ${detail}.` };
}

/** Rules from "(m-f,19)" or "[(m-f,21),(u,18)]"; a string is an error. */
function parseRules(text: string): OffhoursRule[] | string {
  const body = text.replace(/^\[|\]$/g, '');
  const items = body.match(/\([^()]*\)/g);
  if (!items || items.join(',') !== body) return `"${text}" should look like (M-F,19) or [(M-F,21),(U,18)]`;
  const rules: OffhoursRule[] = [];
  for (const item of items) {
    const [daysText, hourText, ...rest] = item.slice(1, -1).split(',');
    if (hourText === undefined || rest.length || !/^\d{1,2}$/.test(hourText) || Number(hourText) > 23) {
      return `"${item}" should be (days,hour) with an hour 0-23`;
    }
    const days = expandDays(daysText);
    if (!days) return `"${daysText}" in "${item}" is not a day letter (M T W H F S U) or range such as M-F`;
    rules.push({ days, hour: Number(hourText) });
  }
  return rules;
}

function expandDays(text: string): number[] | undefined {
  const ends = text.split('-').map((letter) => DAY_LETTERS[letter]);
  if (ends.some((d) => d === undefined) || ends.length > 2) return undefined;
  // Walk Monday-first positions so that M-F and wrapping ranges such as F-M come out as Custodian means them.
  const position = (d: number) => (d + 6) % 7;
  const [first, last = first] = ends.map(position);
  const days: number[] = [];
  for (let p = first; ; p = (p + 1) % 7) {
    days.push((p + 1) % 7);
    if (p === last) break;
  }
  return days;
}

/** One line such as "On Mon–Fri 07:00, off Mon–Fri 19:00 (America/Los_Angeles)". */
export function describeCustodian(schedule: CustodianSchedule): string {
  if (schedule.kind === 'opted-out') return 'Opted out of Cloud Custodian offhours';
  const zone = schedule.timeZone ? ` (${schedule.timeZone})` : " (the policy's time zone)";
  if (schedule.kind === 'policy-default') return `Cloud Custodian offhours with the policy's default hours${zone}`;
  const rules = (verb: string, list: OffhoursRule[]) =>
    list.map((rule) => `${verb} ${dayText(rule.days)} ${String(rule.hour).padStart(2, '0')}:00`);
  const text = [...rules('on', schedule.on), ...rules('off', schedule.off)].join(', ');
  return `Cloud Custodian: ${text.charAt(0).toUpperCase()}${text.slice(1)}${zone}`;
}

function dayText(days: number[]): string {
  if (days.length > 2 && days.every((d, i) => i === 0 || d === (days[i - 1] + 1) % 7)) {
    return `${DAY_NAMES[days[0]]}–${DAY_NAMES[days[days.length - 1]]}`;
  }
  return days.map((d) => DAY_NAMES[d]).join(',');
}
