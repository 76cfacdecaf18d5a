/**
 * The A record that follows a jumpbox's public IP (which changes on every start; an idle Elastic IP would cost
 * money): which hosted zone holds it, whether it is stale, and the UPSERT that fixes it.
 */
import {
  ChangeResourceRecordSetsCommand,
  ListResourceRecordSetsCommand,
  paginateListHostedZones,
  waitUntilResourceRecordSetsChanged,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import { explainError } from '../session/errors';
import { JUMPBOX_TAGS } from './model';

export interface HostedZoneInfo {
  /** Without the /hostedzone/ prefix. */
  id: string;
  /** Lower case, without the trailing dot. */
  name: string;
  privateZone: boolean;
}

export const RECORD_TTL_SECONDS = 60;

export async function listHostedZones(route53: Route53Client): Promise<HostedZoneInfo[]> {
  const zones: HostedZoneInfo[] = [];
  for await (const page of paginateListHostedZones({ client: route53 }, {})) {
    for (const zone of page.HostedZones ?? []) {
      zones.push({ id: zoneId(zone.Id ?? ''), name: normalizeDnsName(zone.Name ?? ''), privateZone: zone.Config?.PrivateZone === true });
    }
  }
  return zones;
}

function zoneId(id: string): string {
  return id.replace(/^\/?hostedzone\//, '');
}

/** Lower case, no trailing dot, Route53's \ooo octal escapes decoded (it returns '*' as \052). */
export function normalizeDnsName(name: string): string {
  return name
    .trim()
    .replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)))
    .replace(/\.$/, '')
    .toLowerCase();
}

export type ZoneChoice = { ok: true; zone: HostedZoneInfo } | { ok: false; message: string };

/**
 * The zone for a record name: the one the hosted-zone tag names (by id or name), else the public zone with
 * the longest matching suffix. Private zones are only used when the tag names one: the record is for a public IP.
 */
export function chooseZone(dnsName: string, zones: readonly HostedZoneInfo[], hostedZoneTag?: string): ZoneChoice {
  const name = normalizeDnsName(dnsName);
  const inside = (zone: HostedZoneInfo) => name === zone.name || name.endsWith(`.${zone.name}`);
  if (hostedZoneTag) {
    const wanted = zoneId(hostedZoneTag.trim());
    const byId = zones.filter((zone) => zone.id.toUpperCase() === wanted.toUpperCase());
    const byName = zones.filter((zone) => zone.name === normalizeDnsName(wanted));
    const publicByName = byName.filter((zone) => !zone.privateZone);
    const named = byId.length ? byId : publicByName.length ? publicByName : byName;
    if (named.length === 0) {
      return { ok: false, message: `Tag ${JUMPBOX_TAGS.hostedZone} names "${hostedZoneTag}", but no hosted zone with that id or name is visible to this account.` };
    }
    if (named.length > 1) {
      return { ok: false, message: `Several hosted zones are named ${named[0].name}: set tag ${JUMPBOX_TAGS.hostedZone} to the zone id instead.` };
    }
    if (!inside(named[0])) {
      return { ok: false, message: `${name} is not inside hosted zone ${named[0].name} (named by tag ${JUMPBOX_TAGS.hostedZone}).` };
    }
    return { ok: true, zone: named[0] };
  }
  const matching = zones.filter((zone) => !zone.privateZone && inside(zone));
  const longest = Math.max(0, ...matching.map((zone) => zone.name.length));
  const best = matching.filter((zone) => zone.name.length === longest);
  if (best.length === 0) {
    return { ok: false, message: `No public hosted zone matches ${name}: create one for its domain, or set tag ${JUMPBOX_TAGS.hostedZone} to the zone id.` };
  }
  if (best.length > 1) {
    return { ok: false, message: `Several public hosted zones are named ${best[0].name}: set tag ${JUMPBOX_TAGS.hostedZone} to the zone id.` };
  }
  return { ok: true, zone: best[0] };
}

export interface ARecord {
  ips: string[];
  /** An alias A record (e.g. to a load balancer) is not ours to rewrite. */
  alias: boolean;
}

/** The simple A record at exactly `name`, or undefined when there is none. */
export async function lookupARecord(route53: Route53Client, hostedZoneId: string, name: string): Promise<ARecord | undefined> {
  const output = await route53.send(
    new ListResourceRecordSetsCommand({ HostedZoneId: hostedZoneId, StartRecordName: name, StartRecordType: 'A', MaxItems: 1 }),
  );
  // The listing starts at the name but returns the next record when the name has none.
  const record = output.ResourceRecordSets?.[0];
  if (!record || record.Type !== 'A' || normalizeDnsName(record.Name ?? '') !== normalizeDnsName(name)) return undefined;
  return { ips: (record.ResourceRecords ?? []).map((r) => r.Value ?? ''), alias: record.AliasTarget !== undefined };
}

export type DnsStatus = 'in-sync' | 'stale' | 'missing' | 'no-public-ip' | 'alias';

export function dnsStatus(record: ARecord | undefined, publicIp: string | undefined): DnsStatus {
  if (record?.alias) return 'alias';
  if (!publicIp) return 'no-public-ip';
  if (!record) return 'missing';
  return record.ips.length === 1 && record.ips[0] === publicIp ? 'in-sync' : 'stale';
}

export interface DnsCheck {
  name: string;
  status: DnsStatus | 'no-zone' | 'error';
  zone?: HostedZoneInfo;
  recordIps: string[];
  publicIp?: string;
  /** One line for the view; stale and missing are the ones worth a warning and a fix. */
  message: string;
}

export interface DnsSubject {
  dnsName: string;
  hostedZone?: string;
  publicIp?: string;
}

export async function checkDns(route53: Route53Client, subject: DnsSubject, zones: readonly HostedZoneInfo[]): Promise<DnsCheck> {
  const name = normalizeDnsName(subject.dnsName);
  const choice = chooseZone(name, zones, subject.hostedZone);
  if (!choice.ok) return { name, status: 'no-zone', recordIps: [], publicIp: subject.publicIp, message: choice.message };
  try {
    const record = await lookupARecord(route53, choice.zone.id, name);
    const status = dnsStatus(record, subject.publicIp);
    const recordIps = record?.ips ?? [];
    return { name, status, zone: choice.zone, recordIps, publicIp: subject.publicIp, message: describe(name, status, recordIps, subject.publicIp) };
  } catch (error) {
    return { ...failedCheck(subject, error), zone: choice.zone };
  }
}

function failedCheck(subject: DnsSubject, error: unknown): DnsCheck {
  const name = normalizeDnsName(subject.dnsName);
  const e = explainError(error);
  return { name, status: 'error', recordIps: [], publicIp: subject.publicIp, message: `${name}: ${e.message} ${e.hint}` };
}

function describe(name: string, status: DnsStatus, recordIps: string[], publicIp: string | undefined): string {
  const points = recordIps.join(', ');
  switch (status) {
    case 'in-sync':
      return `${name} → ${publicIp}`;
    case 'stale':
      return `${name} points at ${points || 'nothing'}, but the public IP is ${publicIp}`;
    case 'missing':
      return `${name} has no A record yet; the public IP is ${publicIp}`;
    case 'no-public-ip':
      return recordIps.length ? `${name} points at ${points}; the instance has no public IP now` : `${name} has no A record; the instance has no public IP now`;
    case 'alias':
      return `${name} is an alias record: AWS Ops leaves it alone`;
  }
}

/** Checks many jumpboxes with one zone listing; those without a DNS tag are left out of the map. */
export async function checkDnsForJumpboxes(
  route53: Route53Client,
  jumpboxes: ReadonlyArray<Partial<DnsSubject> & { instanceId: string }>,
): Promise<Map<string, DnsCheck>> {
  const tagged = jumpboxes.filter((j): j is DnsSubject & { instanceId: string } => Boolean(j.dnsName));
  const checks = new Map<string, DnsCheck>();
  if (tagged.length === 0) return checks;
  let zones: HostedZoneInfo[];
  try {
    zones = await listHostedZones(route53);
  } catch (error) {
    for (const j of tagged) checks.set(j.instanceId, failedCheck(j, error));
    return checks;
  }
  await Promise.all(tagged.map(async (j) => checks.set(j.instanceId, await checkDns(route53, j, zones))));
  return checks;
}

export interface UpsertOptions {
  /** How long to wait for INSYNC; Route53 usually needs under a minute. */
  maxWaitSeconds?: number;
  comment?: string;
}

/** UPSERTs `name` A `ip` (TTL 60) and waits until Route53 reports the change INSYNC; returns the change id. */
export async function upsertARecord(
  route53: Route53Client,
  hostedZoneId: string,
  name: string,
  ip: string,
  options: UpsertOptions = {},
): Promise<string> {
  const output = await route53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: hostedZoneId,
      ChangeBatch: {
        Comment: options.comment,
        Changes: [
          { Action: 'UPSERT', ResourceRecordSet: { Name: name, Type: 'A', TTL: RECORD_TTL_SECONDS, ResourceRecords: [{ Value: ip }] } },
        ],
      },
    }),
  );
  const changeId = output.ChangeInfo?.Id ?? '';
  // The SDK's default first poll is after 30 s; a 5 s start keeps the progress notification honest.
  await waitUntilResourceRecordSetsChanged(
    { client: route53, maxWaitTime: options.maxWaitSeconds ?? 180, minDelay: 5, maxDelay: 15 },
    { Id: changeId },
  );
  return changeId;
}
