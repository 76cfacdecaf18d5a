import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { FAKE_AWS_VAULT, TEST_SECRET_MARK } from '../../support/fakeAwsVault';
import { seedVipWorld, type VipWorld } from '../../support/seedVipWorld';
import { FakeHost } from '../fakeHost';
import { filesUnder } from '../logFiles';
import { startWorld, type World } from '../world';

describe('Open AWS console (real extension host, fake aws-vault)', () => {
  let world: World;
  let seeded: VipWorld;
  const vault = vscode.workspace.getConfiguration('awsops.awsVault');

  before(async () => {
    world = await startWorld();
    seeded = await seedVipWorld(world.pool.get({ region: world.region, endpointUrl: world.moto.url }));
    // aws-vault profiles live in the same shared config file.
    fs.appendFileSync(process.env.AWS_CONFIG_FILE as string, '\n[profile dev]\nregion = eu-west-1\n[profile leaky]\nregion = eu-west-1\n');
  });
  after(async () => {
    await vault.update('path', undefined, vscode.ConfigurationTarget.Global);
    world.api.setHost((await import('../../../src/plumbing/host')).windowHost);
    await world?.dispose();
  });

  it('opens a signed-in EC2 console page in the chosen region through aws-vault login', async () => {
    await vault.update('path', FAKE_AWS_VAULT, vscode.ConfigurationTarget.Global);
    const host = new FakeHost(['eu-west-1', 'EC2', 'dev']);
    world.api.setHost(host);
    await vscode.commands.executeCommand('awsops.openConsole');
    assert.deepEqual(host.unexpected, []);
    assert.equal(host.opened.length, 1, `messages: ${host.messages().join(' | ')}`);
    const url = new URL(host.opened[0]);
    assert.equal(url.origin + url.pathname, 'https://signin.aws.amazon.com/federation');
    assert.equal(url.searchParams.get('Action'), 'login');
    assert.equal(url.searchParams.get('Destination'), 'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Home:');
    assert.ok(url.searchParams.get('SigninToken')?.includes(TEST_SECRET_MARK), 'the fake hands out a marked token');
  });

  it('says clearly when aws-vault fails, without quoting secrets', async () => {
    const host = new FakeHost(['eu-west-1', 'EC2', 'leaky']);
    world.api.setHost(host);
    await vscode.commands.executeCommand('awsops.openConsole');
    assert.equal(host.opened.length, 0);
    const errors = host.messages('error').join('\n');
    assert.match(errors, /aws-vault login failed for profile "leaky"/);
    assert.ok(!errors.includes(TEST_SECRET_MARK));
  });

  it('signs in as without aws-vault for a profile aws-vault keeps no credentials for', async () => {
    const host = new FakeHost(['eu-west-1', 'EC2', 'moto']);
    world.api.setHost(host);
    await vscode.commands.executeCommand('awsops.openConsole');
    assert.deepEqual(host.opened, ['https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Home:'], `messages: ${host.messages().join(' | ')}`);
    assert.ok(host.messages('info').some((m) => /long-term access keys/.test(m)));
  });

  it('deep-links a VPC row to its console page, signing in plainly without aws-vault or temporary keys', async () => {
    await vault.update('path', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('awsops.refresh');
    await world.api.refresh();
    const [region] = world.api.vipRoutes.getRoots();
    const vpc = region.children?.find((c) => c.description?.includes(seeded.vpcId));
    assert.ok(vpc?.console, 'the VPC row names its console page');
    const host = new FakeHost();
    world.api.setHost(host);
    await vscode.commands.executeCommand('awsops.openInConsole', vpc);
    assert.equal(host.opened.length, 1, `messages: ${host.messages().join(' | ')}`);
    assert.match(host.opened[0], new RegExp(`^https://eu-west-1\\.console\\.aws\\.amazon\\.com/vpcconsole/home\\?region=eu-west-1#VpcDetails:VpcId=${seeded.vpcId}`));
    assert.ok(host.messages('info').some((m) => /sign in yourself/.test(m)));
  });

  it('offers the route table, the ENI and the instance of a route row to an ENI, and opens the one picked', async () => {
    const [region] = world.api.vipRoutes.getRoots();
    const vpc = region.children?.find((c) => c.description?.includes(seeded.vpcId));
    const vip = vpc?.children?.find((c) => c.label === seeded.vips.eni.replace('/32', ''));
    const route = vip?.children?.find((c) => c.contextValue === 'routeTable');
    assert.ok(route, 'the ENI VIP has route rows');
    const eni = seeded.enis.bPrimary;
    const host = new FakeHost([`Network interface ${eni}`]);
    world.api.setHost(host);
    await vscode.commands.executeCommand('awsops.openInConsole', route);
    assert.deepEqual(host.shown[0].options.map((o) => o.split(' ')[0]), ['Route', 'Network', 'Instance']);
    assert.equal(host.opened.length, 1, `messages: ${host.messages().join(' | ')}`);
    assert.match(host.opened[0], new RegExp(`/ec2/home\\?region=eu-west-1#NetworkInterface:networkInterfaceId=${eni}`));
  });

  it('never writes a sign-in token or secret key to the log', async () => {
    const logs = filesUnder(world.api.logUri.fsPath);
    assert.ok(logs.length > 0, `no log files under ${world.api.logUri.fsPath}`);
    for (const file of logs) {
      const text = fs.readFileSync(file, 'utf8');
      assert.ok(!text.includes(TEST_SECRET_MARK), `${file} contains a secret`);
      assert.ok(!/SigninToken=|testing\b.*secret/i.test(text), `${file} contains a sign-in URL`);
    }
  });
});
