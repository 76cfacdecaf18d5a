import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cidrContains, cidrProblem, isHostCidr, isPublicIpv4, nonRoutableRange, parseCidr, parseIp } from '../../../../src/core/net/cidr';

describe('parseIp', () => {
  it('parses IPv4 and IPv6 into numbers', () => {
    assert.deepEqual(parseIp('192.168.55.100'), { version: 4, value: 0xc0a83764n });
    assert.deepEqual(parseIp('0.0.0.0'), { version: 4, value: 0n });
    assert.deepEqual(parseIp('::'), { version: 6, value: 0n });
    assert.deepEqual(parseIp('::1'), { version: 6, value: 1n });
    assert.deepEqual(parseIp('2001:db8::'), { version: 6, value: 0x20010db8n << 96n });
    assert.deepEqual(parseIp('2001:DB8:0:0:0:0:0:1'), { version: 6, value: (0x20010db8n << 96n) | 1n });
    assert.deepEqual(parseIp('1:2:3:4:5:6:7::'), { version: 6, value: 0x00010002000300040005000600070000n });
    assert.deepEqual(parseIp('::ffff:192.0.2.1'), { version: 6, value: 0xffffc0000201n });
  });

  it('rejects what is not an address', () => {
    for (const bad of ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.-4', 'a.b.c.d', '1:2:3:4:5:6:7:8:9', '1::2::3',
      '12345::', ':1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8::', 'g::1', '::1.2.3', '::256.0.0.1', ' 1.2.3.4']) {
      assert.equal(parseIp(bad), undefined, bad);
    }
  });
});

describe('parseCidr', () => {
  it('clears host bits so networks compare equal', () => {
    assert.deepEqual(parseCidr('10.0.5.7/16'), { version: 4, network: 0x0a000000n, prefix: 16 });
    assert.deepEqual(parseCidr('0.0.0.0/0'), { version: 4, network: 0n, prefix: 0 });
    assert.deepEqual(parseCidr('2600:1f18:abc:de12::1/56'), { version: 6, network: 0x26001f180abcde00n << 64n, prefix: 56 });
  });

  it('rejects a missing or oversized prefix', () => {
    for (const bad of ['10.0.0.0', '10.0.0.0/33', '10.0.0.0/', '10.0.0.0/x', '::/129', '10.0.0.0/16/1', '10.0.0.0/0016']) {
      assert.equal(parseCidr(bad), undefined, bad);
    }
  });
});

describe('cidrContains', () => {
  it('contains single addresses and sub-networks of the same family', () => {
    assert.equal(cidrContains('10.0.0.0/16', '10.0.99.100/32'), true);
    assert.equal(cidrContains('10.0.0.0/16', '10.0.255.255/32'), true);
    assert.equal(cidrContains('10.0.0.0/16', '10.1.0.0/32'), false);
    assert.equal(cidrContains('10.0.0.0/16', '10.0.0.0/8'), false);
    assert.equal(cidrContains('10.0.0.0/16', '10.0.4.0/24'), true);
    assert.equal(cidrContains('0.0.0.0/0', '192.168.55.100/32'), true);
    assert.equal(cidrContains('2600:1f18:abc:de00::/56', '2600:1f18:abc:deff::1/128'), true);
    assert.equal(cidrContains('2600:1f18:abc:de00::/56', '2600:1f18:abc:df00::1/128'), false);
    assert.equal(cidrContains(parseCidr('10.0.0.0/16') as NonNullable<ReturnType<typeof parseCidr>>, '10.0.1.1/32'), true);
  });

  it('is false across families and for unparsable input', () => {
    assert.equal(cidrContains('::/0', '10.0.0.1/32'), false);
    assert.equal(cidrContains('0.0.0.0/0', '::ffff:10.0.0.1/128'), false);
    assert.equal(cidrContains('10.0.0.0/16', 'nonsense'), false);
  });
});

describe('isHostCidr', () => {
  it('is true only for /32 IPv4 and /128 IPv6', () => {
    assert.equal(isHostCidr('192.168.55.100/32'), true);
    assert.equal(isHostCidr('2001:db8::1/128'), true);
    assert.equal(isHostCidr('192.168.55.0/24'), false);
    assert.equal(isHostCidr('2001:db8::/64'), false);
    assert.equal(isHostCidr('2001:db8::1/32'), false);
    assert.equal(isHostCidr('192.168.55.100'), false);
  });
});

describe('cidrProblem', () => {
  it('accepts valid CIDRs and explains invalid ones', () => {
    assert.equal(cidrProblem('192.168.55.100/32'), undefined);
    assert.equal(cidrProblem(' 2001:db8::1/128 '), undefined);
    assert.match(cidrProblem('192.168.55.100') ?? '', /no prefix length/);
    assert.match(cidrProblem('192.168.55.300/32') ?? '', /not an IPv4 or IPv6 address/);
    assert.match(cidrProblem('192.168.55.1/40') ?? '', /IPv4 prefix length \(0–32\)/);
    assert.match(cidrProblem('2001:db8::1/129') ?? '', /IPv6 prefix length \(0–128\)/);
    assert.match(cidrProblem('10.0.0.0/abc') ?? '', /not a valid IPv4 prefix/);
  });
});

describe('nonRoutableRange and isPublicIpv4', () => {
  it('names the special-purpose range of every address the internet does not route, edges included', () => {
    const cases: Array<[string, string]> = [
      ['0.0.0.1', '0.0.0.0/8'],
      ['10.0.0.0', '10.0.0.0/8'],
      ['10.255.255.255', '10.0.0.0/8'],
      ['100.64.0.1', '100.64.0.0/10'],
      ['100.127.255.254', '100.64.0.0/10'],
      ['127.0.0.1', '127.0.0.0/8'],
      ['169.254.169.254', '169.254.0.0/16'],
      ['172.16.0.1', '172.16.0.0/12'],
      ['172.31.255.255', '172.16.0.0/12'],
      ['192.0.0.8', '192.0.0.0/24'],
      ['192.0.2.10', '192.0.2.0/24'],
      ['192.168.55.100', '192.168.0.0/16'],
      ['198.18.0.1', '198.18.0.0/15'],
      ['198.19.255.255', '198.18.0.0/15'],
      ['198.51.100.7', '198.51.100.0/24'],
      ['203.0.113.7', '203.0.113.0/24'],
      ['224.0.0.5', '224.0.0.0/4'],
      ['255.255.255.255', '240.0.0.0/4'],
    ];
    for (const [address, cidr] of cases) {
      assert.equal(nonRoutableRange(address)?.cidr, cidr, address);
      assert.equal(isPublicIpv4(address), false, address);
    }
    assert.equal(nonRoutableRange('192.168.1.1')?.name, 'private (RFC 1918)');
  });

  it('calls the addresses just outside those ranges public', () => {
    for (const address of ['8.8.8.8', '1.1.1.1', '9.255.255.255', '11.0.0.0', '100.63.255.255', '100.128.0.0', '172.15.255.255', '172.32.0.0',
      '192.0.1.255', '192.0.3.0', '192.167.255.255', '192.169.0.0', '198.17.255.255', '198.20.0.0', '52.95.110.1', '223.255.255.255']) {
      assert.equal(nonRoutableRange(address), undefined, address);
      assert.equal(isPublicIpv4(address), true, address);
    }
  });

  it('calls nothing public that is not an IPv4 address', () => {
    for (const text of ['', 'example.com', '2001:db8::1', '8.8.8.8/32', ' 8.8.8.8', '008.8.8.8']) assert.equal(isPublicIpv4(text), false, text);
  });
});
