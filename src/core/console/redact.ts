/**
 * Scrubs text before it reaches a log, an error message or a notification: a console sign-in URL is a live
 * session, and aws-vault's or an endpoint's output may echo keys and tokens.
 */
const REDACTED = '[redacted]';

const RULES: ReadonlyArray<[RegExp, (match: string, ...groups: string[]) => string]> = [
  // Any URL keeps its scheme, host and path; the query and fragment (where tokens travel) go.
  [/\b(https?:\/\/[^\s?#"'<>]*)[?#][^\s"'<>]*/gi, (_m, base) => `${base}?${REDACTED}`],
  // key=value pairs and JSON "key": "value" members whose name says secret, whatever the spelling.
  [/((?:secret|token|session[_-]?key|sessionid|password|credential)[a-z_]*\s*=\s*["']?)[^\s"'&,;]+/gi, (_m, key) => `${key}${REDACTED}`],
  [/("[a-z_]*(?:secret|token|session[_-]?key|sessionid|password)[a-z_]*"\s*:\s*")[^"]*/gi, (_m, key) => `${key}${REDACTED}`],
  // Access key ids (AKIA long-term, ASIA temporary, ...).
  [/\b(?:AKIA|ASIA|AROA|AIDA|ANPA|AGPA)[A-Z0-9]{12,}\b/g, () => '[access-key-id]'],
  // Long base64-like runs mixing upper case, lower case and digits: secret keys, session and sign-in tokens.
  [/[A-Za-z0-9+/=_-]{32,}/g, (m) => (/[A-Z]/.test(m) && /[a-z]/.test(m) && /\d/.test(m) ? REDACTED : m)],
];

export function redact(text: string): string {
  return RULES.reduce((out, [pattern, replace]) => out.replace(pattern, replace), text);
}
