import * as vscode from 'vscode';
import { changedSubtrees } from './treeDiff';
import type { TreeNode } from './treeNode';

/**
 * Renders TreeNode models; a view's controller sets the roots after each refresh. A new set of roots refreshes
 * only the rows that changed (matched by id), so a poll leaves expansion, selection and scroll alone.
 */
export class NodeTreeProvider implements vscode.TreeDataProvider<TreeNode> {
  private readonly changed = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: TreeNode[] = [];
  private readonly byId = new Map<string, TreeNode>();
  private readonly parents = new Map<string, TreeNode>();
  /**
   * The node object VS Code last received for each id: it looks rows up by object identity, so a change
   * event must name the object it holds, not the newly built one.
   */
  private readonly handed = new Map<string, TreeNode>();

  setRoots(roots: TreeNode[]): void {
    const change = changedSubtrees(this.roots, roots);
    this.roots = roots;
    this.byId.clear();
    this.parents.clear();
    const index = (node: TreeNode, parent?: TreeNode) => {
      this.byId.set(node.id, node);
      if (parent) this.parents.set(node.id, parent);
      node.children?.forEach((child) => index(child, node));
    };
    roots.forEach((root) => index(root));
    if (change.all) {
      this.handed.clear();
      this.changed.fire(undefined);
      return;
    }
    // Rows VS Code never fetched (under a collapsed parent) need no event: it asks for them when shown.
    const known = change.ids.flatMap((id) => this.handed.get(id) ?? []);
    // VS Code keeps the object it holds for a refreshed row and hands it to commands: it must carry the new data.
    for (const held of known) becomes(held, this.byId.get(held.id) as TreeNode);
    if (known.length > 0) this.changed.fire(known);
  }

  getRoots(): readonly TreeNode[] {
    return this.roots;
  }

  /** The current version of a row VS Code or a command may hold an older object of. */
  latest(node: TreeNode): TreeNode | undefined {
    return this.byId.get(node.id);
  }

  /** Every row, depth first, with the labels of its ancestors. */
  *rows(): Generator<{ node: TreeNode; path: string[] }> {
    const walk = function* (nodes: readonly TreeNode[], path: string[]): Generator<{ node: TreeNode; path: string[] }> {
      for (const node of nodes) {
        yield { node, path };
        if (node.children) yield* walk(node.children, [...path, node.label]);
      }
    };
    yield* walk(this.roots, []);
  }

  getChildren(element?: TreeNode): TreeNode[] {
    const children = element ? ((this.byId.get(element.id) ?? element).children ?? []) : this.roots;
    for (const child of children) this.handed.set(child.id, child);
    return children;
  }

  getParent(element: TreeNode): TreeNode | undefined {
    return this.parents.get(element.id);
  }

  getTreeItem(element: TreeNode): vscode.TreeItem {
    const node = this.byId.get(element.id) ?? element;
    const state = !node.children?.length
      ? vscode.TreeItemCollapsibleState.None
      : node.expanded
        ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(node.label, state);
    item.id = node.id;
    item.description = node.description;
    // "console" lets the Open in Console menu show on any row that names an AWS resource.
    item.contextValue = [node.contextValue, node.console && 'console'].filter(Boolean).join(' ') || undefined;
    if (node.tooltip) {
      // No HTML, and links run no command unless the row names it: tooltips carry text from tags and AWS.
      const tooltip = new vscode.MarkdownString(node.tooltip);
      tooltip.supportHtml = false;
      tooltip.isTrusted = node.tooltipCommands?.length ? { enabledCommands: [...node.tooltipCommands] } : false;
      item.tooltip = tooltip;
    }
    if (node.icon) {
      item.iconPath = new vscode.ThemeIcon(node.icon.id, node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined);
    }
    return item;
  }
}

/** Turns `held` into a copy of `fresh`, keeping its identity. */
function becomes(held: TreeNode, fresh: TreeNode): void {
  if (held === fresh) return;
  for (const key of Object.keys(held)) if (!(key in fresh)) Reflect.deleteProperty(held, key);
  Object.assign(held, fresh);
}
