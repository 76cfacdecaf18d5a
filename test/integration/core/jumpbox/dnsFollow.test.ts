/**
 * On moto: a jumpbox's tags cannot make AWS Ops overwrite a DNS record it does not own, and a stop leaves no
 * record pointing at the released IP. Route53 is read directly to see what really changed.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import type { TakeoverQuestion } from '../../../../src/core/jumpbox/dnsFollow';
import { startJumpboxes, stopJumpboxes, syncJumpboxDns } from '../../../../src/core/jumpbox/startStop';
import { useMoto } from '../../../support/useMoto';
import { createZone, launch, putARecord, putOwnedRecord, readARecord, readOwnershipRecord, world, type World } from '../../../support/jumpboxSeed';

const NAME = 'jump.example.com';
const ZONES = ['example.com'];
const owned = (instanceId: string) => [`"heritage=aws-ops,aws-ops/owner=${instanceId}"`];

describe('jumpbox DNS ownership on moto', () => {
  const moto = useMoto();
  let w: World;
  let zoneId: string;

  beforeEach(async () => {
    w = world(moto);
    zoneId = await createZone(w.session, 'example.com');
  });

  const route53Changes = () => w.callsSinceMark().filter((op) => op === 'ChangeResourceRecordSets').length;
  const publicIp = async (id: string) =>
    (await w.session.client('ec2').send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations?.[0]?.Instances?.[0]?.PublicIpAddress;
  /** Answers every takeover question with `yes`, recording it. */
  const answering = (yes: boolean, asked: TakeoverQuestion[] = []) => ({ dnsZones: ZONES, confirmTakeover: async (q: TakeoverQuestion) => (asked.push(q), yes) });

  it('updates a record it owns without asking, in one batch, and keeps owning it', async () => {
    const id = await launch(w.session, { Name: 'jump', 'awsops:jumpbox': '', 'awsops:dns': NAME }, 'stopped');
    await putOwnedRecord(w.session, zoneId, NAME, '203.0.113.9', id);
    const asked: TakeoverQuestion[] = [];
    w.mark();
    const [started] = await startJumpboxes(w.session, [id], answering(false, asked));
    const ip = await publicIp(id);
    assert.deepEqual(started.dns, { ok: true, name: NAME, zoneId, ip, changed: true });
    assert.deepEqual(asked, []);
    assert.equal(route53Changes(), 1);
    assert.deepEqual(await readARecord(w.session, zoneId, NAME), { ips: [ip], ttl: 60 });
    assert.deepEqual(await readOwnershipRecord(w.session, zoneId, NAME), owned(id));
  });

  it('claims a free name with an A and an ownership TXT in one batch', async () => {
    const id = await launch(w.session, { Name: 'jump', 'awsops:jumpbox': '', 'awsops:dns': NAME }, 'stopped');
    w.mark();
    const [started] = await startJumpboxes(w.session, [id], { dnsZones: ZONES });
    assert.equal(started.dns?.ok, true, started.message);
    assert.equal(route53Changes(), 1);
    assert.deepEqual(await readARecord(w.session, zoneId, NAME), { ips: [await publicIp(id)], ttl: 60 });
    assert.deepEqual(await readOwnershipRecord(w.session, zoneId, NAME), owned(id));
  });

  it('never changes a record it does not own unless the user says yes, and shows them both values', async () => {
    const id = await launch(w.session, { Name: 'jump', 'awsops:jumpbox': '', 'awsops:dns': NAME }, 'stopped');
    await putARecord(w.session, zoneId, NAME, '198.51.100.80');
    const asked: TakeoverQuestion[] = [];
    w.mark();
    const [declined] = await startJumpboxes(w.session, [id], answering(false, asked));
    const silent = await syncJumpboxDns(w.session, id, { dnsZones: ZONES });
    assert.equal(route53Changes(), 0, w.callsSinceMark().join(', '));
    assert.deepEqual(await readARecord(w.session, zoneId, NAME), { ips: ['198.51.100.80'], ttl: 300 });
    assert.equal(await readOwnershipRecord(w.session, zoneId, NAME), undefined);
    const ip = await publicIp(id);
    assert.deepEqual(asked.map((q) => ({ name: q.name, zone: q.zone.id, current: q.currentIps, owner: q.owner, next: q.newIp })), [
      { name: NAME, zone: zoneId, current: ['198.51.100.80'], owner: undefined, next: ip },
    ]);
    assert.equal(declined.kind, 'started');
    assert.deepEqual(declined.dns, { ok: false, name: NAME, message: `${NAME} is not managed by AWS Ops: it still points at 198.51.100.80` });
    assert.deepEqual(silent, { ok: false, name: NAME, message: `${NAME} is not managed by AWS Ops: it still points at 198.51.100.80` }, 'no way to ask means no');
    assert.equal(declined.sshCommand, `ssh ec2-user@${ip}`, 'the offered ssh command does not use a name that points elsewhere');

    w.mark();
    const taken = await syncJumpboxDns(w.session, id, answering(true));
    assert.deepEqual(taken, { ok: true, name: NAME, zoneId, ip, changed: true });
    assert.equal(route53Changes(), 1);
    assert.deepEqual(await readARecord(w.session, zoneId, NAME), { ips: [ip], ttl: 60 });
    assert.deepEqual(await readOwnershipRecord(w.session, zoneId, NAME), owned(id));
  });

  it('stop deletes its own A and TXT in one batch and reads them back gone', async () => {
    const id = await launch(w.session, { Name: 'jump', 'awsops:jumpbox': '', 'awsops:dns': NAME });
    const ip = await publicIp(id);
    await putOwnedRecord(w.session, zoneId, NAME, ip ?? '', id);
    const progress: string[] = [];
    w.mark();
    const [stopped] = await stopJumpboxes(w.session, [id], { dnsZones: ZONES, onProgress: (_id, message) => progress.push(message) });
    assert.equal(stopped.kind, 'stopped');
    assert.deepEqual(stopped.dns, { ok: true, name: NAME, zoneId, deletedIps: [ip] });
    assert.equal(stopped.message, `jump (${id}) is stopped; ${NAME} deleted (it pointed at the released IP ${ip}).`);
    assert.equal(route53Changes(), 1);
    assert.deepEqual(w.callsSinceMark().slice(-3), ['GetChange', 'ListResourceRecordSets', 'ListResourceRecordSets'], 'read back after INSYNC');
    assert.ok(progress.includes(`jump (${id}): deleting ${NAME} and waiting until Route53 is in sync`), progress.join('\n'));
    assert.equal(await readARecord(w.session, zoneId, NAME), undefined);
    assert.equal(await readOwnershipRecord(w.session, zoneId, NAME), undefined);

    // Stopped again (say, by its schedule in AWS, which left a record behind): the stop cleans it up too.
    await putOwnedRecord(w.session, zoneId, NAME, '198.51.100.3', id);
    const [again] = await stopJumpboxes(w.session, [id], { dnsZones: ZONES });
    assert.equal(again.kind, 'already');
    assert.equal(again.message, `jump (${id}) is already stopped; ${NAME} deleted (it pointed at the released IP 198.51.100.3).`);
    assert.equal(await readARecord(w.session, zoneId, NAME), undefined);
  });

  it('stop leaves a record it does not own, and says so when it points at the released IP', async () => {
    const id = await launch(w.session, { Name: 'jump', 'awsops:jumpbox': '', 'awsops:dns': NAME });
    const ip = (await publicIp(id)) ?? '';
    await putARecord(w.session, zoneId, NAME, ip);
    w.mark();
    const [stopped] = await stopJumpboxes(w.session, [id], { dnsZones: ZONES });
    assert.equal(route53Changes(), 0);
    assert.equal(stopped.message, `jump (${id}) is stopped; DNS: ${NAME} still points at the released IP ${ip}, but it is not managed by AWS Ops: delete or change it yourself.`);
    assert.deepEqual(await readARecord(w.session, zoneId, NAME), { ips: [ip], ttl: 300 });
  });

  it('two jumpboxes claiming one name: the second asks, and neither start nor stop of it touches the first one\'s record', async () => {
    const first = await launch(w.session, { Name: 'first', 'awsops:jumpbox': '', 'awsops:dns': NAME }, 'stopped');
    const second = await launch(w.session, { Name: 'second', 'awsops:jumpbox': '', 'awsops:dns': NAME }, 'stopped');
    await startJumpboxes(w.session, [first], { dnsZones: ZONES });
    const firstIp = await publicIp(first);
    const asked: TakeoverQuestion[] = [];
    w.mark();
    const [started] = await startJumpboxes(w.session, [second], answering(false, asked));
    const [stopped] = await stopJumpboxes(w.session, [second], { dnsZones: ZONES });
    assert.equal(route53Changes(), 0);
    assert.deepEqual(asked.map((q) => [q.owner, q.currentIps]), [[first, [firstIp]]]);
    assert.deepEqual(started.dns, { ok: false, name: NAME, message: `${NAME} is managed by AWS Ops for ${first}: it still points at ${firstIp}` });
    assert.equal(stopped.dns, undefined);
    assert.deepEqual(await readARecord(w.session, zoneId, NAME), { ips: [firstIp], ttl: 60 });
    assert.deepEqual(await readOwnershipRecord(w.session, zoneId, NAME), owned(first));
  });

  it('refuses names outside the listed zones, the apex and wildcards without a single Route53 change', async () => {
    await createZone(w.session, 'example.org');
    const tags = ['www.example.org', 'example.com', '\\052.example.com', '*.example.com'];
    const ids = await Promise.all(tags.map((dns, i) => launch(w.session, { Name: `j${i}`, 'awsops:jumpbox': '', 'awsops:dns': dns }, 'stopped')));
    w.mark();
    const outcomes = await startJumpboxes(w.session, ids, answering(true));
    assert.equal(route53Changes(), 0);
    assert.deepEqual(outcomes.map((o) => [o.kind, o.dns?.ok, o.dns?.ok === false && o.dns.message.replace(/:.*/, '')]), [
      ['started', false, 'Hosted zone example.org is not in setting awsops.dnsZones'],
      ['started', false, 'example.com is the apex of hosted zone example.com'],
      ['started', false, '"\\052.example.com" contains an escape (\\ddd)'],
      ['started', false, '"*.example.com" is a wildcard name'],
    ]);
  });

  it('Update DNS Record on a stopped jumpbox deletes the record it owns, which points at a released IP', async () => {
    const id = await launch(w.session, { Name: 'jump', 'awsops:jumpbox': '', 'awsops:dns': NAME }, 'stopped');
    await putOwnedRecord(w.session, zoneId, NAME, '198.51.100.3', id);
    assert.deepEqual(await syncJumpboxDns(w.session, id, { dnsZones: ZONES }), { ok: true, name: NAME, zoneId, deletedIps: ['198.51.100.3'] });
    assert.equal(await readARecord(w.session, zoneId, NAME), undefined);
    assert.deepEqual(await syncJumpboxDns(w.session, id, { dnsZones: ZONES }), { ok: false, name: NAME, message: `jump (${id}) has no public IP, and no record of its own to delete` });
  });
});
