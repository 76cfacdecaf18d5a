/**
 * Keeps a jumpbox's A record (tag awsops:dns) on its public IP: written after a start, deleted after a stop
 * (the released IP can be anyone's next). Only in zones the user allowed (dnsPolicy), and only records the
 * jumpbox owns are changed without asking (dnsOwnership); each change is one batch, then read back.
 */
import type { Change, Route53Client } from '@aws-sdk/client-route-53';
import { explainError } from '../session/errors';
import { changeRecords, dnsTarget, normalizeDnsName, readRecordPair, type HostedZoneInfo } from './dns';
import { ownerOf, ownership, planPointAt, planRelease, recordIps, type RecordPair } from './dnsOwnership';
import { jumpboxLabel, type JumpboxInfo } from './model';

/** What the record work needs from the start/stop batch it runs in. */
export interface DnsContext {
  readonly route53: Route53Client;
  /** Listed once per batch. */
  hostedZones(): Promise<HostedZoneInfo[]>;
  /** Setting awsops.dnsZones. */
  readonly dnsZones: readonly string[];
  readonly options: { maxWaitSeconds?: number };
  /** Resolves true only when the user said yes. */
  confirmTakeover(question: TakeoverQuestion): Promise<boolean>;
  progress(jumpbox: JumpboxInfo, message: string): void;
}

export interface TakeoverQuestion {
  instanceId: string;
  /** "name (i-…)" */
  label: string;
  name: string;
  zone: HostedZoneInfo;
  currentIps: string[];
  /** The instance another AWS Ops ownership record names, if any. */
  owner?: string;
  newIp: string;
}

export type DnsUpdate =
  | { ok: true; name: string; zoneId: string; ip: string; changed: boolean }
  | { ok: false; name: string; message: string };

/** What a stop did to the record: deleted (ours), or why it is left. */
export type DnsRelease = { ok: true; name: string; zoneId: string; deletedIps: string[] } | { ok: false; name: string; message: string };

/** Never throws: the instance is up either way, so a DNS problem is reported beside the start. */
export async function pointRecordAt(context: DnsContext, jumpbox: JumpboxInfo): Promise<DnsUpdate> {
  const name = normalizeDnsName(jumpbox.dnsName ?? '');
  const ip = jumpbox.publicIp;
  if (!ip) return { ok: false, name, message: `${jumpboxLabel(jumpbox)} has no public IP (a private subnet?), so ${name} was left as it is` };
  try {
    const target = dnsTarget({ dnsName: jumpbox.dnsName ?? '', hostedZone: jumpbox.hostedZone }, await context.hostedZones(), context.dnsZones);
    if (!target.ok) return { ok: false, name, message: target.message };
    const { zone } = target;
    const plan = planPointAt(await readRecordPair(context.route53, zone.id, name), name, jumpbox.instanceId, ip);
    if (plan.kind === 'in-sync') return { ok: true, name, zoneId: zone.id, ip, changed: false };
    if (plan.kind === 'left-alone') return { ok: false, name, message: plan.reason };
    if (plan.kind === 'takeover') {
      const question = { instanceId: jumpbox.instanceId, label: jumpboxLabel(jumpbox), name, zone, currentIps: plan.currentIps, owner: plan.owner, newIp: ip };
      if ((await context.confirmTakeover(question)) !== true) {
        const points = plan.currentIps.length ? `it still points at ${plan.currentIps.join(', ')}` : 'it was left as it is';
        return { ok: false, name, message: `${name} is ${ownership(plan.owner)}: ${points}` };
      }
    }
    context.progress(jumpbox, `updating ${name} → ${ip} and waiting until Route53 is in sync`);
    const after = await change(context, jumpbox, zone.id, name, plan.changes);
    if (ownerOf(after.txt) !== jumpbox.instanceId || recordIps(after.a).join() !== ip) {
      return { ok: false, name, message: `Route53 accepted the change, but reading it back ${name} points at ${recordIps(after.a).join(', ') || 'nothing'} (${ownership(ownerOf(after.txt))})` };
    }
    return { ok: true, name, zoneId: zone.id, ip, changed: true };
  } catch (error) {
    return dnsFailure(name, error);
  }
}

/**
 * After a stop, deletes the A record and its ownership TXT when the jumpbox owns them: its IP is released and
 * may be given to someone else. A record it does not own is left, with a word when it points at that IP.
 * Undefined when there is nothing to report. Never throws.
 */
export async function releaseRecord(context: DnsContext, jumpbox: JumpboxInfo): Promise<DnsRelease | undefined> {
  if (!jumpbox.dnsName) return undefined;
  const name = normalizeDnsName(jumpbox.dnsName);
  try {
    const target = dnsTarget({ dnsName: jumpbox.dnsName, hostedZone: jumpbox.hostedZone }, await context.hostedZones(), context.dnsZones);
    if (!target.ok) return target.status === 'refused' ? { ok: false, name, message: target.message } : undefined;
    const pair = await readRecordPair(context.route53, target.zone.id, name);
    const changes = planRelease(pair, jumpbox.instanceId);
    if (changes.length === 0) {
      const stale = jumpbox.publicIp !== undefined && recordIps(pair.a).includes(jumpbox.publicIp);
      return stale ? { ok: false, name, message: `${name} still points at the released IP ${jumpbox.publicIp}, but it is ${ownership(ownerOf(pair.txt))}: delete or change it yourself` } : undefined;
    }
    context.progress(jumpbox, `deleting ${name} and waiting until Route53 is in sync`);
    const after = await change(context, jumpbox, target.zone.id, name, changes);
    if (after.a || after.txt) return { ok: false, name, message: `Route53 accepted the deletion, but reading it back ${name} is still there` };
    return { ok: true, name, zoneId: target.zone.id, deletedIps: recordIps(pair.a) };
  } catch (error) {
    return dnsFailure(name, error);
  }
}

/** One atomic batch, INSYNC, then the pair read back. */
async function change(context: DnsContext, jumpbox: JumpboxInfo, zoneId: string, name: string, changes: Change[]): Promise<RecordPair> {
  await changeRecords(context.route53, zoneId, changes, { maxWaitSeconds: context.options.maxWaitSeconds, comment: `aws-ops: public IP of jumpbox ${jumpbox.instanceId}` });
  return readRecordPair(context.route53, zoneId, name);
}

function dnsFailure(name: string, error: unknown): { ok: false; name: string; message: string } {
  const e = explainError(error);
  return { ok: false, name, message: `${e.message} ${e.hint}` };
}
