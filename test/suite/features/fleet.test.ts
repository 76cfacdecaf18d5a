import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { EC2Client } from '@aws-sdk/client-ec2';
import * as vscode from 'vscode';
import { SessionPool } from '../../../src/core/session/pool';
import { FAIL_OVER_ROLLBACK, LEAVE_MISSING } from '../../../src/features/pairs/commands';
import type { TreeNode } from '../../../src/plumbing/treeNode';
import { FAKE_AWS_VAULT } from '../../support/fakeAwsVault';
import { startFaultProxy, type FaultProxy } from '../../support/faultProxy';
import { seedPairWorld, vipTargets, type PairWorld } from '../../support/pairWorld';
import { FakeHost } from '../fakeHost';
import { startWorld, type World } from '../world';

const BROKEN_ROLE = 'arn:aws:iam::444444444444:role/missing';
/** aws-vault / SSO style profiles: each assumes a role in its own account with the "moto" profile's keys. */
const PROFILES = `
[profile dev]
role_arn = arn:aws:iam::222222222222:role/ops
source_profile = moto
region = eu-west-1
[profile prod-c]
role_arn = arn:aws:iam::333333333333:role/ops
source_profile = moto
region = eu-west-1
[profile prod-c-admin]
role_arn = arn:aws:iam::333333333333:role/admin
source_profile = moto
region = eu-west-1
[profile mfa-x]
role_arn = arn:aws:iam::555555555555:role/ops
source_profile = moto
mfa_serial = arn:aws:iam::123456789012:mfa/ops
region = eu-west-1
[profile mfa-y]
role_arn = arn:aws:iam::666666666666:role/ops
source_profile = moto
mfa_serial = arn:aws:iam::123456789012:mfa/ops
region = eu-west-1
[profile prod-broken]
role_arn = ${BROKEN_ROLE}
source_profile = moto
region = eu-west-1
`;

describe('Fleet: several accounts in one set of trees (real extension host, moto accounts through AssumeRole)', () => {
  let world: World;
  let proxy: FaultProxy;
  let pools: SessionPool;
  let ec2Of: (profile: string) => EC2Client;
  const pairs: Record<string, PairWorld> = {};
  const config = vscode.workspace.getConfiguration('awsops');
  const vault = vscode.workspace.getConfiguration('awsops.awsVault');
  const endpointBefore = process.env.AWS_ENDPOINT_URL;

  const roots = (view: 'vipRoutes' | 'pairs') => world.api[view].getRoots();
  const accountRow = (view: 'vipRoutes' | 'pairs', accountId: string): TreeNode => {
    const row = roots(view).find((n) => n.contextValue === 'account' && n.description?.startsWith(accountId));
    assert.ok(row, `no account ${accountId} among ${JSON.stringify(roots(view).map((n) => `${n.label} ${n.description}`))}`);
    return row;
  };

  before(async () => {
    world = await startWorld('eu-west-1');
    // IAM refuses a role that does not exist; moto assumes any, so the proxy refuses this one as IAM would.
    proxy = await startFaultProxy({
      target: world.moto.url,
      deny: (action, body) => (action === 'AssumeRole' && body.includes(encodeURIComponent(BROKEN_ROLE)) ? `User: arn:aws:iam::123456789012:user/moto is not authorized to perform: sts:AssumeRole on resource: ${BROKEN_ROLE}` : undefined),
    });
    fs.appendFileSync(process.env.AWS_CONFIG_FILE as string, PROFILES);
    // The SDK's own role assumption for role_arn profiles reads the endpoint from the environment, as the CLI does.
    process.env.AWS_ENDPOINT_URL = proxy.url;
    pools = new SessionPool(() => undefined);
    ec2Of = (profile) => pools.get({ profile, region: world.region, endpointUrl: world.moto.url }).client('ec2');
    // The same pair name in two accounts: two pairs, never one.
    pairs.moto = await seedPairWorld(ec2Of('moto'), { tables: 2, kind: 'instance', name: 'web' });
    pairs.b = await seedPairWorld(ec2Of('dev'), { tables: 3, kind: 'eni', name: 'web' });
    await config.update('endpointUrl', proxy.url, vscode.ConfigurationTarget.Global);
    await config.update('profiles', ['moto', 'prod-*', 'dev'], vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.view.extension.awsops');
    await vscode.commands.executeCommand('awsops.refresh');
    await world.api.refresh();
  });
  after(async () => {
    await config.update('profiles', undefined, vscode.ConfigurationTarget.Global);
    await vault.update('path', undefined, vscode.ConfigurationTarget.Global);
    if (endpointBefore === undefined) delete process.env.AWS_ENDPOINT_URL;
    else process.env.AWS_ENDPOINT_URL = endpointBefore;
    pools?.clear();
    world.api.setHost((await import('../../../src/plumbing/host')).windowHost);
    await world?.dispose();
    await proxy?.stop();
  });

  it('groups VIP Routes by account → region → VPC, shows an account two profiles reach once, and the broken role as an error row that names it', () => {
    const labels = roots('vipRoutes').map((n) => n.label);
    // prod-c and prod-c-admin reach the same account: the one listed first in the config is used, the other named.
    assert.deepEqual(labels.slice(0, 3).sort(), ['dev', 'moto', 'prod-c']);
    assert.match(accountRow('vipRoutes', '333333333333').description ?? '', /^333333333333 · via prod-c \(also prod-c-admin\)/);
    const b = accountRow('vipRoutes', '222222222222');
    assert.equal(b.label, 'dev');
    assert.equal(b.children?.[0].label, 'eu-west-1');
    assert.ok(b.children?.[0].children?.some((vpc) => vpc.label === pairs.b.vpcId), 'account 2 shows its own VPC');
    assert.ok(!accountRow('vipRoutes', '123456789012').children?.[0].children?.some((vpc) => vpc.label === pairs.b.vpcId), 'and account 1 does not');
    const failed = roots('vipRoutes').find((n) => n.contextValue === 'accountFailed');
    assert.equal(failed?.label, 'prod-broken');
    assert.match(failed?.description ?? '', new RegExp(`Cannot assume ${BROKEN_ROLE}`));
    assert.match(failed?.children?.[0].label ?? '', /Check that role .* exists and trusts prod-broken/);
    assert.equal(roots('vipRoutes').filter((n) => n.contextValue === 'account').length, 3, 'prod-c-admin reaches account 3 again: not shown twice');
  });

  it('groups HAProxy Pairs by account too: the two "web" pairs stay apart', () => {
    const pairIn = (accountId: string) => accountRow('pairs', accountId).children?.find((n) => n.label === 'web');
    assert.ok(pairIn('123456789012'), 'pair web in account 1');
    assert.ok(pairIn('222222222222'), 'pair web in account 2');
    assert.notEqual(pairIn('123456789012')?.id, pairIn('222222222222')?.id);
  });

  it('fails over the pair of account 2 from its row, signed in as account 2: the confirmation names profile, account and region; account 1 is untouched', async () => {
    const before1 = await vipTargets(ec2Of('moto'), pairs.moto.vpcId, pairs.moto.cidr);
    const host = new FakeHost([LEAVE_MISSING, FAIL_OVER_ROLLBACK]);
    world.api.setHost(host);
    const row = accountRow('pairs', '222222222222').children?.find((n) => n.label === 'web');
    await vscode.commands.executeCommand('awsops.failover', row);
    assert.deepEqual(host.unexpected, []);
    const confirm = host.shown.find((s) => s.kind === 'confirm');
    assert.match(confirm?.detail ?? '', /^profile dev · account dev \(222222222222\) · region eu-west-1\n/);
    assert.match(host.messages()[0] ?? '', /^Failover done: all 3 route\(s\)/);
    // Read back in account 2 with its own credentials: every table now names node B's ENI.
    const after2 = await vipTargets(ec2Of('dev'), pairs.b.vpcId, pairs.b.cidr);
    assert.deepEqual(pairs.b.routeTableIds.map((id) => after2[id]), pairs.b.routeTableIds.map(() => pairs.b.eniB));
    assert.deepEqual(await vipTargets(ec2Of('moto'), pairs.moto.vpcId, pairs.moto.cidr), before1);
    const refreshed = accountRow('pairs', '222222222222').children?.find((n) => n.label === 'web');
    assert.match(refreshed?.description ?? '', /MASTER web-b/);
  });

  it('opens the console for a node of account 2 signed in as that account: aws-vault logs in with the row\'s profile, not the chosen one', async () => {
    await vault.update('path', FAKE_AWS_VAULT, vscode.ConfigurationTarget.Global);
    await world.api.refresh();
    const host = new FakeHost([]);
    world.api.setHost(host);
    const nodeRow = accountRow('pairs', '222222222222').children?.find((n) => n.label === 'web')?.children?.find((n) => n.label === 'web-b');
    assert.ok(nodeRow, 'node web-b of account 2');
    await vscode.commands.executeCommand('awsops.openInConsole', nodeRow);
    assert.deepEqual(host.unexpected, []);
    // The stand-in aws-vault signs in only for profile "dev" (any other: "credentials missing").
    assert.equal(host.opened.length, 1, `messages: ${host.messages().join(' | ')}`);
    const url = new URL(host.opened[0]);
    assert.equal(url.searchParams.get('Issuer'), 'aws-vault');
    assert.equal(url.searchParams.get('Destination'), `https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#InstanceDetails:instanceId=${pairs.b.nodeB}`);
  });

  it('asks one MFA code for two role profiles behind the same device, and shows both accounts', async () => {
    const host = new FakeHost(['123456']);
    world.api.setHost(host);
    await config.update('profiles', ['mfa-*'], vscode.ConfigurationTarget.Global);
    await world.api.refresh();
    const accounts = roots('vipRoutes').filter((n) => n.contextValue === 'account').map((n) => n.description?.split(' ')[0]);
    assert.deepEqual(accounts.sort(), ['555555555555', '666666666666'], JSON.stringify(roots('vipRoutes').map((n) => `${n.label} ${n.description}`)));
    assert.deepEqual(host.shown.filter((s) => s.kind === 'inputBox').map((s) => s.detail), ['arn:aws:iam::123456789012:mfa/ops']);
    assert.deepEqual(host.unexpected, []);
    // aws-vault's way: one MFA session (GetSessionToken with the code), then each role assumed with it.
    assert.equal(proxy.counts().GetSessionToken, 1);
    await config.update('profiles', ['moto', 'prod-*', 'dev'], vscode.ConfigurationTarget.Global);
    await world.api.refresh();
  });

  it('offers `aws sso login` for an expired SSO session as a terminal running the CLI with the profile as an argument', async () => {
    const node: TreeNode = { id: 'fix', label: 'Run aws sso login --profile sso-dev', contextValue: 'accountFix', data: { profile: 'sso-dev; rm -rf ~', kind: 'sso-expired' } };
    const opened = new Promise<vscode.Terminal>((resolve) => {
      const sub = vscode.window.onDidOpenTerminal((t) => (sub.dispose(), resolve(t)));
    });
    await vscode.commands.executeCommand('awsops.runAccountFix', node);
    const terminal = await opened;
    const options = terminal.creationOptions as vscode.TerminalOptions;
    assert.equal(options.shellPath, 'aws');
    assert.deepEqual(options.shellArgs, ['sso', 'login', '--profile', 'sso-dev; rm -rf ~']);
    terminal.dispose();
  });
});
