import type { AccountRef } from '../../core/fleet/model';
import type { AwsContext } from '../../plumbing/awsContext';
import { resourceConsoleUrl } from '../../core/console/deepLinks';
import { servicesFor } from '../../core/console/services';
import { findExecutable } from '../../core/process/findExecutable';
import { KNOWN_REGIONS } from '../../core/session/regions';
import type { Host } from '../../plumbing/host';
import { setting } from '../../plumbing/settings';
import type { TreeNode } from '../../plumbing/treeNode';

/** One of three picks in a row: a focus blip between them (a toast, the browser) must not end the flow halfway. */
const STEP = { ignoreFocusOut: true } as const;

/** awsops.openConsole: service → profile → region → a signed-in console page. */
export async function openConsole(context: AwsContext, host: Host): Promise<void> {
  const { settings, specs } = await context.targets();
  const region = await pickRegion(host, specs[0]?.region);
  if (!region) return;
  const services = servicesFor(region);
  const service = await host.showQuickPick(
    services.map((s) => ({ label: s.name, description: s.slug, detail: s.category, service: s })),
    { title: 'AWS Ops: Open Console — service', placeHolder: 'Type a service name or slug (ec2, vpc, route53...)', matchOnDescription: true, matchOnDetail: true, ...STEP },
  );
  if (!service) return;
  const profile = await pickProfile(context, host, settings.profile);
  if (profile === undefined) return;
  await openSignedIn(context, host, service.service.url(region), region, profile || undefined, service.label);
}

/** awsops.openInConsole on a tree row that names resources; with several, the user picks one. */
export async function openInConsole(context: AwsContext, host: Host, node: TreeNode | undefined): Promise<void> {
  const links = node?.console === undefined ? [] : Array.isArray(node.console) ? node.console : [node.console];
  if (!node || links.length === 0) {
    await host.info('Pick a row that names an AWS resource (VPC, route table, instance...).');
    return;
  }
  const link =
    links.length === 1
      ? links[0]
      : (await host.showQuickPick(links.map((l) => ({ label: l.label ?? l.resource.kind, link: l })), { title: `AWS Ops: Open in Console — ${node.label}` }))?.link;
  if (!link) return;
  // A row of a fleet signs in to its own account, not the chosen profile's.
  await openSignedIn(context, host, resourceConsoleUrl(link.resource, link.region), link.region, node.account ?? context.settings().profile, link.label ?? node.label);
}

async function pickRegion(host: Host, current: string | undefined): Promise<string | undefined> {
  const regions = [...new Set([current, ...KNOWN_REGIONS].filter((r): r is string => Boolean(r)))];
  const picked = await host.showQuickPick(
    regions.map((r) => ({ label: r, description: r === current ? 'current' : undefined })),
    { title: 'AWS Ops: Open Console — region', placeHolder: `Enter for ${current ?? 'the first region'}`, ...STEP },
  );
  return picked?.label;
}

async function pickProfile(context: AwsContext, host: Host, current: string | undefined): Promise<string | undefined> {
  const profiles = await context.aws.listProfiles();
  if (profiles.length === 0) return '';
  const ordered = [...profiles].sort((a, b) => Number(b.name === current) - Number(a.name === current));
  const picked = await host.showQuickPick(
    ordered.map((p) => ({ label: p.name, description: p.name === current ? 'current' : p.source })),
    { title: 'AWS Ops: Open Console — profile', placeHolder: `Enter for ${current ?? ordered[0].name}`, ...STEP },
  );
  return picked?.label;
}

/**
 * Signs in through aws-vault when it is there (the profile's own console sign-in), else with the profile's
 * credentials (GetSigninToken). An Organizations member account has no profile of its own: the role assumed in
 * it signs in, never the management profile through aws-vault.
 */
async function openSignedIn(context: AwsContext, host: Host, destination: string, region: string, who: string | AccountRef | undefined, what: string): Promise<void> {
  const { aws } = context;
  const profile = typeof who === 'object' ? who.profile : who;
  if (typeof who === 'object' && who.roleArn) {
    const credentials = context.pool.credentials(who.profile, { roleArn: who.roleArn, region, endpointUrl: context.settings().endpointUrl });
    const signin = await host.withProgress(`Signing in to the AWS console (${what})…`, () => aws.consoleSigninUrl({ destination, region, profile }, { credentials }));
    return finishSignin(context, host, signin, what, region);
  }
  const configuredPath = setting<string>('awsVault.path') || 'aws-vault';
  const vaultPath = profile ? findExecutable(configuredPath) : undefined;
  if (profile && !vaultPath && configuredPath !== 'aws-vault') {
    await host.error(`aws-vault was not found at "${configuredPath}". Fix the awsops.awsVault.path setting or clear it to use aws-vault from PATH.`);
    return;
  }
  let mfaToken: string | undefined;
  const profileInfo = profile ? (await aws.listProfiles()).find((p) => p.name === profile) : undefined;
  if (vaultPath && profileInfo?.mfaSerial) {
    mfaToken = await host.showInputBox({
      title: `MFA code for ${profile}`,
      prompt: profileInfo.mfaSerial,
      validateInput: (v) => (/^\d{6}$/.test(v) ? undefined : 'Enter the 6-digit code from your MFA device.'),
    });
    if (mfaToken === undefined) return;
  }
  const signin = await host.withProgress(`Signing in to the AWS console (${what})…`, () =>
    aws.consoleSigninUrl(
      { destination, region, profile },
      {
        awsVault: vaultPath ? { run: aws.runProcess, path: vaultPath, mfaToken } : undefined,
        credentials: context.pool.credentials(profile),
      },
    ),
  );
  await finishSignin(context, host, signin, what, region);
}

async function finishSignin(context: AwsContext, host: Host, signin: { url: string; via: string; signedIn: boolean; note?: string }, what: string, region: string): Promise<void> {
  // Only the route taken is logged: the URL carries a live SigninToken.
  context.log.info(`console: opened ${what} in ${region} via ${signin.via}`);
  await host.openExternal(signin.url);
  if (!signin.signedIn && signin.note) void host.info(`Opened ${what}; sign in yourself: ${signin.note}`);
}

/** Opens a page worked out elsewhere (an ARN or id someone selected) through the same sign-in as the rest. */
export async function openPageSignedIn(context: AwsContext, host: Host, page: { url: string; region: string; what: string }): Promise<void> {
  await openSignedIn(context, host, page.url, page.region, context.settings().profile, page.what);
}
