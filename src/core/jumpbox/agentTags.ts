/**
 * The tags through which the jumpbox agent (agent/) and the extension talk about one jumpbox: a temporary
 * override the user set, and the result of the agent's last action, each with a time. Tag values are untrusted
 * input: anything that does not parse is treated as absent.
 */

export const AGENT_TAGS = {
  /** e.g. running-until=2026-12-03T21:00:00Z */
  override: 'awsops:override',
  /** e.g. 2026-12-03T08:00:01Z scheduled start: started */
  lastAction: 'awsops:last-action',
  lastError: 'awsops:last-error',
} as const;

export interface Override {
  /** running: scheduled stops are skipped until then; stopped: scheduled starts are. */
  kind: 'running' | 'stopped';
  until: Date;
}

const OVERRIDE = /^(running|stopped)-until=(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)$/;

export function formatOverride(override: Override): string {
  return `${override.kind}-until=${isoSeconds(override.until)}`;
}

export function parseOverride(text: string | undefined): Override | undefined {
  const match = OVERRIDE.exec(text?.trim() ?? '');
  const until = match && new Date(match[2]);
  return match && until && !Number.isNaN(until.getTime()) ? { kind: match[1] as Override['kind'], until } : undefined;
}

/** The override in force at `now`: one that has ended no longer counts, whether or not its tag is gone yet. */
export function activeOverride(text: string | undefined, now: Date): Override | undefined {
  const override = parseOverride(text);
  return override && override.until > now ? override : undefined;
}

export function describeOverride(override: Override): string {
  return `keep ${override.kind} until ${utcText(override.until)}`;
}

/** "2026-12-03 21:00 UTC" (seconds only when there are some). */
export function utcText(at: Date): string {
  return `${isoSeconds(at).replace('T', ' ').replace(/:00Z$|Z$/, '')} UTC`;
}

export interface ActionResult {
  at: Date;
  text: string;
}

/** EC2 tag values hold at most 256 characters. */
const TAG_VALUE_LIMIT = 256;

export function formatResult(result: ActionResult): string {
  const value = `${isoSeconds(result.at)} ${result.text.replace(/\s+/g, ' ').trim()}`;
  return value.length <= TAG_VALUE_LIMIT ? value : `${value.slice(0, TAG_VALUE_LIMIT - 1)}…`;
}

export function parseResult(value: string | undefined): ActionResult | undefined {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z) (.+)$/s.exec(value?.trim() ?? '');
  const at = match && new Date(match[1]);
  return match && at && !Number.isNaN(at.getTime()) ? { at, text: match[2] } : undefined;
}

/** "2026-12-03T21:00:00Z": whole seconds, as the tags and Scheduler's at() expressions use them. */
export function isoSeconds(at: Date): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}
