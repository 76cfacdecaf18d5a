import * as vscode from 'vscode';
import { findEc2Id, resourcePage } from '../../core/console/resourcePages';
import type { RegionResult } from '../../core/vip/model';
import type { FeatureDeps } from '../../plumbing/commands';
import { openPageSignedIn } from './commands';

/**
 * awsops.openResourceInConsole: the console page of the ARN or resource id selected in the editor (else on the
 * clipboard, else given as the argument), signed in like every console link. A bare id opens in the region
 * the views found it in, else the first chosen region.
 */
export async function openResourceInConsole(deps: FeatureDeps, argument?: unknown): Promise<void> {
  const text = typeof argument === 'string' ? argument : (selectedText() ?? (await vscode.env.clipboard.readText()));
  if (!text.trim()) {
    await deps.host().info('AWS Ops: select an ARN or a resource id (i-…, rtb-…, eni-…, vpc-…) in an editor, or copy one, then run this again.');
    return;
  }
  const { specs } = await deps.context.targets();
  const fallback = specs[0]?.region ?? 'us-east-1';
  const id = findEc2Id(text);
  const page = resourcePage(text, (id && regionHolding(deps.discovery.latest(), id)) || fallback);
  await openPageSignedIn(deps.context, deps.host(), page);
}

function selectedText(): string | undefined {
  const editor = vscode.window.activeTextEditor;
  const selection = editor?.selections.find((s) => !s.isEmpty);
  return selection && editor?.document.getText(selection);
}

/** The region whose last discovery saw the id (an instance, ENI, VPC or route table). */
function regionHolding(results: readonly RegionResult[], id: string): string | undefined {
  return results.find(
    (r) =>
      r.ok &&
      (id in r.snapshot.instances || id in r.snapshot.enis || r.snapshot.vpcs.some((vpc) => vpc.vpcId === id || vpc.routeTables.some((t) => t.routeTableId === id))),
  )?.region;
}
