import assert from 'node:assert/strict';
import * as path from 'node:path';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeInstancesCommand, StartInstancesCommand } from '@aws-sdk/client-ec2';
import { GetScheduleCommand } from '@aws-sdk/client-scheduler';
import * as vscode from 'vscode';
import type { AgentOutcome } from '../../../agent/handler';
import type { AwsSession } from '../../../src/core/session/session';
import type { TreeNode } from '../../../src/plumbing/treeNode';
import { INSTALL, REMOVE } from '../../../src/features/jumpboxes/agentCommands';
import { stateChangeEvent } from '../../support/agentEvents';
import { setEnv } from '../../support/env';
import { createZone, launch, readARecord } from '../../support/jumpboxSeed';
import { renderedText } from '../../support/markdown';
import { MOTO_CREDENTIALS } from '../../support/moto';
import { FakeHost, type Answer } from '../fakeHost';
import { startWorld, type World } from '../world';

const DNS_NAME = 'jump.agent.example.com';
// Every day: a keep-running override until tomorrow 21:00 then always skips tomorrow's 18:00 stop, whatever
// day and hour the suite runs (Sun-Thu had no stop in that window on Thursday evenings and Fridays).
const SCHEDULE = 'Mon-Sun 08:00-18:00 Asia/Jerusalem';

describe('Jumpbox agent (real extension host, moto): DNS follows a start made outside VS Code', () => {
  let world: World;
  let session: AwsSession;
  let zoneId: string;
  let instanceId: string;

  const settings = () => vscode.workspace.getConfiguration('awsops');
  const roots = () => world.api.jumpboxes.getRoots();
  const agentRow = (): TreeNode => {
    const found = roots().find((node) => node.id === `jumpboxAgent:${world.region}`);
    assert.ok(found, `no agent row among ${JSON.stringify(roots().map((n) => n.label))}`);
    return found;
  };
  const row = (): TreeNode => {
    const found = roots().find((node) => node.id === `jumpbox:${world.region}/${instanceId}`);
    assert.ok(found, `no row for ${instanceId}`);
    return found;
  };
  const child = (name: string): TreeNode | undefined => row().children?.find((node) => node.id.endsWith(`/${name}`));
  const refreshView = async () => {
    await vscode.commands.executeCommand('awsops.refresh');
    await world.api.refresh();
  };
  const useHost = (answers: Answer[] = []) => {
    const host = new FakeHost(answers);
    world.api.setHost(host);
    return host;
  };
  const tags = async () =>
    Object.fromEntries(((await session.client('ec2').send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations?.[0]?.Instances?.[0]?.Tags ?? []).map((t) => [t.Key, t.Value]));

  before(async () => {
    world = await startWorld();
    session = world.pool.get({ region: world.region, endpointUrl: world.moto.url });
    zoneId = await createZone(session, 'example.com');
    instanceId = await launch(session, { Name: 'jump-agent', 'awsops:jumpbox': '', 'awsops:dns': DNS_NAME, 'awsops:schedule': SCHEDULE }, 'stopped');
    await settings().update('dnsZones', ['example.com'], vscode.ConfigurationTarget.Global);
    await settings().update('hourlyPrices', { 't2.medium': 0.0464 }, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await settings().update('dnsZones', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('hourlyPrices', undefined, vscode.ConfigurationTarget.Global);
    await world?.dispose();
  });

  it('without the agent, a warning row says what goes stale and offers Install', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.awsops');
    await refreshView();
    const agent = agentRow();
    assert.equal(agent.label, 'Jumpbox agent not installed');
    assert.equal(agent.description, 'DNS goes stale after starts and stops outside VS Code');
    assert.match(agent.contextValue ?? '', /\bjumpboxAgent\.missing\b/);
    assert.match(renderedText(agent.tooltip ?? ''), /after a start by the work-hours schedule, the EC2 console or the CLI, jump\.agent\.example\.com points at last session's released IP/);
  });

  it('installs the agent after a review of its change set and least privilege', async () => {
    const host = useHost([INSTALL]);
    await vscode.commands.executeCommand('awsops.installJumpboxAgent', agentRow());
    const confirm = host.shown.find((s) => s.kind === 'confirm');
    assert.match(confirm?.text ?? '', new RegExp(`^Install the jumpbox agent v\\d+ in ${world.region} \\(stack awsops-jumpbox-agent\\)\\?$`));
    assert.match(confirm?.detail ?? '', new RegExp(`change A and TXT records only in hosted zone example\\.com \\(${zoneId}\\);`));
    assert.match(confirm?.detail ?? '', /^add {2}AgentFunction {2}\(AWS::Lambda::Function\)$/m);
    assert.match(confirm?.detail ?? '', /free tier/);
    assert.deepEqual(host.messages(), [`Jumpbox agent v1 is installed in ${world.region}: DNS records follow every start and stop, and scheduled starts skip holidays and overrides.`]);
    assert.deepEqual(host.unexpected, []);
    const stack = (await session.client('cloudformation').send(new DescribeStacksCommand({ StackName: 'awsops-jumpbox-agent' }))).Stacks?.[0];
    assert.equal(stack?.StackStatus, 'CREATE_COMPLETE');
    assert.equal(agentRow().description, 'v1 · DNS, holidays and overrides handled in AWS');
  });

  it('a start from outside VS Code, delivered to the handler as EventBridge does, shows the record in sync and the agent’s last action', async () => {
    const ec2 = session.client('ec2');
    await ec2.send(new StartInstancesCommand({ InstanceIds: [instanceId] }));
    const ip = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations?.[0]?.Instances?.[0]?.PublicIpAddress;
    assert.ok(ip);
    // The installed code itself (the template embeds dist/agent.js), configured as its stack configures it.
    const restore = setEnv({ AWS_ENDPOINT_URL: world.moto.url, AWS_REGION: world.region, AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey, DNS_ZONES: zoneId, DNS_WAIT_SECONDS: '30' });
    let outcome: AgentOutcome;
    try {
      const extension = vscode.extensions.getExtension('aws-ops.aws-ops');
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundled Lambda file, as Lambda loads it.
      const agent = require(path.join(extension?.extensionPath ?? '', 'dist', 'agent.js')) as { handler(event: unknown): Promise<AgentOutcome> };
      outcome = await agent.handler(stateChangeEvent(world.region, instanceId, 'running'));
    } finally {
      restore();
    }
    assert.deepEqual(outcome, { instanceId, outcome: 'done', message: `running at ${ip}; ${DNS_NAME} → ${ip}` });
    assert.deepEqual(await readARecord(session, zoneId, DNS_NAME), { ips: [ip], ttl: 60 });

    await refreshView();
    assert.equal(child('dns')?.description, `→ ${ip} · in sync`);
    assert.match(child('agent')?.description ?? '', new RegExp(`^\\w{3} \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d: running at ${ip.replace(/\./g, '\\.')}; ${DNS_NAME.replace(/\./g, '\\.')} → `));
  });

  it('keeps it running until tomorrow 21:00: tag, one-time schedule at the end, stops marked skipped; Clear Override undoes it', async () => {
    const host = useHost(['tomorrow 21:00', 'Keep Running']);
    await vscode.commands.executeCommand('awsops.keepJumpboxRunningUntil', row());
    assert.deepEqual(host.unexpected, []);
    const value = (await tags())['awsops:override'] ?? '';
    assert.match(value, /^running-until=\d{4}-\d\d-\d\dT(18|19):00:00Z$/);
    const end = await session.client('scheduler').send(new GetScheduleCommand({ Name: `awsops-${instanceId}-override` }));
    assert.equal(end.ScheduleExpression, `at(${value.slice('running-until='.length, -1)})`);
    const schedule = child('schedule');
    assert.match(schedule?.description ?? '', /^keep running until \d{4}-\d\d-\d\d \d\d:00 UTC · /);
    assert.match(schedule?.contextValue ?? '', /\bjumpbox\.override\b/);
    assert.ok(schedule?.children?.some((c) => /^stop · skipped: keep running until /.test(c.description ?? '')), JSON.stringify(schedule?.children?.map((c) => c.description)));

    const clear = useHost();
    await vscode.commands.executeCommand('awsops.clearJumpboxOverride', row());
    assert.equal((await tags())['awsops:override'], undefined);
    assert.deepEqual(clear.messages(), [`jump-agent (${instanceId}): override cleared; the work hours apply again.`]);
  });

  it('removes the agent in one step after a confirm', async () => {
    const host = useHost([REMOVE]);
    await vscode.commands.executeCommand('awsops.removeJumpboxAgent', agentRow());
    assert.deepEqual(host.messages(), [`The jumpbox agent is removed from ${world.region}.`]);
    assert.equal(agentRow().label, 'Jumpbox agent not installed');
    await assert.rejects(session.client('cloudformation').send(new DescribeStacksCommand({ StackName: 'awsops-jumpbox-agent' })), /does not exist/);
  });
});
