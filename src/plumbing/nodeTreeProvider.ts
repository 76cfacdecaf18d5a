import * as vscode from 'vscode';
import type { TreeNode } from './treeNode';

/** Renders TreeNode models; a view's controller sets the roots after each refresh. */
export class NodeTreeProvider implements vscode.TreeDataProvider<TreeNode> {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: TreeNode[] = [];
  private readonly parents = new Map<string, TreeNode>();

  setRoots(roots: TreeNode[]): void {
    this.roots = roots;
    this.parents.clear();
    const index = (node: TreeNode) => node.children?.forEach((child) => (this.parents.set(child.id, node), index(child)));
    roots.forEach(index);
    this.changed.fire(undefined);
  }

  getRoots(): readonly TreeNode[] {
    return this.roots;
  }

  getChildren(element?: TreeNode): TreeNode[] {
    return element ? element.children ?? [] : this.roots;
  }

  getParent(element: TreeNode): TreeNode | undefined {
    return this.parents.get(element.id);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
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
    if (node.tooltip) item.tooltip = new vscode.MarkdownString(node.tooltip);
    if (node.icon) {
      item.iconPath = new vscode.ThemeIcon(node.icon.id, node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined);
    }
    return item;
  }
}
