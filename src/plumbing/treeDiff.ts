import type { TreeNode } from './treeNode';

/** What to refresh after a view's model was rebuilt: nothing, some subtrees, or (when the top rows changed) all. */
export type TreeChange = { all: true } | { all: false; ids: string[] };

/**
 * The topmost rows whose own rendering or list of children changed between two builds of a tree, matched by
 * id (pure). Refreshing just those keeps every other row — and VS Code's expansion, selection and scroll — as
 * it was; a refreshed row's descendants are fetched again anyway, so they are not listed.
 */
export function changedSubtrees(before: readonly TreeNode[], after: readonly TreeNode[]): TreeChange {
  if (!sameIds(before, after)) return { all: true };
  const ids: string[] = [];
  const visit = (old: TreeNode, next: TreeNode) => {
    if (!sameRow(old, next) || !sameIds(old.children ?? [], next.children ?? [])) {
      ids.push(next.id);
      return;
    }
    next.children?.forEach((child, i) => visit((old.children as TreeNode[])[i], child));
  };
  after.forEach((node, i) => visit(before[i], node));
  return { all: false, ids };
}

function sameIds(a: readonly TreeNode[], b: readonly TreeNode[]): boolean {
  return a.length === b.length && a.every((node, i) => node.id === b[i].id);
}

/**
 * What a row shows and hands to commands: every field but its id, children and initial expansion (VS Code
 * keeps the user's expansion of a known id, so a changed default must not count). A field added to TreeNode
 * does not compile until it is listed here.
 */
const ROW_FIELDS: Record<Exclude<keyof TreeNode, 'id' | 'children' | 'expanded'>, true> = {
  label: true,
  description: true,
  tooltip: true,
  tooltipCommands: true,
  icon: true,
  contextValue: true,
  account: true,
  data: true,
  console: true,
};
const FIELDS = Object.keys(ROW_FIELDS) as Array<keyof typeof ROW_FIELDS>;

/** Field by field, objects (icon, data, console links) by value. Cheap: a poll compares thousands of rows. */
function sameRow(a: TreeNode, b: TreeNode): boolean {
  return FIELDS.every((field) => sameValue(a[field], b[field]));
}

function sameValue(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null || Array.isArray(x) !== Array.isArray(y)) return false;
  const keys = Object.keys(x);
  return keys.length === Object.keys(y).length && keys.every((key) => sameValue((x as Record<string, unknown>)[key], (y as Record<string, unknown>)[key]));
}
