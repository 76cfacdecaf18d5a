/**
 * The A record that follows a jumpbox's public IP (which changes on every start; an idle Elastic IP would cost
 * money): which hosted zone holds it, whether AWS Ops may write it and owns it, whether it is stale, and the
 * change batches that fix or remove it.
 */
import {
  ChangeResourceRecordSetsCommand,
  ListResourceRecordSetsCommand,
  paginateListHostedZones,
  waitUntilResourceRecordSetsChanged,
  type Change,
  type ResourceRecordSet,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import { explainError } from '../session/errors';
import { isPlainRecord, ownerOf, ownership, ownershipRecordName, recordIps, type RecordPair } from './dnsOwnership';
import { hostNameProblem, zoneProblem } from './dnsPolicy';
import { JUMPBOX_TAGS } from './model';

export interface HostedZoneInfo {
  /** Without the /hostedzone/ prefix. */
  id: string;
  /** Lower case, without the trailing dot. */
  name: string;
  privateZone: boolean;
}

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
  /** An alias or routing-policy A record (e.g. to a load balancer) is not ours to rewrite. */
  alias: boolean;
}

/** The record set of `type` at exactly `name`, or undefined when there is none. */
export async function lookupRecordSet(route53: Route53Client, hostedZoneId: string, name: string, type: 'A' | 'TXT'): Promise<ResourceRecordSet | undefined> {
  const output = await route53.send(
    new ListResourceRecordSetsCommand({ HostedZoneId: hostedZoneId, StartRecordName: name, StartRecordType: type, MaxItems: 1 }),
  );
  // The listing starts at the name but returns the next record when the name has none.
  const record = output.ResourceRecordSets?.[0];
  return record?.Type === type && normalizeDnsName(record.Name ?? '') === normalizeDnsName(name) ? record : undefined;
}

/** The A record at `name` and the ownership TXT beside it. */
export async function readRecordPair(route53: Route53Client, hostedZoneId: string, name: string): Promise<RecordPair> {
  const [a, txt] = await Promise.all([lookupRecordSet(route53, hostedZoneId, name, 'A'), lookupRecordSet(route53, hostedZoneId, ownershipRecordName(name), 'TXT')]);
  return { a, txt };
}

/** released: the jumpbox has no public IP, but its own record still points at the IP it released. */
export type DnsStatus = 'in-sync' | 'stale' | 'missing' | 'no-public-ip' | 'released' | 'alias';

export function dnsStatus(record: ARecord | undefined, publicIp: string | undefined, managed = false): DnsStatus {
  if (record?.alias) return 'alias';
  if (!publicIp) return record && managed ? 'released' : 'no-public-ip';
  if (!record) return 'missing';
  return record.ips.length === 1 && record.ips[0] === publicIp ? 'in-sync' : 'stale';
}

export interface DnsCheck {
  name: string;
  /** no-zone: no hosted zone holds the name; refused: AWS Ops may not write it (see dnsPolicy). */
  status: DnsStatus | 'no-zone' | 'refused' | 'error';
  zone?: HostedZoneInfo;
  recordIps: string[];
  publicIp?: string;
  /** True when the ownership TXT names this jumpbox: AWS Ops may change or delete the record without asking. */
  managed: boolean;
  /** The instance another ownership TXT names, when it names another one. */
  owner?: string;
  /** One line for the view; stale, missing and released are the ones worth a warning and a fix. */
  message: string;
}

export interface DnsSubject {
  instanceId: string;
  dnsName: string;
  hostedZone?: string;
  publicIp?: string;
}

export type DnsTarget = { ok: true; name: string; zone: HostedZoneInfo } | { ok: false; name: string; status: 'no-zone' | 'refused'; message: string };

/** Where the jumpbox's tags ask for its record, if AWS Ops may write there (`listed`: setting awsops.dnsZones). */
export function dnsTarget(subject: Pick<DnsSubject, 'dnsName' | 'hostedZone'>, zones: readonly HostedZoneInfo[], listed: readonly string[]): DnsTarget {
  const name = normalizeDnsName(subject.dnsName);
  const badName = hostNameProblem(subject.dnsName);
  if (badName) return { ok: false, name, status: 'refused', message: badName };
  const choice = chooseZone(name, zones, subject.hostedZone);
  if (!choice.ok) return { ok: false, name, status: 'no-zone', message: choice.message };
  const refusal = zoneProblem(name, choice.zone, listed);
  return refusal ? { ok: false, name, status: 'refused', message: refusal } : { ok: true, name, zone: choice.zone };
}

/** Never throws: a problem with one jumpbox's record is that jumpbox's check. */
export async function checkDns(route53: Route53Client, subject: DnsSubject, zones: readonly HostedZoneInfo[], listed: readonly string[]): Promise<DnsCheck> {
  const unknown = { recordIps: [], publicIp: subject.publicIp, managed: false };
  try {
    const target = dnsTarget(subject, zones, listed);
    if (!target.ok) return { ...unknown, name: target.name, status: target.status, message: target.message };
    const { name, zone } = target;
    const pair = await readRecordPair(route53, zone.id, name);
    const owner = ownerOf(pair.txt);
    const managed = owner === subject.instanceId;
    const record = pair.a && { ips: recordIps(pair.a), alias: !isPlainRecord(pair.a) };
    const status = dnsStatus(record, subject.publicIp, managed);
    const ips = record?.ips ?? [];
    const check = { name, status, zone, recordIps: ips, publicIp: subject.publicIp, managed, owner: managed ? undefined : owner };
    return { ...check, message: describe(check) };
  } catch (error) {
    return { ...unknown, ...failedCheck(subject, error) };
  }
}

function failedCheck(subject: Pick<DnsSubject, 'dnsName'>, error: unknown): Pick<DnsCheck, 'name' | 'status' | 'message'> {
  const name = normalizeDnsName(subject.dnsName);
  const e = explainError(error);
  return { name, status: 'error', message: `${name}: ${e.message} ${e.hint}` };
}

function describe(check: Omit<DnsCheck, 'message' | 'status'> & { status: DnsStatus }): string {
  const { name, recordIps: ips, publicIp } = check;
  const points = ips.join(', ');
  const foreign = check.managed || ips.length === 0 ? '' : ` (${ownership(check.owner)})`;
  switch (check.status) {
    case 'in-sync':
      return `${name} → ${publicIp}${foreign}`;
    case 'stale':
      return `${name} points at ${points || 'nothing'}${foreign}, but the public IP is ${publicIp}`;
    case 'missing':
      return `${name} has no A record yet; the public IP is ${publicIp}`;
    case 'no-public-ip':
      return ips.length ? `${name} points at ${points}${foreign}; the instance has no public IP now` : `${name} has no A record; the instance has no public IP now`;
    case 'released':
      return `${name} still points at ${points}, an IP the stopped instance released (someone else may get it): Update DNS Record deletes it`;
    case 'alias':
      return `${name} is an alias or routing-policy record: AWS Ops leaves it alone`;
  }
}

/** Checks many jumpboxes with one zone listing; those without a DNS tag are left out of the map. Never throws. */
export async function checkDnsForJumpboxes(
  route53: Route53Client,
  jumpboxes: ReadonlyArray<Partial<DnsSubject> & { instanceId: string }>,
  listed: readonly string[],
): Promise<Map<string, DnsCheck>> {
  const tagged = jumpboxes.filter((j): j is DnsSubject => Boolean(j.dnsName));
  const checks = new Map<string, DnsCheck>();
  if (tagged.length === 0) return checks;
  let zones: HostedZoneInfo[];
  try {
    zones = await listHostedZones(route53);
  } catch (error) {
    for (const j of tagged) checks.set(j.instanceId, { recordIps: [], publicIp: j.publicIp, managed: false, ...failedCheck(j, error) });
    return checks;
  }
  await Promise.all(tagged.map(async (j) => checks.set(j.instanceId, await checkDns(route53, j, zones, listed))));
  return checks;
}

export interface ChangeOptions {
  /** How long to wait for INSYNC; Route53 usually needs under a minute. */
  maxWaitSeconds?: number;
  comment?: string;
}

/** Sends the changes as one atomic ChangeBatch and waits until Route53 reports it INSYNC; returns the change id. */
export async function changeRecords(route53: Route53Client, hostedZoneId: string, changes: Change[], options: ChangeOptions = {}): Promise<string> {
  const output = await route53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: hostedZoneId, ChangeBatch: { Comment: options.comment, Changes: changes } }));
  const changeId = output.ChangeInfo?.Id ?? '';
  // The SDK's default first poll is after 30 s; a 5 s start keeps the progress notification honest.
  await waitUntilResourceRecordSetsChanged(
    { client: route53, maxWaitTime: options.maxWaitSeconds ?? 180, minDelay: 5, maxDelay: 15 },
    { Id: changeId },
  );
  return changeId;
}
