import type { ConsoleResource } from '../core/console/deepLinks';
import type { AccountRef } from '../core/fleet/model';
import { escapeMarkdown } from '../core/text/markdown';

/** A view-agnostic tree node: tree models build these from plain data; one provider renders them all. */
export interface TreeNode {
  /** Stable across refreshes so VS Code keeps expansion and selection. */
  id: string;
  label: string;
  description?: string;
  /** Markdown: any text from AWS, tags, settings or errors in it goes through escapeMarkdown. */
  tooltip?: string;
  /** The only commands the tooltip's command links may run (none by default). */
  tooltipCommands?: readonly string[];
  /** A ThemeIcon id and optional ThemeColor id. */
  icon?: { id: string; color?: string };
  /** Drives view/item/context menus, e.g. "vip", "pair", "jumpbox.running". */
  contextValue?: string;
  children?: TreeNode[];
  expanded?: boolean;
  /** The domain object behind the row, handed to commands invoked on it. */
  data?: unknown;
  /** The AWS console page(s) of the row's resources, for awsops.openInConsole (several → the user picks). */
  console?: ConsoleLink | ConsoleLink[];
  /** Set on every row under an account when several accounts are shown: its commands act in that account. */
  account?: AccountRef;
}

export interface ConsoleLink {
  region: string;
  resource: ConsoleResource;
  /** Names the page when a row has several, e.g. "Network interface eni-…". */
  label?: string;
}

export const ERROR_ICON = { id: 'error', color: 'errorForeground' } as const;
export const WARNING_ICON = { id: 'warning', color: 'list.warningForeground' } as const;

export function messageNode(id: string, label: string, description?: string): TreeNode {
  return { id, label, description, icon: { id: 'info' } };
}

/** An AWS error under the region (or pair, jumpbox...) it came from, with what to do. */
export function errorNode(id: string, error: { code: string; message: string; hint: string }): TreeNode {
  return {
    id,
    label: `${error.code}: ${error.message}`,
    description: error.hint,
    tooltip: `**${escapeMarkdown(error.code)}**\n\n${escapeMarkdown(error.message)}\n\n${escapeMarkdown(error.hint)}`,
    icon: ERROR_ICON,
    contextValue: 'error',
  };
}
