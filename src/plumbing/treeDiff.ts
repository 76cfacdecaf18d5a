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
    if (rowSignature(old) !== rowSignature(next) || !sameIds(old.children ?? [], next.children ?? [])) {
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
 * Everything of a row except its children and its initial expansion (VS Code keeps the user's expansion of a
 * known id, so a changed default must not count as a change). The data handed to commands counts: a row
 * whose rendering stayed but whose data changed must still hand commands the new data.
 */
function rowSignature(node: TreeNode): string {
  return JSON.stringify({ ...node, children: undefined, expanded: undefined });
}
