import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readJumpboxSettings } from '../../../src/features/jumpboxes/settings';
import { readSettings, RESTRICTED_SETTINGS } from '../../../src/plumbing/settings';

/** A user value and a workspace value for each setting an untrusted workspace must not choose (machine-scoped ones cannot have a workspace value). */
const VALUES: Record<string, { user: unknown; workspace: unknown }> = {
  profile: { user: 'mine', workspace: 'attacker' },
  regions: { user: ['eu-west-1'], workspace: ['us-east-1'] },
  vpcIds: { user: ['vpc-mine'], workspace: ['vpc-attacker'] },
  pairTagKey: { user: 'my:pair', workspace: 'attacker:pair' },
  jumpboxTagKey: { user: 'my:jumpbox', workspace: 'Name' },
  sshUser: { user: 'ubuntu', workspace: '-oProxyCommand=touch /tmp/pwned' },
  dnsZones: { user: ['example.com'], workspace: ['bank.example'] },
  holidays: { user: ['2026-12-25'], workspace: ['2026-12-24'] },
};

describe('Settings in an untrusted workspace (real extension host)', () => {
  const config = () => vscode.workspace.getConfiguration('awsops');

  before(async () => {
    for (const [key, { user, workspace }] of Object.entries(VALUES)) {
      await config().update(key, user, vscode.ConfigurationTarget.Global);
      await config().update(key, workspace, vscode.ConfigurationTarget.Workspace);
    }
  });
  after(async () => {
    for (const key of Object.keys(VALUES)) {
      await config().update(key, undefined, vscode.ConfigurationTarget.Workspace);
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('ignores the workspace values of who, where, what is a pair or a jumpbox, which DNS and the SSH user', () => {
    const settings = readSettings({}, false);
    assert.deepEqual(
      { profile: settings.profile, regions: settings.regions, vpcIds: settings.vpcIds, pairTagKey: settings.pairTagKey, jumpboxTagKey: settings.jumpboxTagKey },
      { profile: 'mine', regions: ['eu-west-1'], vpcIds: ['vpc-mine'], pairTagKey: 'my:pair', jumpboxTagKey: 'my:jumpbox' },
    );
    const jumpbox = readJumpboxSettings(false);
    assert.deepEqual([jumpbox.sshUser, jumpbox.dnsZones], ['ubuntu', ['example.com']]);
    // A setting that only changes an estimate is not restricted.
    assert.deepEqual(jumpbox.holidays, ['2026-12-24']);
  });

  it('uses the workspace values once the workspace is trusted', () => {
    const settings = readSettings({}, true);
    assert.deepEqual([settings.profile, settings.regions, settings.pairTagKey], ['attacker', ['us-east-1'], 'attacker:pair']);
    assert.equal(readJumpboxSettings(true).sshUser, '-oProxyCommand=touch /tmp/pwned');
  });

  it('falls back to the default, not the workspace value, when the user set nothing', async () => {
    await config().update('pairTagKey', undefined, vscode.ConfigurationTarget.Global);
    assert.equal(readSettings({}, false).pairTagKey, 'awsops:pair');
    await config().update('pairTagKey', VALUES.pairTagKey.user, vscode.ConfigurationTarget.Global);
  });

  it('lists exactly the restricted settings in package.json, for the Settings editor', () => {
    const extension = vscode.extensions.getExtension('aws-ops.aws-ops');
    const listed = extension?.packageJSON.capabilities.untrustedWorkspaces.restrictedConfigurations as string[];
    assert.deepEqual([...listed].sort(), RESTRICTED_SETTINGS.map((key) => `awsops.${key}`).sort());
    const declared = Object.keys(extension?.packageJSON.contributes.configuration.properties as object);
    assert.deepEqual(listed.filter((key) => !declared.includes(key)), [], 'every listed setting exists');
  });
});
