import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { discoverJumpboxes, discoverJumpboxesInRegions } from '../../../../src/core/jumpbox/discovery';
import { parseSchedule } from '../../../../src/core/jumpbox/schedule';
import { startJumpboxes, stopJumpboxes } from '../../../../src/core/jumpbox/startStop';
import { motoPool } from '../../../support/moto';
import { useMoto } from '../../../support/useMoto';
import { createZone, launch, readARecord, world, type World } from '../../../support/jumpboxSeed';

const MUTATING = /^(Start|Stop|Terminate|Run|Create|Change|Update|Put|Delete)/;

describe('jumpboxes on moto: discovery, start and stop', () => {
  const moto = useMoto();
  let w: World;

  beforeEach(() => {
    w = world(moto);
  });

  async function state(instanceId: string): Promise<{ state?: string; publicIp?: string }> {
    const output = await w.session.client('ec2').send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    const instance = output.Reservations?.[0]?.Instances?.[0];
    return { state: instance?.State?.Name, publicIp: instance?.PublicIpAddress };
  }

  it('finds only instances carrying the jumpbox tag key, with their DNS, schedule and Custodian tags', async () => {
    const jump = await launch(w.session, {
      Name: 'jump-tlv',
      'awsops:jumpbox': '',
      'awsops:dns': 'jump.example.com',
      'awsops:schedule': 'Sun-Thu 08:00-18:00 Asia/Jerusalem',
      MAID_OFFHOURS: 'off=(M-F,19);on=(M-F,7);tz=pt',
    });
    const bad = await launch(w.session, { Name: 'jump-bad', 'awsops:jumpbox': 'yes', 'awsops:schedule': 'Sun-Thr 08:00-18:00 UTC' }, 'stopped');
    await launch(w.session, { Name: 'web' });
    w.mark();
    const found = await discoverJumpboxes(w.session);
    assert.deepEqual(w.callsSinceMark(), ['DescribeInstances']);
    assert.deepEqual(found.map((j) => [j.instanceId, j.state]), [[bad, 'stopped'], [jump, 'running']]);
    const tlv = found[1];
    assert.equal(tlv.dnsName, 'jump.example.com');
    assert.equal(tlv.instanceType, 't2.medium');
    assert.match(tlv.publicIp ?? '', /^\d+\.\d+\.\d+\.\d+$/);
    assert.equal(tlv.custodianText, 'off=(M-F,19);on=(M-F,7);tz=pt');
    assert.equal(parseSchedule(tlv.scheduleText ?? '').ok, true);
    const badSchedule = parseSchedule(found[0].scheduleText ?? '');
    assert.equal(badSchedule.ok, false);
    if (!badSchedule.ok) assert.equal(badSchedule.token, 'Thr');
  });

  it('honours a custom tag key and reports each region on its own', async () => {
    await launch(w.session, { Name: 'bastion', 'team:bastion': 'true' });
    const pool = motoPool();
    const results = await discoverJumpboxesInRegions(pool, { endpointUrl: moto.url }, ['eu-west-1', 'us-east-1'], 'team:bastion');
    assert.deepEqual(results.map((r) => [r.region, r.ok, r.ok ? r.jumpboxes.map((j) => j.name) : r.error.code]), [
      ['eu-west-1', true, ['bastion']],
      ['us-east-1', true, []],
    ]);
  });

  it('stops a running jumpbox, then starts it: new public IP, A record written with TTL 60 and read back, ssh command', async () => {
    const zoneId = await createZone(w.session, 'example.com');
    const id = await launch(w.session, { Name: 'jump', 'awsops:jumpbox': '', 'awsops:dns': 'jump.example.com' });
    const ipBefore = (await state(id)).publicIp;

    const [stopped] = await stopJumpboxes(w.session, [id]);
    assert.equal(stopped.kind, 'stopped', stopped.message);
    assert.equal((await state(id)).state, 'stopped');

    const progress: string[] = [];
    w.mark();
    const [started] = await startJumpboxes(w.session, [id], { dnsZones: ['example.com'], onProgress: (instanceId, message) => progress.push(`${instanceId} ${message}`) });
    const startCalls = w.callsSinceMark();
    assert.equal(started.kind, 'started', started.message);
    const now = await state(id);
    assert.equal(now.state, 'running');
    assert.ok(now.publicIp);
    assert.notEqual(now.publicIp, ipBefore, 'moto gives a new public IP on each start, as EC2 does');
    assert.equal(started.publicIp, now.publicIp);
    assert.deepEqual(started.dns, { ok: true, name: 'jump.example.com', zoneId, ip: now.publicIp, changed: true });
    assert.deepEqual(await readARecord(w.session, zoneId, 'jump.example.com'), { ips: [now.publicIp], ttl: 60 });
    assert.equal(started.sshCommand, 'ssh ec2-user@jump.example.com');
    assert.equal(started.message, `jump (${id}) is running at ${now.publicIp}; jump.example.com → ${now.publicIp}.`);
    assert.deepEqual(progress, [
      `${id} jump (${id}): starting`,
      `${id} jump (${id}): waiting until running`,
      `${id} jump (${id}): updating jump.example.com → ${now.publicIp} and waiting until Route53 is in sync`,
    ]);
    assert.deepEqual(startCalls, [
      'DescribeInstances',
      'StartInstances',
      'DescribeInstances',
      'DescribeInstances',
      'ListHostedZones',
      'ListResourceRecordSets',
      'ListResourceRecordSets',
      'ChangeResourceRecordSets',
      'GetChange',
      'ListResourceRecordSets',
      'ListResourceRecordSets',
    ]);
  });

  it('cancel: before the call nothing changes; a start cancelled while waiting is stopped again; a stop says it goes on', async () => {
    const id = await launch(w.session, { Name: 'jump', 'awsops:jumpbox': '' }, 'stopped');
    const early = new AbortController();
    early.abort();
    w.mark();
    const [none] = await startJumpboxes(w.session, [id], { signal: early.signal });
    assert.equal(none.kind, 'cancelled');
    assert.equal(none.message, `jump (${id}) was not started (cancelled).`);
    assert.equal(w.callsSinceMark().filter((op) => MUTATING.test(op)).length, 0);

    const late = new AbortController();
    w.mark();
    const [undone] = await startJumpboxes(w.session, [id], { signal: late.signal, onProgress: (_id, message) => message.endsWith(': starting') && late.abort() });
    assert.equal(undone.kind, 'cancelled', undone.message);
    assert.equal(undone.message, `jump (${id}): start cancelled, so it is being stopped again.`);
    assert.deepEqual(w.callsSinceMark().filter((op) => MUTATING.test(op)), ['StartInstances', 'StopInstances']);
    assert.equal((await state(id)).state, 'stopped');

    const up = await launch(w.session, { Name: 'up', 'awsops:jumpbox': '' });
    const stopping = new AbortController();
    const [stop] = await stopJumpboxes(w.session, [up], { signal: stopping.signal, onProgress: (_id, message) => message.endsWith(': stopping') && stopping.abort() });
    assert.equal(stop.kind, 'cancelled');
    assert.match(stop.message, /stop cancelled while waiting, but EC2 had the stop request already and finishes stopping it/);
  });

  it('is a no-op with a message when already there', async () => {
    const running = await launch(w.session, { Name: 'up', 'awsops:jumpbox': '' });
    const stopped = await launch(w.session, { Name: 'down', 'awsops:jumpbox': '' }, 'stopped');
    w.mark();
    const [start] = await startJumpboxes(w.session, [running]);
    const [stop] = await stopJumpboxes(w.session, [stopped]);
    assert.equal(start.kind, 'already');
    assert.match(start.message, /^up \(i-\w+\) is already running at \d+\.\d+\.\d+\.\d+\.$/);
    assert.equal(start.sshCommand, `ssh ec2-user@${start.publicIp}`);
    assert.equal(stop.kind, 'already');
    assert.equal(stop.message, `down (${stopped}) is already stopped.`);
    assert.deepEqual(w.callsSinceMark(), ['DescribeInstances', 'DescribeInstances']);
  });

  it('refuses a terminated jumpbox without a single mutating call', async () => {
    const zoneId = await createZone(w.session, 'example.com');
    const gone = await launch(w.session, { Name: 'old', 'awsops:jumpbox': '', 'awsops:dns': 'old.example.com' }, 'terminated');
    w.mark();
    const [start] = await startJumpboxes(w.session, [gone]);
    const [stop] = await stopJumpboxes(w.session, [gone]);
    assert.equal(start.kind, 'refused');
    assert.equal(start.message, `old (${gone}) is terminated: a terminated instance cannot be started.`);
    assert.equal(stop.kind, 'refused');
    assert.equal(w.callsSinceMark().filter((op) => MUTATING.test(op)).length, 0, w.callsSinceMark().join(', '));
    assert.equal((await state(gone)).state, 'terminated');
    assert.equal(await readARecord(w.session, zoneId, 'old.example.com'), undefined);
  });

  it('starts several at once, each with its own outcome, in the order asked', async () => {
    await createZone(w.session, 'example.com');
    const a = await launch(w.session, { Name: 'a', 'awsops:jumpbox': '', 'awsops:dns': 'a.example.com' }, 'stopped');
    const b = await launch(w.session, { Name: 'b', 'awsops:jumpbox': '' });
    const c = await launch(w.session, { Name: 'c', 'awsops:jumpbox': '' }, 'terminated');
    const d = await launch(w.session, { Name: 'd', 'awsops:jumpbox': '', 'awsops:dns': 'd.example.com' }, 'stopped');
    const missing = 'i-0000000000000000f';
    w.mark();
    const outcomes = await startJumpboxes(w.session, [a, b, c, missing, d], { dnsZones: ['example.com'] });
    assert.deepEqual(outcomes.map((o) => [o.instanceId, o.kind]), [
      [a, 'started'],
      [b, 'already'],
      [c, 'refused'],
      [missing, 'failed'],
      [d, 'started'],
    ]);
    assert.match(outcomes[3].message, /i-0000000000000000f was not found in eu-west-1/);
    assert.equal(outcomes[0].sshCommand, 'ssh ec2-user@a.example.com');
    assert.equal(outcomes[4].sshCommand, 'ssh ec2-user@d.example.com');
    const ops = w.callsSinceMark();
    assert.equal(ops.filter((op) => op === 'StartInstances').length, 2);
    assert.equal(ops.filter((op) => op === 'ListHostedZones').length, 1, 'zones are listed once per batch');
  });

  it('starts a jumpbox whose DNS tag matches no zone, and says so clearly without touching Route53', async () => {
    await createZone(w.session, 'example.com');
    const id = await launch(w.session, { Name: 'lost', 'awsops:jumpbox': '', 'awsops:dns': 'jump.nowhere.test' }, 'stopped');
    w.mark();
    const [started] = await startJumpboxes(w.session, [id]);
    assert.equal(started.kind, 'started');
    assert.deepEqual(started.dns, {
      ok: false,
      name: 'jump.nowhere.test',
      message: 'No public hosted zone matches jump.nowhere.test: create one for its domain, or set tag awsops:hosted-zone to the zone id.',
    });
    assert.match(started.message, /; DNS not updated: No public hosted zone matches jump\.nowhere\.test/);
    assert.equal(started.sshCommand, `ssh ec2-user@${started.publicIp}`);
    assert.ok(!w.callsSinceMark().includes('ChangeResourceRecordSets'));
  });
});
