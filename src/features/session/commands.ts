import type { AwsContext } from '../../plumbing/awsContext';
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
