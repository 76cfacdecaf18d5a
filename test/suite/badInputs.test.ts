import assert from 'node:assert/strict';
import { CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateKeyPairCommand, CreateTagsCommand, DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import * as vscode from 'vscode';
import type { AwsSession } from '../../src/core/session/session';
import type { TreeNode } from '../../src/plumbing/treeNode';
import { createSubnet, createVpc, findMainRouteTable } from '../support/ec2Seed';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { createZone, launch } from '../support/jumpboxSeed';
import { seedPairWorld, type PairWorld } from '../support/pairWorld';
import { FakeHost, type Answer } from './fakeHost';
import { startWorld, type World } from './world';

/**
 * Bad input to every command that changes AWS, each through the real command in the real extension host: each
 * gets a message that says what is wrong, and not one mutating call reaches AWS. The product talks to moto
 * through the fault proxy, which counts every request by action; seeding and retagging go to moto directly.
 */
interface Case {
  name: string;
  /** Runs the command with its answers; may change settings or tags first (each case restores its own). */
  run: () => Promise<FakeHost>;
  /** Must match something the product said: a refusal at a wizard step, a notification, or a prompt. */
  says: RegExp;
}

describe('Bad input to every command: a clear message, no call that changes AWS (real extension host, moto behind a counting proxy)', () => {
  let world: World;
  let proxy: FaultProxy;
  let session: AwsSession;
  let pair: PairWorld;
  let vpcId: string;
  let subnets: [string, string];
  let mainTable: string;
  let imageId: string;
  let stopped: string;
  let running: string;
  let terminated: string;

  const settings = () => vscode.workspace.getConfiguration('awsops');
  const run = async (command: string, answers: Answer[] = [], ...args: unknown[]) => {
    const host = new FakeHost(answers);
    world.api.setHost(host);
    await vscode.commands.executeCommand(command, ...args);
    return host;
  };
  /** With a setting changed for one command, then put back. */
  const withSetting = async (key: string, value: unknown, body: () => Promise<FakeHost>) => {
    const before = settings().inspect(key)?.globalValue;
    await settings().update(key, value, vscode.ConfigurationTarget.Global);
    try {
      return await body();
    } finally {
      await settings().update(key, before, vscode.ConfigurationTarget.Global);
    }
  };
  const retag = (instanceId: string, key: string, value: string) =>
    session.client('ec2').send(new CreateTagsCommand({ Resources: [instanceId], Tags: [{ Key: key, Value: value }] }));
  const jumpboxRow = (instanceId: string, state: string): TreeNode => ({ id: `jumpbox:${world.region}/${instanceId}`, label: instanceId, data: { kind: 'jumpbox', region: world.region, instanceId, state } });
  const pairRow = (pairName: string, region = world.region): TreeNode => ({ id: `pair:${region}/${pairName}`, label: pairName, contextValue: 'pair', data: { pairName, region } });
  /** The wizard's answers up to (not including) a step, then the bad answer, then cancel. */
  const wizard = (before: () => Answer[], bad: Answer[]) => () => run('awsops.provisionPair', [...before(), ...bad, undefined]);
  const upToVip = () => ['web-bad', vpcId, subnets[0], subnets[1], 'Internal (route VIP)'];
  const upToType = () => [...upToVip(), '192.168.77.1', [mainTable]];

  before(async () => {
    world = await startWorld('us-east-1');
    session = world.pool.get({ region: world.region, endpointUrl: world.moto.url });
    const ec2 = session.client('ec2');
    vpcId = await createVpc(ec2, '10.40.0.0/16');
    subnets = [await createSubnet(ec2, vpcId, '10.40.1.0/24', 'us-east-1a'), await createSubnet(ec2, vpcId, '10.40.2.0/24', 'us-east-1b')];
    mainTable = await findMainRouteTable(ec2, vpcId);
    await ec2.send(new CreateKeyPairCommand({ KeyName: 'ops-key' }));
    const parameter = await session.client('ssm').send(new GetParameterCommand({ Name: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64' }));
    imageId = parameter.Parameter?.Value as string;
    pair = await seedPairWorld(ec2, { tables: 2, kind: 'instance' });
    await session.client('cloudformation').send(
      new CreateStackCommand({ StackName: 'awsops-pair-ghost', TemplateBody: JSON.stringify({ Resources: { Handle: { Type: 'AWS::CloudFormation::WaitConditionHandle' } } }) }),
    );
    await createZone(session, 'example.com');
    await createZone(session, 'other.org');
    stopped = await launch(session, { Name: 'jump-stopped', 'awsops:jumpbox': '', 'awsops:schedule': 'Sun-Thu 08:00-18:00 UTC' }, 'stopped');
    running = await launch(session, { Name: 'jump-running', 'awsops:jumpbox': '', 'awsops:dns': 'jump.example.com' }, 'running');
    terminated = await launch(session, { Name: 'jump-gone', 'awsops:jumpbox': '' }, 'terminated');
    await settings().update('dnsZones', ['example.com', 'other.org'], vscode.ConfigurationTarget.Global);
    proxy = await startFaultProxy({ target: world.moto.url });
    // Every call of the product now goes through the counting proxy.
    await settings().update('endpointUrl', proxy.url, vscode.ConfigurationTarget.Global);
    await world.api.refresh();
  });
  after(async () => {
    world.api.setHost((await import('../../src/plumbing/host')).windowHost);
    await settings().update('dnsZones', undefined, vscode.ConfigurationTarget.Global);
    await world?.dispose();
    await proxy?.stop();
  });

  const cases: Case[] = [];
  const add = (name: string, says: RegExp, runIt: () => Promise<FakeHost>) => cases.push({ name, says, run: runIt });

  // Provision wizard: each refused at its step, with why.
  for (const [name, says] of [
    ['Web', /lowercase letters, digits and hyphens only; remove "W"/],
    ['web;rm -rf ~', /remove ";", " ", "~"/],
    ['$(touch /tmp/pwned)', /remove "\$", "\("/],
    ['1web', /starts with a letter/],
    ['web-', /does not end with a hyphen/],
    ['web--a', /no two hyphens in a row/],
    ['w'.repeat(33), /at most 32 characters \(this one has 33\)/],
    ['', /Enter a pair name/],
  ] as const) {
    add(`provision: pair name ${JSON.stringify(name.slice(0, 20))}`, says, wizard(() => [], [name]));
  }
  for (const [vip, says] of [
    ['10.40.7.7', /10\.40\.7\.7 is inside the VPC CIDR 10\.40\.0\.0\/16/],
    ['not-an-ip', /"not-an-ip" is not an IPv4 address/],
    ['127.0.0.1', /127\.0\.0\.1 is a loopback address/],
    ['169.254.169.254', /169\.254\.169\.254 is link-local; EC2 uses this range for instance metadata/],
    ['224.0.0.18', /224\.0\.0\.18 is a multicast address/],
    ['255.255.255.255', /255\.255\.255\.255 is reserved \(or the broadcast address\)/],
    ['0.0.0.0', /0\.0\.0\.0 is not a usable host address/],
    ['192.168.77.1/32', /"192\.168\.77\.1\/32" is not an IPv4 address: enter the VIP as a plain address/],
    [' 192.168.77.1', /" 192\.168\.77\.1" is not an IPv4 address/],
    ['192.168.077.1', /"192\.168\.077\.1" is not an IPv4 address/],
    ['2001:db8::1', /"2001:db8::1" is not an IPv4 address/],
    ['192.168.77.1; reboot', /is not an IPv4 address/],
  ] as const) {
    add(`provision: VIP ${JSON.stringify(vip)}`, says, wizard(upToVip, [vip]));
  }
  add('provision: a public VIP typed back wrong', /Type 8\.8\.8\.8 exactly to route this public address/, wizard(upToVip, ['8.8.8.8', '8.8.8.9']));
  add('provision: a public VIP not confirmed', /52\.95\.110\.1 is a public address: a \/32 route to it sends everything in the VPC/, wizard(upToVip, ['52.95.110.1']));
  for (const [type, says] of [
    ['t3 small', /"t3 small" is not an instance type/],
    ['T3.SMALL', /"T3\.SMALL" is not an instance type/],
    ['t3.small;reboot', /"t3\.small;reboot" is not an instance type/],
  ] as const) {
    add(`provision: instance type ${JSON.stringify(type)}`, says, wizard(() => [...upToType(), '$(edit) Other instance type…'], [type]));
  }
  for (const [ami, says] of [
    ['ami-123', /"ami-123" is not an AMI id/],
    ['ami-0123456789abcdef0; rm', /is not an AMI id/],
  ] as const) {
    add(`provision: AMI ${JSON.stringify(ami)}`, says, wizard(() => [...upToType(), 't3.small', '$(edit) Enter an AMI id…'], [ami]));
  }
  const upToKey = () => [...upToType(), 't3.small', imageId];
  for (const [cidr, says] of [
    ['10.0.0.1/16', /SSH CIDR 10\.0\.0\.1\/16 has host bits set: did you mean 10\.0\.0\.0\/16/],
    ['0.0.0.0', /SSH CIDR "0\.0\.0\.0" is not an IPv4 CIDR/],
    ['10.0.0.0/33', /SSH CIDR "10\.0\.0\.0\/33" is not an IPv4 CIDR/],
  ] as const) {
    add(`provision: SSH CIDR ${JSON.stringify(cidr)}`, says, wizard(() => [...upToKey(), 'ops-key'], [cidr]));
  }
  for (const [listeners, says] of [
    ['80 -> ', /Write a listener as "PORT\[\/tcp\|\/http\] -> HOST:PORT/],
    ['80 -> 10.0.0.1', /Backend "10\.0\.0\.1" has no port: write HOST:PORT/],
    ['0 -> 10.0.0.1:80', /Listen port 0 is not a port \(1–65535\)/],
    ['70000 -> 10.0.0.1:80', /Listen port 70000 is not a port/],
    ['8404 -> 10.0.0.1:80', /Port 8404 is haproxy's health and stats port/],
    ['80 -> $(reboot):80', /"\$\(reboot\)" is neither an IPv4 address nor a DNS name/],
    ['80/udp -> 10.0.0.1:80', /Write a listener as/],
    ['80 -> 192.168.77.1:80', /Backend 192\.168\.77\.1 is the VIP itself/],
    ['80 -> a.internal:80; 80 -> b.internal:80', /Port 80 has two listeners/],
  ] as const) {
    add(`provision: listeners ${JSON.stringify(listeners)}`, says, wizard(() => [...upToKey(), 'No key pair'], [listeners]));
  }
  for (const [cidr, says] of [
    ['10.0.0.0', /client CIDR "10\.0\.0\.0" is not an IPv4 CIDR/],
    ['10.0.0.1/8', /client CIDR 10\.0\.0\.1\/8 has host bits set/],
    ['::/0', /client CIDR "::\/0" is not an IPv4 CIDR/],
    ['10.0.0.0/8; reboot', /client CIDR .* is not an IPv4 CIDR/],
  ] as const) {
    add(`provision: client CIDR ${JSON.stringify(cidr)}`, says, wizard(() => [...upToKey(), 'No key pair', ''], [cidr]));
  }

  // awsops.sshUser goes into the offered command line: a start with one that is not a user name starts nothing.
  for (const user of ['root;reboot', '$(id)', '`id`', '-oProxyCommand=touch /tmp/pwned', 'ec2 user', 'user@evil.example', 'a'.repeat(33)]) {
    add(`start: awsops.sshUser ${JSON.stringify(user)}`, /is not a user name: use letters, digits.* Nothing was started\./, () =>
      withSetting('sshUser', user, () => run('awsops.startJumpbox', [], jumpboxRow(stopped, 'stopped'))),
    );
  }

  // Schedule tags: Apply refuses to turn them into EventBridge schedules.
  for (const [schedule, says] of [
    ['whenever', /"whenever" has no time span/],
    ['Sun-Thu 25:00-18:00 UTC', /Hour 25 in "25:00" is out of range: use 00 to 23/],
    ['Sun-Thu 08:00-18:00 Mars/Olympus', /Unknown time zone "Mars\/Olympus"/],
    ['Funday 08:00-18:00 UTC', /Unknown day "Funday".*: use Sun, Mon, Tue, Wed, Thu, Fri or Sat/],
    ['Sun-Thu 08:00-18:00 UTC; reboot', /Unexpected "reboot" after the time zone|Unknown time zone "UTC;"/],
    ['', /The schedule is empty|has no awsops:schedule tag/],
  ] as const) {
    add(`apply schedule: tag ${JSON.stringify(schedule)}`, says, async () => {
      await retag(stopped, 'awsops:schedule', schedule);
      return run('awsops.applySchedule', ['Apply'], jumpboxRow(stopped, 'stopped'));
    });
  }

  // DNS names from the awsops:dns tag: the record is not written.
  for (const [name, says] of [
    ['*.example.com', /is a wildcard name: AWS Ops only writes plain host names/],
    ['example.com', /example\.com is the apex of hosted zone example\.com/],
    ['\\052.example.com', /contains an escape/],
    ['jump.nowhere.invalid', /No public hosted zone matches jump\.nowhere\.invalid/],
    ['jump;rm.example.com', /label "jump;rm" may hold only letters, digits and inner hyphens/],
    ['-jump.example.com', /label "-jump" may hold only letters/],
    ['a..example.com', /label "" may hold only letters/],
  ] as const) {
    add(`sync DNS: tag ${JSON.stringify(name)}`, says, async () => {
      await retag(running, 'awsops:dns', name);
      return run('awsops.syncJumpboxDns', [], jumpboxRow(running, 'running'));
    });
  }
  add('sync DNS: a zone not in awsops.dnsZones', /Hosted zone other\.org is not in setting awsops\.dnsZones/, async () => {
    await retag(running, 'awsops:dns', 'jump.other.org');
    return withSetting('dnsZones', ['example.com'], () => run('awsops.syncJumpboxDns', [], jumpboxRow(running, 'running')));
  });

  // Targets that do not exist.
  add('failover: a pair that does not exist', /Pair ghost is no longer in us-east-1: no instance there has tag awsops:pair=ghost/, () => run('awsops.failover', [], pairRow('ghost')));
  add('failover: a pair in a region not chosen', /Pair web is no longer in ap-south-1/, () => run('awsops.failover', [], pairRow('web', 'ap-south-1')));
  add('failover: a VIP no pair serves', /VIP 192\.0\.2\.77\/32 in vpc-\w+ points at no node of an HAProxy pair/, () =>
    run('awsops.failover', [], { id: 'vip', label: '192.0.2.77', contextValue: 'vip', data: { region: world.region, vpcId: pair.vpcId, cidr: '192.0.2.77/32' } }),
  );
  add('check services: a pair that does not exist', /Pair ghost is no longer in us-east-1/, () => run('awsops.checkPairServices', [], pairRow('ghost')));
  add('teardown: the name typed wrong', /"ghos" is not "ghost": nothing was deleted/, () => run('awsops.teardownPair', ['ghos'], pairRow('ghost')));
  add('teardown: the name typed with a command after it', /"ghost; reboot" is not "ghost": nothing was deleted/, () => run('awsops.teardownPair', ['ghost; reboot'], pairRow('ghost')));
  add('teardown: a pair AWS Ops did not provision', /Pair web has no stack awsops-pair-web in us-east-1: AWS Ops tears down only the pairs it provisioned/, () => run('awsops.teardownPair', [], pairRow('web')));
  add('start: a terminated jumpbox', /is terminated: a terminated instance cannot be started/, () => run('awsops.startJumpbox', [], jumpboxRow(terminated, 'terminated')));
  add('stop: a terminated jumpbox', /is terminated: there is nothing to stop/, () => run('awsops.stopJumpbox', [], jumpboxRow(terminated, 'terminated')));
  add('start: an instance that does not exist', /i-0123456789abcdef0 was not found in us-east-1/, () => run('awsops.startJumpbox', [], jumpboxRow('i-0123456789abcdef0', 'stopped')));
  add('sync DNS: an instance that does not exist', /DNS not updated: i-0123456789abcdef0 was not found in us-east-1/, () => run('awsops.syncJumpboxDns', [], jumpboxRow('i-0123456789abcdef0', 'running')));
  add('apply schedule: an instance that does not exist', /i-0123456789abcdef0 is no longer a jumpbox in us-east-1/, () => run('awsops.applySchedule', [], jumpboxRow('i-0123456789abcdef0', 'stopped')));

  // Where calls would go: profiles with shell metacharacters and impossible regions stop every mutating command.
  for (const [profile, command, args] of [
    ['moto; rm -rf ~', 'awsops.failover', () => [pairRow('web')]],
    ['$(touch /tmp/pwned)', 'awsops.startJumpbox', () => [jumpboxRow(stopped, 'stopped')]],
    ['`id`', 'awsops.provisionPair', () => []],
    ['moto && reboot', 'awsops.teardownPair', () => [pairRow('ghost')]],
    ['--help', 'awsops.applySchedule', () => [jumpboxRow(stopped, 'stopped')]],
  ] as const) {
    const quoted = profile.replace(/[$()`?*+[\]{}|^.\\]/g, '\\$&');
    add(`${command}: profile ${JSON.stringify(profile)}`, new RegExp(`AWS Ops changed nothing: Profile "${quoted}" is not in the AWS config or credentials file`), () =>
      withSetting('profile', profile, () => run(command, [], ...args())),
    );
  }
  for (const [region, command, args] of [
    ['us-east-1; reboot', 'awsops.stopJumpbox', () => [jumpboxRow(stopped, 'running')]],
    ['../../etc/passwd', 'awsops.syncJumpboxDns', () => [jumpboxRow(running, 'running')]],
    ['mars-east-1', 'awsops.provisionPair', () => []],
    ['US-EAST-1', 'awsops.failover', () => [pairRow('web')]],
  ] as const) {
    add(`${command}: region ${JSON.stringify(region)}`, new RegExp(`AWS Ops changed nothing: Unknown region "${region.replace(/[.$;]/g, '\\$&')}"`), () =>
      withSetting('regions', [region], () => run(command, [], ...args())),
    );
  }

  it(`has at least 50 cases (${cases.length})`, () => assert.ok(cases.length >= 50));

  for (const c of cases) {
    it(c.name, async () => {
      await world.api.refresh();
      proxy.resetCounts();
      const host = await c.run();
      const said = [...host.refused, ...host.messages(), ...host.shown.filter((s) => s.kind === 'inputBox').map((s) => s.text)];
      assert.ok(said.some((text) => c.says.test(text)), `expected ${c.says} in: ${JSON.stringify(said, undefined, 1)}; unexpected: ${JSON.stringify(host.unexpected)}`);
      assert.equal(proxy.mutatingCount(), 0, `mutating calls: ${JSON.stringify(proxy.counts())}`);
    });
  }

  it('changed nothing in AWS: the jumpboxes are as seeded', async () => {
    const answer = await session.client('ec2').send(new DescribeInstancesCommand({ InstanceIds: [stopped, running] }));
    const states = Object.fromEntries((answer.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => [i.InstanceId, i.State?.Name]));
    assert.deepEqual(states, { [stopped]: 'stopped', [running]: 'running' });
  });
});
