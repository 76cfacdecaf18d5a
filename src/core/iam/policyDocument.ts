/** IAM policy documents as plain data: parsed from the text IAM returns, never evaluated here (pure). */

/** A policy of a role as IAM returned it: `document` is the text of GetPolicyVersion / GetRolePolicy. */
export interface PolicyText {
  /** "inline web-node" or the managed policy's ARN: how the user finds it. */
  name: string;
  document: string;
}

export interface Statement {
  /** 1-based position in its policy, for "statement #2" when it has no Sid. */
  index: number;
  sid?: string;
  effect: string;
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  /** Keys this evaluator does not understand (Condition, NotPrincipal, Principal, anything else). */
  unevaluable: string[];
}

export type ParsedPolicy = { name: string; ok: true; statements: Statement[] } | { name: string; ok: false; why: string };

const LIST_KEYS = { Action: 'action', NotAction: 'notAction', Resource: 'resource', NotResource: 'notResource' } as const;

/**
 * Parses a policy document. IAM returns documents URL-encoded (RFC 3986); decoding plain JSON changes nothing,
 * so both read the same. Anything that is not a well-formed policy is reported, not guessed at.
 */
export function parsePolicy({ name, document }: PolicyText): ParsedPolicy {
  let json: unknown;
  try {
    json = JSON.parse(decodeDocument(document));
  } catch {
    return { name, ok: false, why: `the document of ${name} is not JSON` };
  }
  const raw = (json as { Statement?: unknown } | null)?.Statement;
  if (typeof json !== 'object' || json === null || raw === undefined) return { name, ok: false, why: `${name} has no Statement` };
  const list = Array.isArray(raw) ? raw : [raw];
  const statements: Statement[] = [];
  for (const [i, item] of list.entries()) {
    const statement = parseStatement(item, i + 1);
    if (typeof statement === 'string') return { name, ok: false, why: `${name}: ${statement}` };
    statements.push(statement);
  }
  return { name, ok: true, statements };
}

function decodeDocument(document: string): string {
  try {
    return decodeURIComponent(document);
  } catch {
    return document; // a literal "%" in plain JSON
  }
}

function parseStatement(item: unknown, index: number): Statement | string {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return `statement #${index} is not an object`;
  const statement: Statement = { index, effect: '', unevaluable: [] };
  for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
    if (key === 'Sid' && typeof value === 'string') statement.sid = value;
    else if (key === 'Effect' && typeof value === 'string') statement.effect = value;
    else if (key in LIST_KEYS) {
      const values = Array.isArray(value) ? value : [value];
      if (!values.every((v) => typeof v === 'string')) return `statement #${index} has a ${key} that is not a string or a list of strings`;
      statement[LIST_KEYS[key as keyof typeof LIST_KEYS]] = values as string[];
    } else if (key === 'Condition' && typeof value === 'object' && value !== null && Object.keys(value).length === 0) {
      // An empty Condition block restricts nothing.
    } else statement.unevaluable.push(key);
  }
  return statement;
}
