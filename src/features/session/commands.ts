import * as vscode from 'vscode';
import { profilePicks } from '../../core/fleet/profilePicks';
import type { AwsContext } from '../../plumbing/awsContext';
import type { TreeNode } from '../../plumbing/treeNode';
import { KNOWN_REGIONS } from '../../core/session/regions';
import type { Host } from '../../plumbing/host';
import { updateSetting } from '../../plumbing/settings';

const DEFAULT_CHAIN = '$(key) Default credential chain';

export async function selectProfile(context: AwsContext, host: Host): Promise<void> {
  const profiles = await context.aws.listProfiles();
  const current = context.settings().profile;
  const picked = await host.showQuickPick(
    [
      { label: DEFAULT_CHAIN, description: 'AWS_PROFILE, environment keys, then the default profile' },
      ...profiles.map((p) => ({ label: p.name, description: [p.source, p.region].filter(Boolean).join(' · '), picked: p.name === current })),
    ],
    { title: 'AWS Ops: Select Profile', placeHolder: current ? `Current: ${current}` : 'Pick the profile AWS Ops uses', matchOnDescription: true },
  );
  if (!picked) return;
  await updateSetting('profile', picked.label === DEFAULT_CHAIN ? '' : picked.label);
}

export async function selectRegions(context: AwsContext, host: Host): Promise<void> {
  const current = context.settings().regions;
  const regions = [...new Set([...current, ...KNOWN_REGIONS])];
  const picked = await host.showQuickPick(
    regions.map((region) => ({ label: region, picked: current.includes(region) })),
    { title: 'AWS Ops: Select Regions', placeHolder: 'None picked = the profile\'s region', canPickMany: true },
  );
  if (!picked) return;
  await updateSetting('regions', picked.map((p) => p.label));
}

const ADD_PATTERN = '$(add) Add a pattern…';
/** Profile names and glob patterns: letters, digits and the characters profile names use, plus * and ?. */
const PATTERN = /^[\w.@+=,*?/-]+$/;

/**
 * awsops.selectProfiles: several profiles at once, by name or pattern (`prod-*`). One plain name is the single
 * profile as before; more (or any pattern) shows every account they reach, grouped by account.
 */
export async function selectProfiles(context: AwsContext, host: Host): Promise<void> {
  const profiles = await context.aws.listProfiles();
  const settings = context.settings();
  const names = new Set(profiles.map((p) => p.name));
  const current = settings.profiles.length > 0 ? settings.profiles : settings.profile ? [settings.profile] : [];
  const picked = await host.showQuickPick(
    [...profilePicks(profiles, current), { label: ADD_PATTERN, description: 'e.g. prod-*', picked: false }],
    { title: 'AWS Ops: Select Profiles', placeHolder: 'Pick the profiles whose accounts to show together', canPickMany: true, matchOnDescription: true },
  );
  if (!picked) return;
  const chosen = picked.filter((p) => p.label !== ADD_PATTERN).map((p) => p.label);
  if (picked.some((p) => p.label === ADD_PATTERN)) {
    const typed = await host.showInputBox({
      title: 'AWS Ops: Select Profiles — patterns',
      prompt: 'Profile name patterns, separated by spaces or commas: * matches any text, ? one character',
      placeHolder: 'prod-* staging-?',
      validateInput: (value) => (splitPatterns(value).every((p) => PATTERN.test(p)) ? undefined : 'Use letters, digits, . _ - @ + = / and the wildcards * and ?.'),
    });
    if (typed === undefined) return;
    chosen.push(...splitPatterns(typed).filter((p) => !chosen.includes(p)));
  }
  if (chosen.length === 1 && names.has(chosen[0])) {
    await updateSetting('profiles', []);
    return updateSetting('profile', chosen[0]);
  }
  await updateSetting('profiles', chosen);
}

function splitPatterns(value: string): string[] {
  return value.split(/[\s,]+/).filter(Boolean);
}

/**
 * The fix of a failed account row that is a command (an expired SSO session: `aws sso login --profile …`), run
 * in a terminal. The profile goes in as an argument, never through a shell: its name comes from a config file.
 */
export function runAccountFix(node: TreeNode | undefined): void {
  const data = node?.data as { profile?: unknown; kind?: unknown } | undefined;
  if (typeof data?.profile !== 'string' || data.kind !== 'sso-expired') return;
  const terminal = vscode.window.createTerminal({ name: `AWS SSO login (${data.profile})`, shellPath: 'aws', shellArgs: ['sso', 'login', '--profile', data.profile] });
  terminal.show();
}
