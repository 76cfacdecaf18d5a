import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dnsTarget, type HostedZoneInfo } from '../../../../src/core/jumpbox/dns';
import { hostNameProblem, zoneListed } from '../../../../src/core/jumpbox/dnsPolicy';

const zones: HostedZoneInfo[] = [
  { id: 'ZCOM', name: 'example.com', privateZone: false },
  { id: 'ZDEV', name: 'dev.example.com', privateZone: false },
  { id: 'ZINT', name: 'internal.example.com', privateZone: true },
  { id: 'ZORG', name: 'example.org', privateZone: false },
];

/** "ZONE name" when AWS Ops may write it, else "refused: …" / "no-zone: …". */
function target(dnsTag: string, listed: string[], hostedZoneTag?: string): string {
  const t = dnsTarget({ dnsName: dnsTag, hostedZone: hostedZoneTag }, zones, listed);
  return t.ok ? `${t.zone.id} ${t.name}` : `${t.status}: ${t.message}`;
}

describe('which DNS names a jumpbox tag may make AWS Ops write', () => {
  it('writes a plain host name inside a listed zone, listed by name or id', () => {
    assert.equal(target('jump.example.com', ['example.com']), 'ZCOM jump.example.com');
    assert.equal(target('Jump.Example.COM.', ['ZCOM']), 'ZCOM jump.example.com');
    assert.equal(target('jump.dev.example.com', ['/hostedzone/ZDEV']), 'ZDEV jump.dev.example.com');
    assert.equal(target('jump-1.dev.example.com', ['dev.example.com.']), 'ZDEV jump-1.dev.example.com');
  });

  it('refuses a zone that is not listed, and writes nothing when the setting is empty', () => {
    assert.equal(target('jump.example.org', ['example.com']), 'refused: Hosted zone example.org is not in setting awsops.dnsZones: add example.org or ZORG to let AWS Ops manage jump.example.org.');
    assert.match(target('jump.example.com', []), /^refused: Hosted zone example\.com is not in setting awsops\.dnsZones/);
    // The name's own zone decides, not a listed parent: dev.example.com is delegated and not listed.
    assert.match(target('jump.dev.example.com', ['example.com']), /^refused: Hosted zone dev\.example\.com is not in setting/);
    // A hosted-zone tag cannot widen the list.
    assert.match(target('www.example.org', ['example.com'], 'ZORG'), /^refused: Hosted zone example\.org is not in setting/);
  });

  it('refuses the apex of a zone, even a listed one', () => {
    assert.equal(target('example.com', ['example.com']), 'refused: example.com is the apex of hosted zone example.com: AWS Ops never writes a zone\'s apex.');
    assert.match(target('dev.example.com.', ['ZDEV']), /^refused: dev\.example\.com is the apex of hosted zone dev\.example\.com/);
  });

  it('refuses wildcards, written plainly or as Route53 escapes them', () => {
    assert.equal(target('*.example.com', ['example.com']), 'refused: "*.example.com" is a wildcard name: AWS Ops only writes plain host names.');
    assert.equal(target('\\052.example.com', ['example.com']), 'refused: "\\052.example.com" contains an escape (\\ddd): AWS Ops only writes plain host names.');
    assert.match(target('jump.*.example.com', ['example.com']), /is a wildcard name/);
  });

  it('refuses escaped octets and anything but letters, digits and inner hyphens', () => {
    assert.match(target('\\106ump.example.com', ['example.com']), /contains an escape/);
    assert.match(target('_awsops.jump.example.com', ['example.com']), /label "_awsops" may hold only letters, digits and inner hyphens/);
    assert.match(target('jump-.example.com', ['example.com']), /label "jump-"/);
    assert.match(target('ju mp.example.com', ['example.com']), /label "ju mp"/);
    assert.match(target('jump..example.com', ['example.com']), /label ""/);
    assert.match(target('jump', ['example.com']), /not a fully qualified host name/);
    assert.match(target(`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(50)}.example.com`, ['example.com']), /longer than 245 characters/);
  });

  it('writes a private zone only when it is listed by id, never by a name it shares with a public zone', () => {
    assert.equal(target('db.internal.example.com', ['ZINT'], 'ZINT'), 'ZINT db.internal.example.com');
    assert.match(target('db.internal.example.com', ['internal.example.com'], 'ZINT'), /^refused: Hosted zone internal\.example\.com is not in setting awsops\.dnsZones: add its id ZINT \(a private zone is only written when listed by id\)/);
    assert.match(target('db.internal.example.com', ['example.com'], 'ZINT'), /^refused: /);
    assert.equal(zoneListed(zones[2], ['internal.example.com']), false);
    assert.equal(zoneListed(zones[2], ['zint']), true);
  });

  it('reports a name no zone holds as such, not as refused', () => {
    assert.match(target('jump.nowhere.test', ['example.com']), /^no-zone: No public hosted zone matches jump\.nowhere\.test/);
  });

  it('accepts ordinary host names', () => {
    for (const name of ['jump.example.com', 'jump.example.com.', 'a1-b2.c3.example.com', 'x.y']) assert.equal(hostNameProblem(name), undefined, name);
  });
});
