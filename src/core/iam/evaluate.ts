import type { ParsedPolicy, Statement } from './policyDocument';

/**
 * Whether identity policies allow one action on one resource, the way IAM decides it: an explicit Deny wins,
 * then any Allow, else the implicit deny. What this evaluator cannot decide (a Condition, NotPrincipal, a policy
 * variable, an unreadable document) makes the answer "unknown" with the reason — it never guesses (pure).
 */
export type Verdict = 'allowed' | 'denied' | 'unknown';

export interface Decision {
  verdict: Verdict;
  why: string;
}

export interface Request {
  /** e.g. "ec2:ReplaceRoute" */
  action: string;
  /** The resource's ARN. */
  resource: string;
}

type Match = { kind: 'yes' } | { kind: 'no' } | { kind: 'maybe'; why: string };

export function evaluatePolicies(policies: readonly ParsedPolicy[], request: Request): Decision {
  const unreadable = policies.flatMap((p) => (p.ok ? [] : [p.why]));
  const hits = policies.flatMap((policy) =>
    policy.ok ? policy.statements.map((statement) => ({ effect: statement.effect, where: where(policy.name, statement), match: statementMatch(statement, request) })) : [],
  );
  const of = (effect: string, kind: Match['kind']) => hits.filter((h) => h.effect === effect && h.match.kind === kind);
  // IAM refuses other effects; should one appear, it is a doubt like a conditional Deny.
  const odd = hits.filter((h) => h.effect !== 'Allow' && h.effect !== 'Deny' && h.match.kind !== 'no').map((h) => ({ ...h, match: { kind: 'maybe', why: `Effect "${h.effect}"` } as const }));

  const deny = of('Deny', 'yes')[0];
  if (deny) return { verdict: 'denied', why: `explicitly denied by ${deny.where}` };
  const allow = of('Allow', 'yes')[0];
  const mayAllow = of('Allow', 'maybe');
  if (!allow && mayAllow.length === 0 && unreadable.length === 0) {
    return { verdict: 'denied', why: `no statement allows ${request.action} on ${request.resource}` };
  }
  const doubts = [...[...of('Deny', 'maybe'), ...odd].map((h) => `${h.where} might deny it (${whyOf(h.match)})`), ...unreadable];
  if (doubts.length > 0) return { verdict: 'unknown', why: doubts.join('; ') };
  if (allow) return { verdict: 'allowed', why: `allowed by ${allow.where}` };
  return { verdict: 'unknown', why: mayAllow.map((h) => `${h.where} allows it only if ${whyOf(h.match)}`).join('; ') };
}

/** Both must allow: the role's own policies and its permissions boundary (when it has one). */
export function intersect(identity: Decision, boundary: Decision | undefined): Decision {
  if (!boundary) return identity;
  if (identity.verdict === 'denied') return identity;
  if (boundary.verdict === 'denied') return { verdict: 'denied', why: `the permissions boundary: ${boundary.why}` };
  if (boundary.verdict === 'unknown') return { verdict: 'unknown', why: `the permissions boundary: ${boundary.why}` };
  return identity;
}

function whyOf(match: Match): string {
  return match.kind === 'maybe' ? match.why : '';
}

function where(policy: string, statement: Statement): string {
  return `${policy} (statement ${statement.sid ? `"${statement.sid}"` : `#${statement.index}`})`;
}

function statementMatch(statement: Statement, request: Request): Match {
  const parts: Match[] = [
    listMatch(statement.action, statement.notAction, 'Action', (p) => actionMatches(p, request.action)),
    listMatch(statement.resource, statement.notResource, 'Resource', (p) => resourceMatches(p, request.resource)),
  ];
  if (parts.some((p) => p.kind === 'no')) return { kind: 'no' };
  const doubts = [...parts.flatMap((p) => (p.kind === 'maybe' ? [p.why] : [])), ...statement.unevaluable.map((key) => `its ${key} holds (not evaluated here)`)];
  return doubts.length ? { kind: 'maybe', why: doubts.join(', ') } : { kind: 'yes' };
}

/** Action/NotAction or Resource/NotResource: exactly one of the pair must be given. */
function listMatch(list: string[] | undefined, notList: string[] | undefined, key: string, matches: (pattern: string) => Match): Match {
  if ((list === undefined) === (notList === undefined)) return { kind: 'maybe', why: `it has ${list ? 'both' : 'neither'} ${key} and Not${key}` };
  const results = (list ?? notList ?? []).map(matches);
  const any = results.some((r) => r.kind === 'yes');
  const maybe = results.find((r): r is Extract<Match, { kind: 'maybe' }> => r.kind === 'maybe');
  if (list) return any ? { kind: 'yes' } : maybe ?? { kind: 'no' };
  return any ? { kind: 'no' } : maybe ? { kind: 'maybe', why: `Not${key} ${maybe.why}` } : { kind: 'yes' };
}

/** Actions compare case-insensitively; * and ? are wildcards. */
function actionMatches(pattern: string, action: string): Match {
  return globRegExp(pattern, '.*', '.', 'i').test(action) ? { kind: 'yes' } : { kind: 'no' };
}

/**
 * ARNs compare case-sensitively. * and ? match within one colon-separated segment, except that a * ending a
 * segment may reach beyond it (as IAM documents for the Resource element).
 */
function resourceMatches(pattern: string, arn: string): Match {
  if (pattern.includes('${')) return { kind: 'maybe', why: `the policy variable in "${pattern}" matches` };
  return globRegExp(pattern, '[^:]*', '[^:]', '', true).test(arn) ? { kind: 'yes' } : { kind: 'no' };
}

function globRegExp(pattern: string, star: string, question: string, flags: string, segmentEndStarSpans = false): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') source += segmentEndStarSpans && (i === pattern.length - 1 || pattern[i + 1] === ':') ? '.*' : star;
    else if (c === '?') source += question;
    else source += c.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, flags);
}
