import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { GetRoleCommand, GetRolePolicyCommand, NoSuchEntityException, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { DeleteScheduleCommand, GetScheduleCommand, GetScheduleGroupCommand, ResourceNotFoundException } from '@aws-sdk/client-scheduler';
import { parseSchedule, type WorkSchedule } from '../../../../src/core/jumpbox/schedule';
import { applyJumpboxSchedule, readJumpboxSchedule, removeJumpboxSchedule } from '../../../../src/core/jumpbox/scheduler';
import { useMoto } from '../../../support/useMoto';
import { launch, world, type World } from '../../../support/jumpboxSeed';

const MUTATING = /^(Create|Update|Put|Delete|Tag)/;

function parsed(text: string): WorkSchedule {
  const result = parseSchedule(text);
  if (!result.ok) throw new Error(result.error);
  return result.schedule;
}

const seedSchedule = parsed('Sun-Thu 08:00-18:00 Asia/Jerusalem');

describe('jumpbox schedules on moto: EventBridge Scheduler + a least-privilege role', () => {
  const moto = useMoto();
  let w: World;
  let instanceId: string;

  beforeEach(async () => {
    w = world(moto);
    instanceId = await launch(w.session, { Name: 'jump', 'awsops:jumpbox': '', 'awsops:schedule': 'Sun-Thu 08:00-18:00 Asia/Jerusalem' });
  });

  const getSchedule = (kind: 'start' | 'stop', GroupName?: string) =>
    w.session.client('scheduler').send(new GetScheduleCommand({ Name: `awsops-${instanceId}-${kind}`, GroupName }));
  const policyJson = (document?: string) => JSON.parse(decodeURIComponent(document ?? '{}'));

  it('creates the role (trusted by scheduler.amazonaws.com, start/stop on this instance only) and both schedules', async () => {
    const result = await applyJumpboxSchedule(w.session, instanceId, seedSchedule);
    const roleName = `awsops-jumpbox-${instanceId}`;
    assert.deepEqual({ ...result, roleArn: undefined }, { roleArn: undefined, role: 'created', start: 'created', stop: 'created' });
    assert.equal(result.roleArn, `arn:aws:iam::123456789012:role/awsops/${roleName}`);

    const iam = w.session.client('iam');
    const role = await iam.send(new GetRoleCommand({ RoleName: roleName }));
    const trust = policyJson(role.Role?.AssumeRolePolicyDocument);
    assert.deepEqual(trust.Statement[0].Principal, { Service: 'scheduler.amazonaws.com' });
    assert.deepEqual(trust.Statement[0].Condition, { StringEquals: { 'aws:SourceAccount': '123456789012' } });
    const inline = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: 'start-stop-one-instance' }));
    assert.deepEqual(policyJson(inline.PolicyDocument).Statement, [
      { Effect: 'Allow', Action: ['ec2:StartInstances', 'ec2:StopInstances'], Resource: `arn:aws:ec2:eu-west-1:123456789012:instance/${instanceId}` },
    ]);

    const start = await getSchedule('start');
    assert.equal(start.ScheduleExpression, 'cron(0 8 ? * SUN-THU *)');
    assert.equal(start.ScheduleExpressionTimezone, 'Asia/Jerusalem');
    assert.equal(start.State, 'ENABLED');
    assert.equal(start.Target?.Arn, 'arn:aws:scheduler:::aws-sdk:ec2:startInstances');
    assert.equal(start.Target?.RoleArn, result.roleArn);
    assert.deepEqual(JSON.parse(start.Target?.Input ?? ''), { InstanceIds: [instanceId] });
    const stop = await getSchedule('stop');
    assert.equal(stop.ScheduleExpression, 'cron(0 18 ? * SUN-THU *)');
    assert.equal(stop.Target?.Arn, 'arn:aws:scheduler:::aws-sdk:ec2:stopInstances');

    const state = await readJumpboxSchedule(w.session, instanceId, seedSchedule);
    assert.equal(state.status, 'in-sync');
    assert.equal(state.message, 'Applied in AWS: Sun-Thu 08:00-18:00 Asia/Jerusalem.');
  });

  it('re-applying the same schedule changes nothing and makes no mutating call', async () => {
    await applyJumpboxSchedule(w.session, instanceId, seedSchedule);
    w.mark();
    const again = await applyJumpboxSchedule(w.session, instanceId, seedSchedule);
    assert.deepEqual([again.role, again.start, again.stop], ['unchanged', 'unchanged', 'unchanged']);
    assert.deepEqual(w.callsSinceMark().filter((op) => MUTATING.test(op)), []);
  });

  it('a changed schedule updates both schedules in place and leaves the role alone', async () => {
    await applyJumpboxSchedule(w.session, instanceId, seedSchedule);
    const later = parsed('Mon-Fri 09:30-17:00 Europe/Berlin');
    assert.equal((await readJumpboxSchedule(w.session, instanceId, later)).status, 'differs');
    w.mark();
    const result = await applyJumpboxSchedule(w.session, instanceId, later);
    assert.deepEqual([result.role, result.start, result.stop], ['unchanged', 'updated', 'updated']);
    assert.deepEqual(w.callsSinceMark().filter((op) => MUTATING.test(op)), ['UpdateSchedule', 'UpdateSchedule']);
    const start = await getSchedule('start');
    assert.equal(start.ScheduleExpression, 'cron(30 9 ? * MON-FRI *)');
    assert.equal(start.ScheduleExpressionTimezone, 'Europe/Berlin');
    assert.equal((await readJumpboxSchedule(w.session, instanceId, later)).status, 'in-sync');
  });

  it('remove deletes both schedules and the role; removing again finds nothing and does not fail', async () => {
    await applyJumpboxSchedule(w.session, instanceId, seedSchedule);
    const removed = await removeJumpboxSchedule(w.session, instanceId);
    assert.deepEqual(removed, { deletedSchedules: [`awsops-${instanceId}-start`, `awsops-${instanceId}-stop`], roleDeleted: true });
    await assert.rejects(getSchedule('start'), ResourceNotFoundException);
    await assert.rejects(w.session.client('iam').send(new GetRoleCommand({ RoleName: `awsops-jumpbox-${instanceId}` })), NoSuchEntityException);
    assert.equal((await readJumpboxSchedule(w.session, instanceId, seedSchedule)).status, 'absent');
    assert.deepEqual(await removeJumpboxSchedule(w.session, instanceId), { deletedSchedules: [], roleDeleted: false });
  });

  it('repairs a half-removed setup: a missing schedule is recreated, a tampered policy rewritten', async () => {
    await applyJumpboxSchedule(w.session, instanceId, seedSchedule);
    await w.session.client('scheduler').send(new DeleteScheduleCommand({ Name: `awsops-${instanceId}-stop` }));
    await w.session.client('iam').send(
      new PutRolePolicyCommand({
        RoleName: `awsops-jumpbox-${instanceId}`,
        PolicyName: 'start-stop-one-instance',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }] }),
      }),
    );
    assert.equal((await readJumpboxSchedule(w.session, instanceId, seedSchedule)).status, 'partial');
    const result = await applyJumpboxSchedule(w.session, instanceId, seedSchedule);
    assert.deepEqual([result.role, result.start, result.stop], ['updated', 'unchanged', 'created']);
    const inline = await w.session.client('iam').send(new GetRolePolicyCommand({ RoleName: `awsops-jumpbox-${instanceId}`, PolicyName: 'start-stop-one-instance' }));
    assert.equal(policyJson(inline.PolicyDocument).Statement[0].Resource, `arn:aws:ec2:eu-west-1:123456789012:instance/${instanceId}`);
  });

  it('uses a named schedule group, creating it when missing', async () => {
    const progress: string[] = [];
    await applyJumpboxSchedule(w.session, instanceId, seedSchedule, { groupName: 'jumpboxes', onProgress: (m) => progress.push(m) });
    await w.session.client('scheduler').send(new GetScheduleGroupCommand({ Name: 'jumpboxes' }));
    assert.equal((await getSchedule('start', 'jumpboxes')).GroupName, 'jumpboxes');
    await assert.rejects(getSchedule('start'), ResourceNotFoundException);
    assert.deepEqual(progress, [`role awsops-jumpbox-${instanceId}`, `schedule awsops-${instanceId}-start`, `schedule awsops-${instanceId}-stop`]);
    assert.equal((await readJumpboxSchedule(w.session, instanceId, seedSchedule, { groupName: 'jumpboxes' })).status, 'in-sync');
    assert.equal((await removeJumpboxSchedule(w.session, instanceId, { groupName: 'jumpboxes' })).deletedSchedules.length, 2);
  });
});
