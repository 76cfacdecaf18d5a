/**
 * The jumpbox agent's handler, in-process against moto (which stores Lambda functions but cannot run them),
 * fed the exact events EventBridge and Scheduler deliver. What it did is read from moto directly: the record
 * in Route53, the instance state, and the result tags on the instance.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { CreateTagsCommand, DescribeInstancesCommand, StartInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { handle } from '../../../agent/handler';
import { runtimeFromEnv, type AgentRuntime } from '../../../agent/runtime';
import { HOLIDAYS_PARAMETER } from '../../../src/core/jumpbox/agentStack';
import { isoSeconds, utcText } from '../../../src/core/jumpbox/agentTags';
import { isoDate, localParts } from '../../../src/core/jumpbox/zonedTime';
import { overrideEndEvent, scheduledEvent, stateChangeEvent } from '../../support/agentEvents';
import { setEnv } from '../../support/env';
import { createZone, launch, putARecord, putOwnedRecord, readARecord, readOwnershipRecord, REGION, world, type World } from '../../support/jumpboxSeed';
import { MOTO_CREDENTIALS } from '../../support/moto';
import { useMoto } from '../../support/useMoto';

const NAME = 'jump.example.com';
const SCHEDULE = 'Mon-Sun 08:00-18:00 Asia/Jerusalem';
const HOUR = 3_600_000;

describe('jumpbox agent handler on moto (events as AWS sends them)', () => {
  const moto = useMoto();
  let w: World;
  let zoneId: string;
  let runtime: AgentRuntime;
  let restoreEnv: () => void;

  before(() => {
    // As Lambda runs it: region and credentials from the environment (here pointed at moto), the rest from the stack.
    restoreEnv = setEnv({ AWS_ENDPOINT_URL: moto.url, AWS_REGION: REGION, AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey });
  });
  after(() => restoreEnv());
  beforeEach(async () => {
    w = world(moto);
    zoneId = await createZone(w.session, 'example.com');
    runtime = { ...runtimeFromEnv({ JUMPBOX_TAG_KEY: 'awsops:jumpbox', DNS_ZONES: zoneId, DNS_WAIT_SECONDS: '30' }), log: () => undefined };
  });

  const ec2 = () => w.session.client('ec2');
  const instance = async (id: string) => (await ec2().send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations?.[0]?.Instances?.[0];
  const tags = async (id: string) => Object.fromEntries(((await instance(id))?.Tags ?? []).map((t) => [t.Key, t.Value]));
  const jumpbox = (extra: Record<string, string> = {}, state: 'running' | 'stopped' = 'running') =>
    launch(w.session, { Name: 'jump', 'awsops:jumpbox': '', 'awsops:dns': NAME, ...extra }, state);
  /** Started from outside VS Code (console, CLI, schedule), then EventBridge's event. */
  const startOutside = async (id: string) => {
    await ec2().send(new StartInstancesCommand({ InstanceIds: [id] }));
    return handle(stateChangeEvent(REGION, id, 'running'), runtime);
  };

  it('on running, points the record at the new public IP (TTL 60) with its ownership TXT, reads it back, and says so in a tag', async () => {
    const id = await jumpbox({}, 'stopped');
    const outcome = await startOutside(id);
    const ip = (await instance(id))?.PublicIpAddress;
    assert.ok(ip);
    assert.deepEqual(outcome, { instanceId: id, outcome: 'done', message: `running at ${ip}; ${NAME} → ${ip}` });
    assert.deepEqual(await readARecord(w.session, zoneId, NAME), { ips: [ip], ttl: 60 });
    assert.deepEqual(await readOwnershipRecord(w.session, zoneId, NAME), [`"heritage=aws-ops,aws-ops/owner=${id}"`]);
    assert.match((await tags(id))['awsops:last-action'] ?? '', new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ running at ${ip.replace(/\./g, '\\.')}; ${NAME} → `));
    assert.equal((await tags(id))['awsops:last-error'], undefined);
  });

  it('updates the record it owns after a restart, and deletes it (A and TXT) when the box stops', async () => {
    const id = await jumpbox({}, 'stopped');
    await putOwnedRecord(w.session, zoneId, NAME, '203.0.113.9', id);
    await startOutside(id);
    const ip = (await instance(id))?.PublicIpAddress as string;
    assert.deepEqual(await readARecord(w.session, zoneId, NAME), { ips: [ip], ttl: 60 });

    await ec2().send(new StopInstancesCommand({ InstanceIds: [id] }));
    const stopped = await handle(stateChangeEvent(REGION, id, 'stopped'), runtime);
    assert.deepEqual(stopped, { instanceId: id, outcome: 'done', message: `stopped; ${NAME} deleted (it pointed at the released IP ${ip})` });
    assert.equal(await readARecord(w.session, zoneId, NAME), undefined);
    assert.equal(await readOwnershipRecord(w.session, zoneId, NAME), undefined);
  });

  it('never replaces a record it does not own: it stays, and the error is in awsops:last-error', async () => {
    const id = await jumpbox({}, 'stopped');
    await putARecord(w.session, zoneId, NAME, '198.51.100.7');
    const outcome = await startOutside(id);
    assert.equal(outcome.outcome, 'failed');
    assert.deepEqual(await readARecord(w.session, zoneId, NAME), { ips: ['198.51.100.7'], ttl: 300 });
    assert.equal(await readOwnershipRecord(w.session, zoneId, NAME), undefined);
    assert.match((await tags(id))['awsops:last-error'] ?? '', /DNS not updated: jump\.example\.com is not managed by AWS Ops: it still points at 198\.51\.100\.7$/);

    // Nor does a stop delete it.
    await ec2().send(new StopInstancesCommand({ InstanceIds: [id] }));
    await handle(stateChangeEvent(REGION, id, 'stopped'), runtime);
    assert.deepEqual(await readARecord(w.session, zoneId, NAME), { ips: ['198.51.100.7'], ttl: 300 });
  });

  it('reports a missing zone, and a zone outside its allowed list, in the tags without writing anything', async () => {
    const nowhere = await launch(w.session, { 'awsops:jumpbox': '', 'awsops:dns': 'jump.nowhere.test' }, 'stopped');
    await startOutside(nowhere);
    assert.match((await tags(nowhere))['awsops:last-error'] ?? '', /DNS not updated: No public hosted zone matches jump\.nowhere\.test/);

    const otherZone = await createZone(w.session, 'other.test');
    const refused = await launch(w.session, { 'awsops:jumpbox': '', 'awsops:dns': 'jump.other.test' }, 'stopped');
    await startOutside(refused);
    assert.match((await tags(refused))['awsops:last-error'] ?? '', /Hosted zone other\.test is not in setting awsops\.dnsZones/);
    assert.equal(await readARecord(w.session, otherZone, 'jump.other.test'), undefined);
  });

  it('ignores an instance without the jumpbox tag, and events it does not handle: nothing written', async () => {
    const other = await launch(w.session, { Name: 'web', 'awsops:dns': NAME }, 'stopped');
    const outcome = await startOutside(other);
    assert.deepEqual(outcome, { instanceId: other, outcome: 'ignored', message: `${other} is not a jumpbox (no tag awsops:jumpbox)` });
    assert.deepEqual(await tags(other), { Name: 'web', 'awsops:dns': NAME });
    assert.equal(await readARecord(w.session, zoneId, NAME), undefined);
    assert.equal((await handle({ source: 'aws.s3', detail: {} }, runtime)).outcome, 'ignored');
  });

  it('skips a scheduled start on a holiday (in the schedule’s time zone), and starts on other days', async () => {
    const id = await jumpbox({ 'awsops:schedule': SCHEDULE }, 'stopped');
    // 23:30 UTC is already the next day in Jerusalem: the holiday is that day's.
    const at = new Date('2026-12-24T23:30:00Z');
    const holiday = isoDate(localParts(at.getTime(), 'Asia/Jerusalem'));
    assert.equal(holiday, '2026-12-25');
    await w.session.client('ssm').send(new PutParameterCommand({ Name: HOLIDAYS_PARAMETER, Type: 'String', Value: JSON.stringify([holiday]), Overwrite: true }));
    const skipped = await handle(scheduledEvent('start', id, at), runtime);
    assert.deepEqual(skipped, { instanceId: id, outcome: 'skipped', message: 'scheduled start skipped: holiday 2026-12-25' });
    assert.equal((await instance(id))?.State?.Name, 'stopped');

    const started = await handle(scheduledEvent('start', id, new Date('2026-12-24T06:00:00Z')), runtime);
    assert.deepEqual(started, { instanceId: id, outcome: 'done', message: 'scheduled start: started' });
    assert.equal((await instance(id))?.State?.Name, 'running');
    assert.match((await tags(id))['awsops:last-action'] ?? '', / scheduled start: started$/);
  });

  it('honours Keep Running Until… over a scheduled stop, and stops once it has expired (removing the tag)', async () => {
    const id = await jumpbox({ 'awsops:schedule': SCHEDULE });
    const until = isoSeconds(new Date(Date.now() + HOUR));
    await ec2().send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'awsops:override', Value: `running-until=${until}` }] }));
    const kept = await handle(scheduledEvent('stop', id, new Date()), runtime);
    assert.equal(kept.outcome, 'skipped');
    assert.equal(kept.message, `scheduled stop skipped: keep running until ${utcText(new Date(until))}`);
    assert.equal((await instance(id))?.State?.Name, 'running');

    const ended = isoSeconds(new Date(Date.now() - 60_000));
    await ec2().send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'awsops:override', Value: `running-until=${ended}` }] }));
    const stopped = await handle(scheduledEvent('stop', id, new Date()), runtime);
    assert.deepEqual(stopped, { instanceId: id, outcome: 'done', message: 'scheduled stop: stopped' });
    assert.equal((await instance(id))?.State?.Name, 'stopped');
    assert.equal((await tags(id))['awsops:override'], undefined, 'an ended override expires on its own');
  });

  it('at an override’s end (its one-time schedule) does what the work hours call for, unless the override changed', async () => {
    // No work hours: "keep running until" ends in a stop.
    const id = await jumpbox();
    const later = isoSeconds(new Date(Date.now() + HOUR));
    await ec2().send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'awsops:override', Value: `running-until=${later}` }] }));
    const replaced = await handle(overrideEndEvent(id, isoSeconds(new Date(Date.now() - 1000))), runtime);
    assert.equal(replaced.outcome, 'skipped', 'the end of an override that was since replaced does nothing');
    assert.equal((await instance(id))?.State?.Name, 'running');
    assert.equal((await tags(id))['awsops:override'], `running-until=${later}`);

    const until = isoSeconds(new Date(Date.now() - 1000));
    await ec2().send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'awsops:override', Value: `running-until=${until}` }] }));
    const outcome = await handle(overrideEndEvent(id, until), runtime);
    assert.deepEqual(outcome, { instanceId: id, outcome: 'done', message: `keep running until ${utcText(new Date(until))} ended: stopped` });
    assert.equal((await instance(id))?.State?.Name, 'stopped');
    assert.equal((await tags(id))['awsops:override'], undefined);
  });

  it('acts on the state the instance is in now when an event arrives late', async () => {
    const id = await jumpbox({}, 'stopped');
    const late = await handle(stateChangeEvent(REGION, id, 'running'), runtime);
    assert.equal(late.outcome, 'skipped');
    assert.equal(await readARecord(w.session, zoneId, NAME), undefined);
  });
});
