import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import { ownerOf, planPointAt, planRelease, type RecordPair } from '../../../../src/core/jumpbox/dnsOwnership';

const NAME = 'jump.example.com';
const ME = 'i-0aaaaaaaaaaaaaaaa';
const a = (ip: string, ttl = 60): ResourceRecordSet => ({ Name: `${NAME}.`, Type: 'A', TTL: ttl, ResourceRecords: [{ Value: ip }] });
const txt = (value: string): ResourceRecordSet => ({ Name: `_awsops.${NAME}.`, Type: 'TXT', TTL: 60, ResourceRecords: [{ Value: value }] });
const mine = txt(`"heritage=aws-ops,aws-ops/owner=${ME}"`);

/** Each change as "ACTION TYPE value". */
function changes(pair: RecordPair, ip = '198.51.100.1'): string[] | string {
  const plan = planPointAt(pair, NAME, ME, ip);
  if (plan.kind === 'in-sync' || plan.kind === 'left-alone') return plan.kind;
  return [plan.kind, ...plan.changes.map((c) => `${c.Action} ${c.ResourceRecordSet?.Type} ${c.ResourceRecordSet?.ResourceRecords?.[0]?.Value}`)];
}

describe('ownership TXT records', () => {
  it('reads the owner from the TXT value, quoted as Route53 returns it, and nothing from other TXT values', () => {
    assert.equal(ownerOf(mine), ME);
    assert.equal(ownerOf(txt('"aws-ops/owner=i-1, heritage=aws-ops"')), 'i-1');
    assert.equal(ownerOf(txt('"v=spf1 -all"')), undefined);
    assert.equal(ownerOf(txt('"aws-ops/owner=i-1"')), undefined, 'no heritage, no claim');
    assert.equal(ownerOf(undefined), undefined);
  });
});

describe('planPointAt', () => {
  it('claims a free name: A and TXT created in one batch', () => {
    assert.deepEqual(changes({}), ['write', 'CREATE A 198.51.100.1', `CREATE TXT "heritage=aws-ops,aws-ops/owner=${ME}"`]);
  });

  it('moves its own record with a DELETE of the values just read, so a concurrent change fails the batch', () => {
    assert.deepEqual(changes({ a: a('203.0.113.9'), txt: mine }), ['write', 'DELETE A 203.0.113.9', 'CREATE A 198.51.100.1']);
    assert.deepEqual(changes({ txt: mine }), ['write', 'CREATE A 198.51.100.1']);
    assert.deepEqual(changes({ a: a('198.51.100.1', 300), txt: mine }), ['write', 'DELETE A 198.51.100.1', 'CREATE A 198.51.100.1'], 'TTL back to 60');
    assert.equal(changes({ a: a('198.51.100.1'), txt: mine }), 'in-sync');
  });

  it('asks before replacing a record it does not own, or one another jumpbox claims', () => {
    const foreign = planPointAt({ a: a('203.0.113.9', 300) }, NAME, ME, '198.51.100.1');
    assert.equal(foreign.kind, 'takeover');
    assert.deepEqual(foreign.kind === 'takeover' && { ips: foreign.currentIps, owner: foreign.owner }, { ips: ['203.0.113.9'], owner: undefined });
    assert.deepEqual(changes({ a: a('198.51.100.1') }), ['takeover', 'DELETE A 198.51.100.1', 'CREATE A 198.51.100.1', `CREATE TXT "heritage=aws-ops,aws-ops/owner=${ME}"`]);
    const other = txt('"heritage=aws-ops,aws-ops/owner=i-0bbbbbbbbbbbbbbbb"');
    const claimed = planPointAt({ a: a('203.0.113.9'), txt: other }, NAME, ME, '198.51.100.1');
    assert.deepEqual(claimed.kind === 'takeover' && claimed.owner, 'i-0bbbbbbbbbbbbbbbb');
    assert.deepEqual(changes({ txt: other }), ['takeover', 'CREATE A 198.51.100.1', 'DELETE TXT "heritage=aws-ops,aws-ops/owner=i-0bbbbbbbbbbbbbbbb"', `CREATE TXT "heritage=aws-ops,aws-ops/owner=${ME}"`]);
  });

  it('leaves alias and routing-policy records alone, even with its own TXT', () => {
    assert.equal(changes({ a: { Name: NAME, Type: 'A', AliasTarget: { HostedZoneId: 'Z', DNSName: 'lb.example.net', EvaluateTargetHealth: false } }, txt: mine }), 'left-alone');
    assert.equal(changes({ a: { ...a('203.0.113.9'), SetIdentifier: 'blue', Weight: 10 } }), 'left-alone');
  });
});

describe('planRelease', () => {
  it('deletes its own A and TXT together, exactly as read', () => {
    assert.deepEqual(planRelease({ a: a('198.51.100.1'), txt: mine }, ME), [
      { Action: 'DELETE', ResourceRecordSet: a('198.51.100.1') },
      { Action: 'DELETE', ResourceRecordSet: mine },
    ]);
    assert.deepEqual(planRelease({ txt: mine }, ME), [{ Action: 'DELETE', ResourceRecordSet: mine }]);
  });

  it('deletes nothing it does not own', () => {
    assert.deepEqual(planRelease({ a: a('198.51.100.1') }, ME), []);
    assert.deepEqual(planRelease({ a: a('198.51.100.1'), txt: txt('"heritage=aws-ops,aws-ops/owner=i-other"') }, ME), []);
    assert.deepEqual(planRelease({}, ME), []);
  });
});
