/**
 * Scrubs text before it reaches a log, an error message, a tree row or a notification: a console sign-in URL is
 * a live session; aws-vault's or an endpoint's output may echo keys and tokens; and a failing credential_process
 * is reported with its whole command line, which may carry a password or token.
 */
const REDACTED = '[redacted]';
/** Words that name a secret inside a flag, a variable or a JSON member. */
const SECRET_WORD = '(?:secret|token|session[_-]?key|sessionid|password|passwd|passphrase|credential|api[_-]?key|private[_-]?key|signature)';

const RULES: ReadonlyArray<[RegExp, (match: string, ...groups: string[]) => string]> = [
  // Node's child_process error ("Command failed: <command line>"), as the SDK reports a failing credential_process;
  // once redacted, what a message adds after it (a hint) stays.
  [/(Command failed:)(?! \[command line redacted\])[^\n]*/g, (_m, head) => `${head} [command line redacted]`],
  // Any URL keeps its scheme, host and path; the query and fragment (where tokens travel) go.
  [/\b(https?:\/\/[^\s?#"'<>]*)[?#][^\s"'<>]*/gi, (_m, base) => `${base}?${REDACTED}`],
  // Flags whose name says secret: --password x, --token=x, --api-key "x y", -secret 'x'.
  [new RegExp(`(?<![\\w-])(--?[a-z0-9_-]*${SECRET_WORD}[a-z0-9_-]*)(=|\\s+)("[^"]*"|'[^']*'|[^\\s"']+)`, 'gi'), (_m, flag, sep) => `${flag}${sep}${REDACTED}`],
  // key=value pairs (AWS_SECRET_ACCESS_KEY=..., SigninToken=...) whose name says secret, whatever the spelling.
  [new RegExp(`(${SECRET_WORD}[a-z_]*\\s*=\\s*["']?)[^\\s"'&,;]+`, 'gi'), (_m, key) => `${key}${REDACTED}`],
  [new RegExp(`("[a-z_]*${SECRET_WORD}[a-z_]*"\\s*:\\s*")[^"]*`, 'gi'), (_m, key) => `${key}${REDACTED}`],
  // Access key ids (AKIA long-term, ASIA temporary, ...).
  [/\b(?:AKIA|ASIA|AROA|AIDA|ANPA|AGPA)[A-Z0-9]{12,}\b/g, () => '[access-key-id]'],
  // Long base64-like runs mixing upper case, lower case and digits: secret keys, session and sign-in tokens.
  [/[A-Za-z0-9+/=_-]{32,}/g, (m) => (/[A-Z]/.test(m) && /[a-z]/.test(m) && /\d/.test(m) ? REDACTED : m)],
];

export function redact(text: string): string {
  return RULES.reduce((out, [pattern, replace]) => out.replace(pattern, replace), text);
}
