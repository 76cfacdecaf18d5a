/** What the "Provision HAProxy Pair" wizard collects, and the checks that keep a bad pair from ever becoming a stack. */
import { cidrContains, isPublicIpv4, parseCidr, parseIp } from '../net/cidr';
import { DEFAULT_STATS_PORT } from './nodePaths';
import { publicSubnetsProblem } from './publicSubnets';

export type ListenerMode = 'tcp' | 'http';

export interface BackendServer {
  /** An IPv4 address or a DNS name. */
  host: string;
  port: number;
}

/** One haproxy frontend (a port on the VIP) and the backend servers it balances over. */
export interface Listener {
  port: number;
  mode: ListenerMode;
  servers: BackendServer[];
}

export interface PairSpec {
  name: string;
  vpcId: string;
  /** Node A's subnet first: node A gets the higher priority and the stack points the VIP routes at it. */
  subnetIds: [string, string];
  /** The VIP as a plain IPv4 address, outside every CIDR of the VPC (a public-only pair's keepalived holds it, nothing routes it). */
  vip: string;
  /** The VIP as the user typed it again to confirm a public address (see publicVipProblem); a public VIP without it is refused. */
  confirmedPublicVip?: string;
  routeTableIds: string[];
  instanceType: string;
  imageId: string;
  keyName?: string;
  /** Where SSH (port 22) is allowed from; only used with a key pair. */
  sshCidr?: string;
  /** The SSH CIDR typed again to confirm SSH from anywhere (see openSshProblem); 0.0.0.0/0 without it is refused. */
  confirmedSshCidr?: string;
  /** Empty: one HTTP listener on port 80 that answers by itself, which proves the VIP path end to end. */
  listeners: Listener[];
  /** Who may reach the haproxy listeners. */
  clientCidr: string;
  /** Interface endpoints (ec2, sts…) the stack adds because the subnets have no other way to the AWS APIs (reachability.ts). */
  endpointServices?: string[];
  /** true: the higher-priority node takes the VIP back when it recovers (a second, planned route move). */
  preempt: boolean;
  /**
   * A public pair: an Elastic IP moves with MASTER (beside the route VIP, or alone when routeTableIds is empty); an
   * allocation id adopts one, else the stack allocates it.
   */
  elasticIp?: { allocationId?: string };
}

export type SpecField = keyof PairSpec;

export interface SpecProblem {
  field: SpecField;
  message: string;
}

/** What the checks need to know about the VPC; `loadVpcFacts` in facts.ts reads it from EC2. */
export interface VpcFacts {
  vpcId: string;
  /** IPv4 CIDRs associated with the VPC. */
  cidrs: string[];
  subnets: Record<string, { availabilityZone: string; vpcId: string; cidr?: string; name?: string }>;
  routeTables: RouteTableFacts[];
}

export interface RouteTableFacts {
  routeTableId: string;
  name?: string;
  isMain: boolean;
  /** IPv4 routes; `target` is the gateway/instance/ENI id EC2 names (e.g. "local", "eni-…", "tgw-…"). */
  routes: Array<{ destination: string; target: string }>;
  /** Subnets associated with the table explicitly (the others use the main table). */
  subnetIds?: string[];
}

export const STACK_NAME_PREFIX = 'awsops-pair-';
const MAX_NAME_LENGTH = 32;
const SSHD_PORT = 22;

export function stackNameFor(pairName: string): string {
  return `${STACK_NAME_PREFIX}${pairName}`;
}

export function validatePairSpec(spec: PairSpec, facts: VpcFacts): SpecProblem[] {
  const checks: Array<[SpecField, string | undefined]> = [
    ['name', pairNameProblem(spec.name)],
    ['vpcId', spec.vpcId === facts.vpcId ? undefined : `The VPC facts are for ${facts.vpcId}, not ${spec.vpcId}: reload the VPC.`],
    ['subnetIds', subnetsProblem(spec.subnetIds, facts)],
    ['vip', vipProblem(spec.vip, facts) ?? publicVipProblem(spec.vip, spec.confirmedPublicVip)],
    // A public-only pair (an Elastic IP, no route VIP) may carry its VIP in no route table.
    ['routeTableIds', spec.elasticIp && spec.routeTableIds.length === 0 ? undefined : routeTablesProblem(spec.routeTableIds, facts)],
    ['instanceType', instanceTypeProblem(spec.instanceType)],
    ['imageId', imageIdProblem(spec.imageId)],
    ['keyName', spec.keyName === undefined ? undefined : keyNameProblem(spec.keyName)],
    ['sshCidr', spec.sshCidr === undefined ? undefined : sshCidrProblem(spec.sshCidr, spec.keyName) ?? openSshProblem(spec.sshCidr, spec.confirmedSshCidr)],
    ['listeners', listenersProblem(spec.listeners, spec.vip)],
    ['clientCidr', ipv4CidrProblem(spec.clientCidr, 'client CIDR')],
    ['elasticIp', spec.elasticIp && (allocationIdProblem(spec.elasticIp.allocationId) ?? publicSubnetsProblem(spec.subnetIds, facts))],
  ];
  return checks.flatMap(([field, message]) => (message ? [{ field, message }] : []));
}

function allocationIdProblem(allocationId: string | undefined): string | undefined {
  if (allocationId === undefined || /^eipalloc-[0-9a-f]{8}([0-9a-f]{9})?$/.test(allocationId)) return undefined;
  return `"${allocationId}" is not an Elastic IP allocation id (eipalloc-0123456789abcdef0).`;
}

/** The name becomes the stack name `awsops-pair-<name>`, the pair tag and keepalived's instance name. */
export function pairNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'Enter a pair name, e.g. web-eu1.';
  if (name.length > MAX_NAME_LENGTH) {
    return `A pair name has at most ${MAX_NAME_LENGTH} characters (this one has ${name.length}).`;
  }
  const bad = [...new Set(name.replace(/[a-z0-9-]/g, ''))];
  if (bad.length > 0) {
    return `A pair name uses lowercase letters, digits and hyphens only; remove ${bad.map((c) => `"${c}"`).join(', ')}.`;
  }
  if (!/^[a-z]/.test(name)) return 'A pair name starts with a letter (CloudFormation stack names must).';
  if (name.endsWith('-')) return 'A pair name does not end with a hyphen.';
  if (name.includes('--')) return 'A pair name has no two hyphens in a row.';
  return undefined;
}

export function subnetsProblem(subnetIds: readonly string[], facts: VpcFacts): string | undefined {
  if (subnetIds.length !== 2) return `Pick exactly two subnets, one per node (got ${subnetIds.length}).`;
  const [a, b] = subnetIds;
  if (a === b) return `Both nodes are in ${a}: pick two subnets in different Availability Zones.`;
  for (const id of subnetIds) {
    const subnet = facts.subnets[id];
    if (!subnet) return `Subnet ${id} was not found in ${facts.vpcId}.`;
  }
  const azA = facts.subnets[a].availabilityZone;
  const azB = facts.subnets[b].availabilityZone;
  if (azA === azB) {
    return `Subnets ${a} and ${b} are both in ${azA}: pick subnets in two different Availability Zones, so one AZ outage cannot take both nodes.`;
  }
  return undefined;
}

const RESERVED_VIP_RANGES: ReadonlyArray<[string, string]> = [
  ['0.0.0.0/8', 'is not a usable host address'],
  ['127.0.0.0/8', 'is a loopback address'],
  ['169.254.0.0/16', 'is link-local; EC2 uses this range for instance metadata, DNS and time'],
  ['224.0.0.0/4', 'is a multicast address'],
  ['240.0.0.0/4', 'is reserved (or the broadcast address)'],
];

/** The VIP must lie outside the VPC's CIDRs (a VPC never routes its own range to an instance) and be unused. */
export function vipProblem(vip: string, facts: VpcFacts): string | undefined {
  const ip = parseIp(vip.trim());
  if (!ip || ip.version !== 4 || vip.trim() !== vip) {
    return `"${vip}" is not an IPv4 address: enter the VIP as a plain address, e.g. 192.168.55.100.`;
  }
  const host = `${vip}/32`;
  for (const [range, why] of RESERVED_VIP_RANGES) {
    if (cidrContains(range, host)) return `${vip} ${why}: pick another VIP.`;
  }
  const inside = facts.cidrs.find((cidr) => cidrContains(cidr, host));
  if (inside) {
    return `${vip} is inside the VPC CIDR ${inside}: a VPC never routes its own addresses to an instance, so the VIP must lie outside every VPC CIDR (e.g. an unused 192.168.x.y).`;
  }
  const covering = facts.routeTables.flatMap((table) =>
    table.routes
      .filter((route) => parseCidr(route.destination)?.prefix !== 0 && cidrContains(route.destination, host))
      .map((route) => ({ table, route })),
  );
  if (covering.length === 0) return undefined;
  const { table, route } = covering[0];
  const more = covering.length > 1 ? ` (and ${covering.length - 1} more)` : '';
  if (route.destination === host) {
    return `${vip} is already in use: route table ${table.routeTableId} sends ${host} to ${route.target}${more}. Pick an unused address.`;
  }
  return `${vip} is already routed in this VPC: route table ${table.routeTableId} sends ${route.destination} to ${route.target}${more}, and a /32 for the VIP would take that address away from it. Pick an address no route covers.`;
}

/**
 * A public VIP (outside RFC 1918, 100.64/10 and the other non-routable ranges) is someone's address on the
 * internet: a /32 to it in the route tables takes it away from them for the whole VPC. Refused unless the user
 * typed the address again to confirm.
 */
export function publicVipProblem(vip: string, confirmed?: string): string | undefined {
  if (!isPublicIpv4(vip) || confirmed === vip) return undefined;
  return `${vip} is a public address: a /32 route to it sends everything in the VPC that talks to ${vip} to this pair instead, taking the address away from its owner for the whole VPC. Pick a private address (e.g. an unused 192.168.x.y or 100.64.x.y), or type ${vip} to confirm that you own it.`;
}

export function routeTablesProblem(routeTableIds: readonly string[], facts: VpcFacts): string | undefined {
  if (routeTableIds.length === 0) return 'Pick at least one route table to carry the VIP (usually every route table of the VPC).';
  if (new Set(routeTableIds).size !== routeTableIds.length) return 'A route table is listed twice.';
  const known = new Set(facts.routeTables.map((t) => t.routeTableId));
  const missing = routeTableIds.filter((id) => !known.has(id));
  if (missing.length > 0) return `Route table ${missing.join(', ')} is not in ${facts.vpcId}.`;
  return undefined;
}

export function instanceTypeProblem(instanceType: string): string | undefined {
  return /^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(instanceType)
    ? undefined
    : `"${instanceType}" is not an instance type: write it like t3.small or m7g.large.`;
}

export function imageIdProblem(imageId: string): string | undefined {
  return /^ami-[0-9a-f]{8}([0-9a-f]{9})?$/.test(imageId) ? undefined : `"${imageId}" is not an AMI id (ami-0123456789abcdef0).`;
}

export function keyNameProblem(keyName: string): string | undefined {
  if (keyName.length === 0 || keyName.length > 255) return 'A key pair name has 1 to 255 characters.';
  return undefined;
}

function sshCidrProblem(sshCidr: string, keyName: string | undefined): string | undefined {
  if (keyName === undefined) return 'SSH access needs a key pair: pick one, or leave SSH closed (the nodes are reachable through SSM).';
  return ipv4CidrProblem(sshCidr, 'SSH CIDR');
}

/** SSH from the whole internet invites every scanner to the nodes: refused unless the user typed the CIDR again. */
export function openSshProblem(sshCidr: string, confirmed?: string): string | undefined {
  if (parseCidr(sshCidr)?.prefix !== 0 || confirmed === sshCidr) return undefined;
  return `SSH from ${sshCidr} opens port 22 of both nodes to the whole internet. Narrow it to your network (e.g. your office's /24), leave SSH closed and use SSM Session Manager, or type ${sshCidr} to confirm.`;
}

/** An IPv4 CIDR as written in a security group rule: host bits must be zero, as EC2 demands. */
export function ipv4CidrProblem(text: string, what: string): string | undefined {
  const cidr = parseCidr(text);
  if (!cidr || cidr.version !== 4 || !text.includes('/') || text.trim() !== text) {
    return `The ${what} "${text}" is not an IPv4 CIDR: write e.g. 10.0.0.0/16.`;
  }
  const [address, prefix] = text.split('/');
  const network = formatIpv4(cidr.network);
  if (network !== address) return `The ${what} ${text} has host bits set: did you mean ${network}/${prefix}?`;
  return undefined;
}

export function listenersProblem(listeners: readonly Listener[], vip: string): string | undefined {
  const seen = new Set<number>();
  for (const listener of listeners) {
    const problem = listenerProblem(listener, vip);
    if (problem) return problem;
    if (seen.has(listener.port)) return `Port ${listener.port} has two listeners: merge their servers into one.`;
    seen.add(listener.port);
  }
  return undefined;
}

export function listenerProblem(listener: Listener, vip: string): string | undefined {
  const portIssue = portProblem(listener.port, 'Listen port');
  if (portIssue) return portIssue;
  if (listener.port === DEFAULT_STATS_PORT) {
    return `Port ${DEFAULT_STATS_PORT} is haproxy's health and stats port on the nodes: pick another listen port.`;
  }
  // haproxy binds *:PORT, so the VIP's port 22 would be the node's: sshd already holds it and haproxy would not start.
  if (listener.port === SSHD_PORT) return `Port ${SSHD_PORT} is sshd's on the nodes: haproxy could not bind it. Pick another listen port.`;
  if (listener.mode !== 'tcp' && listener.mode !== 'http') return `Mode "${String(listener.mode)}" is neither tcp nor http.`;
  if (listener.servers.length === 0) return `Port ${listener.port} has no backend server: add at least one host:port.`;
  for (const server of listener.servers) {
    if (!isHost(server.host)) return `"${server.host}" is neither an IPv4 address nor a DNS name.`;
    if (server.host === vip) return `Backend ${server.host} is the VIP itself: traffic would loop back to haproxy.`;
    const serverPort = portProblem(server.port, `Port of ${server.host}`);
    if (serverPort) return serverPort;
  }
  return undefined;
}

function portProblem(port: number, what: string): string | undefined {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? undefined : `${what} ${port} is not a port (1–65535).`;
}

/**
 * Reads one listener as typed in an input box: "80 -> 10.0.1.10:8080, 10.0.1.11:8080" or
 * "443/tcp -> app.internal:443" (mode defaults to tcp, which forwards any protocol).
 */
export function parseListener(text: string): { listener: Listener } | { problem: string } {
  const match = /^\s*(\d+)(?:\/(tcp|http))?\s*(?:->|=>|→)\s*(.+)$/i.exec(text);
  if (!match) return { problem: 'Write a listener as "PORT[/tcp|/http] -> HOST:PORT, HOST:PORT", e.g. "80/http -> 10.0.1.10:8080".' };
  const servers: BackendServer[] = [];
  for (const item of match[3].split(',').map((s) => s.trim()).filter(Boolean)) {
    const server = /^(.+):(\d+)$/.exec(item);
    if (!server) return { problem: `Backend "${item}" has no port: write HOST:PORT.` };
    servers.push({ host: server[1], port: Number(server[2]) });
  }
  const listener: Listener = { port: Number(match[1]), mode: (match[2]?.toLowerCase() ?? 'tcp') as ListenerMode, servers };
  const problem = listenerProblem(listener, '');
  return problem ? { problem } : { listener };
}

export function formatListener(listener: Listener): string {
  return `${listener.port}/${listener.mode} -> ${listener.servers.map((s) => `${s.host}:${s.port}`).join(', ')}`;
}

function isHost(host: string): boolean {
  if (/^[\d.]+$/.test(host)) return parseIp(host)?.version === 4;
  return host.length <= 253 && host.split('.').every((label) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i.test(label));
}

function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join('.');
}
