import type * as vscode from 'vscode';
import type { NodeTreeProvider } from './nodeTreeProvider';
import type { TreeNode } from './treeNode';

export interface RegisteredView {
  /** The contributed view id, e.g. awsops.vipRoutes. */
  id: string;
  /** Its name as the side bar shows it. */
  title: string;
  view: vscode.TreeView<TreeNode>;
  provider: NodeTreeProvider;
}

/** The product's tree views, so that Go to… and change notices can find and reveal rows in any of them. */
export class Views {
  private readonly entries: RegisteredView[] = [];

  add(entry: RegisteredView): void {
    this.entries.push(entry);
  }

  all(): readonly RegisteredView[] {
    return this.entries;
  }

  /** Shows the row in its view (opening the side bar and expanding its ancestors), selected and focused. */
  async reveal(entry: RegisteredView, node: TreeNode): Promise<void> {
    await entry.view.reveal(node, { select: true, focus: true });
  }

  /** Reveals the first row of a view that matches; false when the view shows none. */
  async revealWhere(viewId: string, match: (node: TreeNode) => boolean): Promise<boolean> {
    const entry = this.entries.find((e) => e.id === viewId);
    const row = entry && [...entry.provider.rows()].find(({ node }) => match(node));
    if (!entry || !row) return false;
    await this.reveal(entry, row.node);
    return true;
  }
}
