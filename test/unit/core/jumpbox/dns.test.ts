import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseZone, dnsStatus, normalizeDnsName, type HostedZoneInfo } from '../../../../src/core/jumpbox/dns';

const zones: HostedZoneInfo[] = [
  { id: 'ZCOM', name: 'example.com', privateZone: false },
  { id: 'ZDEV', name: 'dev.example.com', privateZone: false },
  { id: 'ZPRIV', name: 'ops.dev.example.com', privateZone: true },
  { id: 'ZOTHER', name: 'example.org', privateZone: false },
];

function chosen(name: string, tag?: string, list = zones): string {
  const choice = chooseZone(name, list, tag);
  return choice.ok ? choice.zone.id : `error: ${choice.message}`;
}

describe('chooseZone', () => {
  it('takes the public zone with the longest matching suffix; private zones only when named', () => {
    assert.equal(chosen('jump.dev.example.com'), 'ZDEV');
    assert.equal(chosen('jump.ops.dev.example.com'), 'ZDEV');
    assert.equal(chosen('Jump.Example.COM.'), 'ZCOM');
    assert.equal(chosen('example.com'), 'ZCOM');
    assert.equal(chosen('jump.notexample.com'), 'error: No public hosted zone matches jump.notexample.com: create one for its domain, or set tag awsops:hosted-zone to the zone id.');
  });

  it('follows the hosted-zone tag, by id (with or without /hostedzone/) or by name', () => {
    assert.equal(chosen('jump.dev.example.com', 'ZCOM'), 'ZCOM');
    assert.equal(chosen('jump.dev.example.com', '/hostedzone/ZCOM'), 'ZCOM');
    assert.equal(chosen('jump.ops.dev.example.com', 'ZPRIV'), 'ZPRIV');
    assert.equal(chosen('jump.ops.dev.example.com', 'ops.dev.example.com.'), 'ZPRIV');
    assert.match(chosen('jump.example.com', 'ZGONE'), /Tag awsops:hosted-zone names "ZGONE", but no hosted zone/);
    assert.match(chosen('jump.example.com', 'example.org'), /jump.example.com is not inside hosted zone example.org/);
  });

  it('refuses to guess between two public zones of the same name', () => {
    const twins = [...zones, { id: 'ZCOM2', name: 'example.com', privateZone: false }];
    assert.match(chosen('jump.example.com', undefined, twins), /Several public hosted zones are named example.com/);
    assert.match(chosen('jump.example.com', 'example.com', twins), /Several hosted zones are named example.com/);
    assert.equal(chosen('jump.example.com', 'ZCOM2', twins), 'ZCOM2');
  });
});

describe('dnsStatus', () => {
  it('tells in-sync, stale, missing, no public IP, released and alias apart', () => {
    assert.equal(dnsStatus({ ips: ['198.51.100.7'], alias: false }, '198.51.100.7'), 'in-sync');
    assert.equal(dnsStatus({ ips: ['203.0.113.9'], alias: false }, '198.51.100.7'), 'stale');
    assert.equal(dnsStatus({ ips: ['198.51.100.7', '203.0.113.9'], alias: false }, '198.51.100.7'), 'stale');
    assert.equal(dnsStatus(undefined, '198.51.100.7'), 'missing');
    assert.equal(dnsStatus({ ips: ['203.0.113.9'], alias: false }, undefined), 'no-public-ip');
    assert.equal(dnsStatus({ ips: ['203.0.113.9'], alias: false }, undefined, true), 'released', 'its own record at an IP it released');
    assert.equal(dnsStatus({ ips: [], alias: true }, '198.51.100.7'), 'alias');
  });

  it('compares names as Route53 returns them', () => {
    assert.equal(normalizeDnsName('\\052.Example.COM.'), '*.example.com');
  });
});
