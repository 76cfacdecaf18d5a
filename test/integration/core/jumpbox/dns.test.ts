import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { CreateVpcCommand } from '@aws-sdk/client-ec2';
import { checkDnsForJumpboxes, listHostedZones, lookupRecordSet } from '../../../../src/core/jumpbox/dns';
import { discoverJumpboxes } from '../../../../src/core/jumpbox/discovery';
import { syncJumpboxDns } from '../../../../src/core/jumpbox/startStop';
import { useMoto } from '../../../support/useMoto';
import { createZone, launch, putARecord, putOwnedRecord, readARecord, world, type World } from '../../../support/jumpboxSeed';

const ZONES = ['example.com'];

describe('jumpbox DNS on moto: stale detection and the one-click fix', () => {
  const moto = useMoto();
  let w: World;

  beforeEach(() => {
    w = world(moto);
  });

  it('detects a stale record it owns, fixes it (TTL 60), and then sees it in sync', async () => {
    const zoneId = await createZone(w.session, 'example.com');
    const id = await launch(w.session, { Name: 'jump', 'awsops:jumpbox': '', 'awsops:dns': 'jump.example.com' });
    await putOwnedRecord(w.session, zoneId, 'jump.example.com', '203.0.113.9', id);
    const [jumpbox] = await discoverJumpboxes(w.session);
    const publicIp = jumpbox.publicIp as string;

    const stale = (await checkDnsForJumpboxes(w.session.client('route53'), [jumpbox], ZONES)).get(id);
    assert.equal(stale?.status, 'stale');
    assert.equal(stale?.managed, true);
    assert.equal(stale?.message, `jump.example.com points at 203.0.113.9, but the public IP is ${publicIp}`);

    const fix = await syncJumpboxDns(w.session, id, { dnsZones: ZONES });
    assert.deepEqual(fix, { ok: true, name: 'jump.example.com', zoneId, ip: publicIp, changed: true });
    assert.deepEqual(await readARecord(w.session, zoneId, 'jump.example.com'), { ips: [publicIp], ttl: 60 });

    const fixed = (await checkDnsForJumpboxes(w.session.client('route53'), [jumpbox], ZONES)).get(id);
    assert.equal(fixed?.status, 'in-sync');
    w.mark();
    assert.equal((await syncJumpboxDns(w.session, id, { dnsZones: ZONES })).ok, true);
    assert.ok(!w.callsSinceMark().includes('ChangeResourceRecordSets'), 'an in-sync record is not rewritten');
  });

  it('tells missing, stopped (no public IP), no zone, refused, foreign and untagged apart, listing zones once', async () => {
    const zoneId = await createZone(w.session, 'example.com');
    const missing = await launch(w.session, { Name: 'a', 'awsops:jumpbox': '', 'awsops:dns': 'a.example.com' });
    const stopped = await launch(w.session, { Name: 'b', 'awsops:jumpbox': '', 'awsops:dns': 'b.example.com' }, 'stopped');
    const nowhere = await launch(w.session, { Name: 'c', 'awsops:jumpbox': '', 'awsops:dns': 'c.nowhere.test' });
    const untagged = await launch(w.session, { Name: 'd', 'awsops:jumpbox': '' });
    const wildcard = await launch(w.session, { Name: 'e', 'awsops:jumpbox': '', 'awsops:dns': '\\052.example.com' });
    const foreign = await launch(w.session, { Name: 'f', 'awsops:jumpbox': '', 'awsops:dns': 'f.example.com' }, 'stopped');
    await putARecord(w.session, zoneId, 'f.example.com', '203.0.113.20');
    const jumpboxes = await discoverJumpboxes(w.session);
    w.mark();
    const checks = await checkDnsForJumpboxes(w.session.client('route53'), jumpboxes, ZONES);
    assert.equal(w.callsSinceMark().filter((op) => op === 'ListHostedZones').length, 1);
    assert.equal(checks.get(missing)?.status, 'missing');
    assert.equal(checks.get(stopped)?.status, 'no-public-ip');
    assert.equal(checks.get(stopped)?.message, 'b.example.com has no A record; the instance has no public IP now');
    assert.equal(checks.get(nowhere)?.status, 'no-zone');
    assert.match(checks.get(nowhere)?.message ?? '', /No public hosted zone matches c\.nowhere\.test/);
    assert.equal(checks.has(untagged), false);
    assert.equal(checks.get(wildcard)?.status, 'refused');
    assert.match(checks.get(wildcard)?.message ?? '', /contains an escape/);
    assert.deepEqual([checks.get(foreign)?.status, checks.get(foreign)?.managed], ['no-public-ip', false]);
    assert.equal(checks.get(foreign)?.message, 'f.example.com points at 203.0.113.20 (not managed by AWS Ops); the instance has no public IP now');
  });

  it('prefers the longest public suffix, ignores a private twin, and follows the hosted-zone tag', async () => {
    const vpc = await w.session.client('ec2').send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }));
    const parent = await createZone(w.session, 'example.com');
    const child = await createZone(w.session, 'dev.example.com');
    const privateTwin = await createZone(w.session, 'dev.example.com', vpc.Vpc?.VpcId);
    const byLongest = await launch(w.session, { Name: 'a', 'awsops:jumpbox': '', 'awsops:dns': 'a.dev.example.com' });
    const byTag = await launch(w.session, { Name: 'b', 'awsops:jumpbox': '', 'awsops:dns': 'b.dev.example.com', 'awsops:hosted-zone': parent });
    const byPrivateTag = await launch(w.session, { Name: 'c', 'awsops:jumpbox': '', 'awsops:dns': 'c.dev.example.com', 'awsops:hosted-zone': `/hostedzone/${privateTwin}` });
    const listed = [parent, child, privateTwin];
    const checks = await checkDnsForJumpboxes(w.session.client('route53'), await discoverJumpboxes(w.session), listed);
    assert.equal(checks.get(byLongest)?.zone?.id, child);
    assert.equal(checks.get(byTag)?.zone?.id, parent);
    assert.equal(checks.get(byPrivateTag)?.zone?.id, privateTwin);
    assert.equal((await syncJumpboxDns(w.session, byTag, { dnsZones: listed })).ok, true);
    assert.ok(await readARecord(w.session, parent, 'b.dev.example.com'));
    assert.equal(await readARecord(w.session, child, 'b.dev.example.com'), undefined);
  });

  it('pages through more hosted zones than one ListHostedZones page holds', async () => {
    for (let i = 0; i < 104; i++) await createZone(w.session, `zone${String(i).padStart(3, '0')}.test`);
    const last = await createZone(w.session, 'zzz-last.example');
    w.mark();
    const zones = await listHostedZones(w.session.client('route53'));
    assert.equal(zones.length, 105);
    assert.ok(zones.some((z) => z.id === last && z.name === 'zzz-last.example'));
    assert.equal(w.callsSinceMark().length, 2, 'two pages of 100');
  });

  it('reads no record when the name has none, even though later names exist', async () => {
    const zoneId = await createZone(w.session, 'example.com');
    await putARecord(w.session, zoneId, 'zz.example.com', '203.0.113.10');
    assert.equal(await lookupRecordSet(w.session.client('route53'), zoneId, 'jump.example.com', 'A'), undefined);
    assert.deepEqual((await lookupRecordSet(w.session.client('route53'), zoneId, 'ZZ.example.com.', 'A'))?.ResourceRecords, [{ Value: '203.0.113.10' }]);
  });
});
