import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSchedule } from '../../../../src/core/jumpbox/schedule';
import { desiredSchedule, instanceArn, sameSchedule, schedulerTrustPolicy, startStopPolicy } from '../../../../src/core/jumpbox/scheduler';

const parsed = parseSchedule('Sun-Thu 08:00-18:00 Asia/Jerusalem');
if (!parsed.ok) throw new Error(parsed.error);
const schedule = parsed.schedule;
const target = { region: 'il-central-1', instanceId: 'i-0123456789abcdef0', partition: 'aws', accountId: '123456789012', groupName: 'default' };
const roleArn = 'arn:aws:iam::123456789012:role/awsops/awsops-jumpbox-i-0123456789abcdef0';

describe('scheduler documents', () => {
  it('lets the role start and stop that one instance only', () => {
    const arn = instanceArn('aws', 'il-central-1', '123456789012', 'i-0123456789abcdef0');
    assert.equal(arn, 'arn:aws:ec2:il-central-1:123456789012:instance/i-0123456789abcdef0');
    assert.deepEqual(startStopPolicy(arn), {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['ec2:StartInstances', 'ec2:StopInstances'], Resource: arn }],
    });
  });

  it('trusts EventBridge Scheduler of this account only', () => {
    const trust = schedulerTrustPolicy('123456789012') as { Statement: Array<Record<string, unknown>> };
    assert.deepEqual(trust.Statement[0].Principal, { Service: 'scheduler.amazonaws.com' });
    assert.deepEqual(trust.Statement[0].Condition, { StringEquals: { 'aws:SourceAccount': '123456789012' } });
  });

  it('builds the schedules: cron + time zone, universal target, the instance as input', () => {
    const start = desiredSchedule(target, 'start', schedule, roleArn);
    assert.equal(start.Name, 'awsops-i-0123456789abcdef0-start');
    assert.equal(start.ScheduleExpression, 'cron(0 8 ? * SUN-THU *)');
    assert.equal(start.ScheduleExpressionTimezone, 'Asia/Jerusalem');
    assert.equal(start.Target?.Arn, 'arn:aws:scheduler:::aws-sdk:ec2:startInstances');
    assert.equal(start.Target?.Input, '{"InstanceIds":["i-0123456789abcdef0"]}');
    const stop = desiredSchedule({ ...target, partition: 'aws-cn' }, 'stop', schedule, roleArn);
    assert.equal(stop.ScheduleExpression, 'cron(0 18 ? * SUN-THU *)');
    assert.equal(stop.Target?.Arn, 'arn:aws-cn:scheduler:::aws-sdk:ec2:stopInstances');
  });

  it('sees a schedule as unchanged despite fields AWS adds, and as changed when the cron differs', () => {
    const desired = desiredSchedule(target, 'start', schedule, roleArn);
    assert.ok(desired.Target);
    const echoed = {
      ...desired,
      $metadata: {},
      Arn: 'arn:aws:scheduler:il-central-1:123456789012:schedule/default/x',
      CreationDate: new Date(),
      Target: { ...desired.Target, Input: '{ "InstanceIds": [ "i-0123456789abcdef0" ] }' },
    };
    assert.equal(sameSchedule(echoed, desired), true);
    assert.equal(sameSchedule({ ...echoed, ScheduleExpression: 'cron(0 9 ? * SUN-THU *)' }, desired), false);
    assert.equal(sameSchedule({ ...echoed, ScheduleExpressionTimezone: 'UTC' }, desired), false);
  });
});
