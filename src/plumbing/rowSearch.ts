import { arnResourceParts, parseArn } from '../core/console/arn';
import type { TreeNode } from './treeNode';

/** A row of some view, as Go to… searches it. */
export interface SearchRow {
  viewId: string;
  viewTitle: string;
  node: TreeNode;
  /** Labels of its ancestors, top first. */
  path: string[];
}

export interface RowMatch extends SearchRow {
  /** 0 is best: the row's name is the text; then an id of it, then prefixes, then substrings. */
  rank: number;
}

const MAX_RESULTS = 200;

/**
 * The rows matching what was typed — an IP, a VIP, an instance, ENI or route-table id, an ARN or a Name —
 * best first, in view order among equals (pure). A row matches on its label, the ids and values its
 * commands and console links carry, and the words of its description; an ARN matches on the resource id it
 * names. An empty text lists the rows in order.
 */
export function searchRows(rows: Iterable<SearchRow>, typed: string): RowMatch[] {
  const query = typed.trim().toLowerCase();
  const matches: RowMatch[] = [];
  const exactOnly = exactTerms(query);
  for (const row of rows) {
    const rank = query ? rankRow(row.node, query, exactOnly) : 0;
    if (rank !== undefined) matches.push({ ...row, rank });
  }
  // Array.prototype.sort is stable: equals keep view order.
  return matches.sort((a, b) => a.rank - b.rank).slice(0, MAX_RESULTS);
}

/** Words that match only whole: the resource id and name of an ARN (not its type), the address of a /32 or /128. */
function exactTerms(query: string): string[] {
  const arn = parseArn(query);
  const parts = arn ? arnResourceParts(arn) : [];
  if (arn) return parts.length > 1 ? parts.slice(1) : parts;
  const host = /^(.+)\/(32|128)$/.exec(query);
  return host ? [host[1]] : [];
}

function rankRow(node: TreeNode, query: string, exactOnly: readonly string[]): number | undefined {
  const label = node.label.toLowerCase();
  if (label === query || exactOnly.includes(label)) return 0;
  // An ARN or a /32 names one resource: the rows that are it (by their data or console link), not rows whose
  // description merely mentions it (a readiness item's reason, say).
  if (exactOnly.length > 0) return identityKeys(node).some((k) => exactOnly.includes(k)) ? 1 : undefined;
  const keys = rowKeys(node);
  if (keys.some((k) => k === query)) return 1;
  if (label.startsWith(query)) return 2;
  if (keys.some((k) => k.startsWith(query))) return 3;
  if (label.includes(query)) return 4;
  if (keys.some((k) => k.includes(query))) return 5;
  return undefined;
}

/** The ids and values a row stands for, lower-cased: its data, its console links, the words of its description. */
function rowKeys(node: TreeNode): string[] {
  return [...identityKeys(node), ...(node.description ?? '').split(/[\s,;·→×()]+/).filter(Boolean).map((v) => v.toLowerCase())];
}

/** The ids and values a row carries in its data and console links, lower-cased. */
function identityKeys(node: TreeNode): string[] {
  const values: string[] = [];
  const collect = (value: unknown, depth: number) => {
    if (typeof value === 'string') values.push(value);
    else if (value && typeof value === 'object' && depth < 3) Object.values(value).forEach((v) => collect(v, depth + 1));
  };
  collect(node.data, 0);
  collect(node.console, 0);
  return values.filter(Boolean).map((v) => v.toLowerCase());
}
