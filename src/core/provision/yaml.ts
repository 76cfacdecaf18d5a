/** A small YAML writer for JSON-shaped data (CloudFormation templates): block style, multi-line strings as `|`. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export function toYaml(value: Json): string {
  return lines(value, 0).join('\n') + '\n';
}

function lines(value: Json, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}[]`];
    return value.flatMap((item) => entry(`${pad}- `, item, indent + 2));
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) return [`${pad}{}`];
    return keys.flatMap((key) => entry(`${pad}${scalar(key)}:`, value[key], indent + 2, true));
  }
  return [`${pad}${scalar(value)}`];
}

/** `head` is "key:" or "- "; nested collections go on the following lines, scalars on the same one. */
function entry(head: string, value: Json, indent: number, isKey = false): string[] {
  const sep = isKey ? ' ' : '';
  if (typeof value === 'string' && isBlockable(value)) {
    const chomp = value.endsWith('\n') ? '' : '-';
    const body = value.replace(/\n$/, '').split('\n');
    return [`${head}${sep}|${chomp}`, ...body.map((line) => (line ? ' '.repeat(indent) + line : ''))];
  }
  const nested = value !== null && typeof value === 'object' && Object.keys(value).length > 0;
  if (!nested) return [`${head}${sep}${lines(value, 0)[0]}`];
  if (isKey) return [head, ...lines(value, indent)];
  // A list item that is a collection starts on the dash line.
  const inner = lines(value, indent);
  return [`${head}${inner[0].slice(indent)}`, ...inner.slice(1)];
}

/** Literal blocks keep text exact only when no line starts with a space and no line is blank-but-not-empty. */
function isBlockable(text: string): boolean {
  if (!text.includes('\n') || /\r|\t/.test(text)) return false;
  const body = text.replace(/\n$/, '');
  if (body.endsWith('\n')) return false;
  const all = body.split('\n');
  return !all[0].startsWith(' ') && all.every((line) => line === '' || (line.trim() !== '' && !/\s$/.test(line)));
}

function scalar(value: Json): string {
  if (typeof value === 'string') return plainSafe(value) ? value : JSON.stringify(value);
  return JSON.stringify(value);
}

const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./:@-]*$/;
const KEYWORDS = /^(true|false|yes|no|on|off|null|y|n)$/i;

function plainSafe(text: string): boolean {
  return PLAIN.test(text) && !KEYWORDS.test(text);
}
