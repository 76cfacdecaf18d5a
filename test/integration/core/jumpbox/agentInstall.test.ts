/**
 * The jumpbox agent's stack on moto, through the same change-set flow as provisioning: created with the built
 * function inline, read as installed (version, function, Scheduler role), schedules and overrides pointed at it,
 * and removed in one step. moto runs no Lambda code; the handler has its own tests (test/integration/agent).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, it } from 'node:test';
import { DescribeStacksCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { GetRoleCommand, GetRolePolicyCommand, NoSuchEntityException } from '@aws-sdk/client-iam';
import { GetScheduleCommand, ResourceNotFoundException } from '@aws-sdk/client-scheduler';
import { GetParameterCommand, ParameterNotFound } from '@aws-sdk/client-ssm';
import { deployAgent, discardAgentPlan, planAgent, readAgentStatus, removeAgent } from '../../../../src/core/jumpbox/agentInstall';
import { AGENT_STACK_NAME, AGENT_VERSION, HOLIDAYS_PARAMETER } from '../../../../src/core/jumpbox/agentStack';
import { clearOverride, readOverride, setOverride } from '../../../../src/core/jumpbox/overrides';
import { parseSchedule } from '../../../../src/core/jumpbox/schedule';
import { applyJumpboxSchedule, readJumpboxSchedule } from '../../../../src/core/jumpbox/scheduler';
import { createZone, launch, world, type World } from '../../../support/jumpboxSeed';
import { useMoto } from '../../../support/useMoto';

const BUILT = join(__dirname, '..', '..', '..', '..', '..', 'dist', 'agent.js');
const SCHEDULE = parseSchedule('Sun-Thu 08:00-18:00 Asia/Jerusalem');

describe('jumpbox agent stack on moto', () => {
  const moto = useMoto();
  let w: World;
  let code: string;

  beforeEach(() => {
    w = world(moto);
    assert.ok(existsSync(BUILT), 'dist/agent.js is missing: run node scripts/build.mjs');
    code = readFileSync(BUILT, 'utf8');
  });

  const install = async (jumpboxTagKey = 'awsops:jumpbox') => {
    const plan = await planAgent(w.session, { code, jumpboxTagKey, dnsZones: ['example.com'] });
    return { plan, result: await deployAgent(w.session, plan, ['2026-12-25'], { pollMs: 50 }) };
  };
  const stack = async () => (await w.session.client('cloudformation').send(new DescribeStacksCommand({ StackName: AGENT_STACK_NAME }))).Stacks?.[0];

  it('creates the stack from a reviewed change set: the function with the built code, its rule, roles and the holidays', async () => {
    const zoneId = await createZone(w.session, 'example.com');
    const plan = await planAgent(w.session, { code, jumpboxTagKey: 'awsops:jumpbox', dnsZones: ['example.com', 'gone.example'] });
    assert.equal(plan.type, 'CREATE');
    assert.deepEqual([plan.zones.map((z) => z.id), plan.unmatchedZones], [[zoneId], ['gone.example']]);
    assert.deepEqual(plan.changes.map((c) => `${c.action} ${c.logicalId} ${c.resourceType}`).sort(), [
      'add AgentFunction AWS::Lambda::Function',
      'add AgentLogGroup AWS::Logs::LogGroup',
      'add AgentRole AWS::IAM::Role',
      'add SchedulerRole AWS::IAM::Role',
      'add StateChangePermission AWS::Lambda::Permission',
      'add StateChangeRule AWS::Events::Rule',
    ]);
    assert.equal((await stack())?.StackStatus, 'REVIEW_IN_PROGRESS', 'nothing exists before the review');

    const result = await deployAgent(w.session, plan, ['2026-12-31', '2026-12-25'], { pollMs: 50 });
    assert.deepEqual(result, { ok: true, status: 'CREATE_COMPLETE' });
    const resources = (await w.session.client('cloudformation').send(new ListStackResourcesCommand({ StackName: AGENT_STACK_NAME }))).StackResourceSummaries ?? [];
    assert.ok(resources.every((r) => r.ResourceStatus === 'CREATE_COMPLETE'));
    // The agent role's Route53 statements name the allowed zone, not "*".
    const agentRole = resources.find((r) => r.LogicalResourceId === 'AgentRole')?.PhysicalResourceId as string;
    const policy = await w.session.client('iam').send(new GetRolePolicyCommand({ RoleName: agentRole, PolicyName: 'jumpbox-agent' }));
    assert.match(policy.PolicyDocument ?? '', new RegExp(`arn:aws:route53:::hostedzone/${zoneId}`));
    const holidays = await w.session.client('ssm').send(new GetParameterCommand({ Name: HOLIDAYS_PARAMETER }));
    assert.equal(holidays.Parameter?.Value, '["2026-12-25","2026-12-31"]');

    const status = await readAgentStatus(w.session);
    assert.deepEqual({ ...status, schedulerRoleArn: undefined }, {
      region: 'eu-west-1',
      installed: true,
      version: AGENT_VERSION,
      stackStatus: 'CREATE_COMPLETE',
      functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:awsops-jumpbox-agent',
      schedulerRoleArn: undefined,
    });
    const schedulerRole = await w.session.client('iam').send(new GetRoleCommand({ RoleName: resources.find((r) => r.LogicalResourceId === 'SchedulerRole')?.PhysicalResourceId }));
    assert.equal(status.schedulerRoleArn, schedulerRole.Role?.Arn);
  });

  it('says not installed without a stack, and discards a declined change set leaving nothing', async () => {
    assert.deepEqual(await readAgentStatus(w.session), { region: 'eu-west-1', installed: false, version: 0 });
    const plan = await planAgent(w.session, { code, jumpboxTagKey: 'awsops:jumpbox', dnsZones: [] });
    assert.deepEqual(plan.zones, []);
    await discardAgentPlan(w.session, plan);
    assert.equal(await stack().catch(() => undefined), undefined);
  });

  it('updates an installed agent through an UPDATE change set, and says when there is nothing to update', async () => {
    await install();
    await assert.rejects(planAgent(w.session, { code, jumpboxTagKey: 'awsops:jumpbox', dnsZones: ['example.com'] }), /already up to date \(v\d+, the same zones and tag key\): nothing to change/);
    assert.equal((await stack())?.StackStatus, 'CREATE_COMPLETE');
    const { plan, result } = await install('ops:jumpbox');
    assert.equal(plan.type, 'UPDATE');
    assert.deepEqual(result, { ok: true, status: 'UPDATE_COMPLETE' });
  });

  it('points work-hours schedules and overrides at the agent, with its Scheduler role', async () => {
    assert.ok(SCHEDULE.ok);
    await install();
    const agent = await readAgentStatus(w.session);
    const target = { functionArn: agent.functionArn as string, schedulerRoleArn: agent.schedulerRoleArn as string };
    const id = await launch(w.session, { 'awsops:jumpbox': '', 'awsops:schedule': 'Sun-Thu 08:00-18:00 Asia/Jerusalem' });
    // Applied directly first (its own role), then through the agent: the role it no longer needs goes.
    await applyJumpboxSchedule(w.session, id, SCHEDULE.schedule);
    const result = await applyJumpboxSchedule(w.session, id, SCHEDULE.schedule, { agent: target });
    assert.deepEqual([result.role, result.start, result.stop], ['not needed', 'updated', 'updated']);
    await assert.rejects(w.session.client('iam').send(new GetRoleCommand({ RoleName: `awsops-jumpbox-${id}` })), NoSuchEntityException);
    const start = await w.session.client('scheduler').send(new GetScheduleCommand({ Name: `awsops-${id}-start` }));
    assert.equal(start.Target?.Arn, target.functionArn);
    assert.equal(start.Target?.RoleArn, target.schedulerRoleArn);
    assert.deepEqual(JSON.parse(start.Target?.Input ?? ''), { awsops: 'schedule', action: 'start', instanceId: id, scheduledTime: '<aws.scheduler.scheduled-time>' });
    const state = await readJumpboxSchedule(w.session, id, SCHEDULE.schedule);
    assert.deepEqual([state.status, state.viaAgent], ['in-sync', true]);

    const until = new Date('2026-12-03T21:00:00Z');
    assert.deepEqual(await setOverride(w.session, id, { kind: 'running', until }, target), { kind: 'running', until });
    const end = await w.session.client('scheduler').send(new GetScheduleCommand({ Name: `awsops-${id}-override` }));
    assert.deepEqual([end.ScheduleExpression, end.ScheduleExpressionTimezone, end.ActionAfterCompletion, end.Target?.Arn], ['at(2026-12-03T21:00:00)', 'UTC', 'DELETE', target.functionArn]);
    assert.deepEqual(JSON.parse(end.Target?.Input ?? ''), { awsops: 'override-end', instanceId: id, until: '2026-12-03T21:00:00Z' });
    await clearOverride(w.session, id);
    assert.equal(await readOverride(w.session, id), undefined);
    await assert.rejects(w.session.client('scheduler').send(new GetScheduleCommand({ Name: `awsops-${id}-override` })), ResourceNotFoundException);
    const tags = (await w.session.client('ec2').send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations?.[0]?.Instances?.[0]?.Tags ?? [];
    assert.equal(tags.some((t) => t.Key === 'awsops:override'), false);
  });

  it('removes the agent in one step: the stack and the holidays parameter', async () => {
    await install();
    const deletion = await removeAgent(w.session, { pollMs: 50 });
    assert.equal(deletion?.outcome, 'deleted');
    assert.deepEqual(await readAgentStatus(w.session), { region: 'eu-west-1', installed: false, version: 0 });
    await assert.rejects(w.session.client('ssm').send(new GetParameterCommand({ Name: HOLIDAYS_PARAMETER })), ParameterNotFound);
    assert.equal(await removeAgent(w.session), undefined, 'nothing to remove');
  });
});
