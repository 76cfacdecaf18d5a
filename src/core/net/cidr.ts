/**
 * Pure IPv4/IPv6 address and CIDR helpers (no DNS, no zone ids): parsing, validation and containment,
 * as route destinations, VPC CIDRs and VIP inputs need them.
 */
export type IpVersion = 4 | 6;

export interface IpAddress {
  version: IpVersion;
  value: bigint;
}

export interface Cidr {
  version: IpVersion;
  /** The address with the host bits cleared. */
  network: bigint;
  prefix: number;
}

const BITS: Record<IpVersion, number> = { 4: 32, 6: 128 };

export function parseIp(text: string): IpAddress | undefined {
  const value = text.includes(':') ? parseIpv6(text) : parseIpv4(text);
  if (value === undefined) return undefined;
  return { version: text.includes(':') ? 6 : 4, value };
}

/** Parses "a.b.c.d/n" or "x:y::z/n"; host bits may be set (they are cleared, as EC2 compares networks). */
export function parseCidr(text: string): Cidr | undefined {
  const match = /^([^/\s]+)\/(\d{1,3})$/.exec(text.trim());
  if (!match) return undefined;
  const ip = parseIp(match[1]);
  const prefix = Number(match[2]);
  if (!ip || prefix > BITS[ip.version]) return undefined;
  return { version: ip.version, network: ip.value & mask(ip.version, prefix), prefix };
}

/** Returns a message saying what is wrong with a CIDR the user typed, else undefined. */
export function cidrProblem(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed.includes('/')) return `"${text}" has no prefix length: write e.g. 192.168.55.100/32 or 2001:db8::1/128.`;
  const [address, prefix] = trimmed.split('/', 2);
  const ip = parseIp(address);
  if (!ip) return `"${address}" is not an IPv4 or IPv6 address.`;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > BITS[ip.version]) {
    return `"/${prefix}" is not a valid IPv${ip.version} prefix length (0–${BITS[ip.version]}).`;
  }
  return undefined;
}

/** True when every address of `inner` lies in `outer` (an address is a /32 or /128); false across versions. */
export function cidrContains(outer: string | Cidr, inner: string | Cidr): boolean {
  const o = typeof outer === 'string' ? parseCidr(outer) : outer;
  const i = typeof inner === 'string' ? parseCidr(inner) : inner;
  if (!o || !i || o.version !== i.version || i.prefix < o.prefix) return false;
  return (i.network & mask(o.version, o.prefix)) === o.network;
}

/** A single-address route (/32 or /128), the shape of a VIP route. */
export function isHostCidr(text: string): boolean {
  const cidr = parseCidr(text);
  return cidr !== undefined && cidr.prefix === BITS[cidr.version];
}

/**
 * IPv4 ranges the internet does not route (IANA's special-purpose registry, RFC 6890 and its updates): private
 * use, shared CGNAT space, loopback, link-local, protocol assignments, documentation, benchmarking, multicast,
 * reserved. Any other address is public: someone on the internet owns it.
 */
const NON_ROUTABLE_IPV4: ReadonlyArray<[string, string]> = [
  ['0.0.0.0/8', '"this network" (RFC 791)'],
  ['10.0.0.0/8', 'private (RFC 1918)'],
  ['100.64.0.0/10', 'shared address space (RFC 6598)'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private (RFC 1918)'],
  ['192.0.0.0/24', 'IETF protocol assignments (RFC 6890)'],
  ['192.0.2.0/24', 'documentation (TEST-NET-1)'],
  ['192.168.0.0/16', 'private (RFC 1918)'],
  ['198.18.0.0/15', 'benchmarking (RFC 2544)'],
  ['198.51.100.0/24', 'documentation (TEST-NET-2)'],
  ['203.0.113.0/24', 'documentation (TEST-NET-3)'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved (RFC 1112) and broadcast'],
];

/** The non-routable range an IPv4 address lies in ({ cidr, name }), or undefined for a public address or no IPv4 address. */
export function nonRoutableRange(address: string): { cidr: string; name: string } | undefined {
  const ip = parseIp(address);
  if (ip?.version !== 4) return undefined;
  const found = NON_ROUTABLE_IPV4.find(([cidr]) => cidrContains(cidr, `${address}/32`));
  return found && { cidr: found[0], name: found[1] };
}

/** True for an IPv4 address that the internet routes to someone (outside every non-routable range). */
export function isPublicIpv4(address: string): boolean {
  return parseIp(address)?.version === 4 && nonRoutableRange(address) === undefined;
}

function mask(version: IpVersion, prefix: number): bigint {
  const bits = BigInt(BITS[version]);
  const all = (1n << bits) - 1n;
  return (all << (bits - BigInt(prefix))) & all;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    // Leading zeros are rejected: some tools read them as octal.
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  // A dotted IPv4 tail (::ffff:192.0.2.1) becomes its two hex groups first.
  const v4Tail = /^(.*:)(\d+(?:\.\d+){3})$/.exec(text);
  let body = text;
  if (v4Tail) {
    const v4 = parseIpv4(v4Tail[2]);
    if (v4 === undefined) return undefined;
    body = `${v4Tail[1]}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const zeros = 8 - head.length - tail.length;
  if (halves.length === 2 ? zeros < 1 : zeros !== 0) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? zeros : 0).fill('0'), ...tail];
  if (!groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}
