/**
 * Start and stop jumpboxes, several at once, each with its own outcome. The current state is read first (one
 * DescribeInstances for all), so "already there" is a no-op and a terminated instance gets a refusal without
 * any mutating call. A start ends with the A record following the new public IP.
 */
import {
  DescribeInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  waitUntilInstanceRunning,
  waitUntilInstanceStopped,
} from '@aws-sdk/client-ec2';
import { explainError, type ExplainedError } from '../session/errors';
import type { AwsSession } from '../session/session';
import { toJumpboxInfo } from './discovery';
import { checkDns, listHostedZones, normalizeDnsName, upsertARecord, type HostedZoneInfo } from './dns';
import { JUMPBOX_TAGS, type JumpboxInfo } from './model';

export interface JumpboxActionOptions {
  /** Called with a short step description, e.g. for a progress notification. */
  onProgress?: (instanceId: string, message: string) => void;
  /** User for the ssh command; ec2-user (Amazon Linux) by default. */
  sshUser?: string;
  /** Limit for each wait (instance state, DNS INSYNC). */
  maxWaitSeconds?: number;
  /** Cancels: before the start/stop call nothing changes; a cancelled start is rolled back (stopped again). */
  signal?: AbortSignal;
}

export type DnsUpdate =
  | { ok: true; name: string; zoneId: string; ip: string; changed: boolean }
  | { ok: false; name: string; message: string };

export interface JumpboxOutcome {
  instanceId: string;
  name?: string;
  /** already: nothing to do; refused: cannot be done (terminated); failed: an AWS call failed; cancelled: by the user (the message says what was left). */
  kind: 'started' | 'stopped' | 'already' | 'refused' | 'failed' | 'cancelled';
  /** The state when done, when known. */
  state?: string;
  /** One line for a notification. */
  message: string;
  publicIp?: string;
  /** Only for a start of a jumpbox with tag awsops:dns. */
  dns?: DnsUpdate;
  /** For a running jumpbox: `ssh ec2-user@<dns name or IP>`. */
  sshCommand?: string;
  error?: ExplainedError;
}

export function sshCommand(host: string, user = 'ec2-user'): string {
  return `ssh ${user}@${host}`;
}

const GONE = new Set(['terminated', 'shutting-down']);

export async function startJumpboxes(session: AwsSession, instanceIds: readonly string[], options: JumpboxActionOptions = {}): Promise<JumpboxOutcome[]> {
  return forEachJumpbox(session, instanceIds, options, startOne);
}

export async function stopJumpboxes(session: AwsSession, instanceIds: readonly string[], options: JumpboxActionOptions = {}): Promise<JumpboxOutcome[]> {
  return forEachJumpbox(session, instanceIds, options, stopOne);
}

/** The one-click fix for a stale or missing record: points the jumpbox's A record at its current public IP. */
export async function syncJumpboxDns(session: AwsSession, instanceId: string, options: JumpboxActionOptions = {}): Promise<DnsUpdate> {
  const jumpbox = (await describe(session, [instanceId])).get(instanceId);
  if (!jumpbox) return { ok: false, name: '', message: `${instanceId} was not found in ${session.spec.region}.` };
  if (!jumpbox.dnsName) return { ok: false, name: '', message: `${label(jumpbox)} has no ${JUMPBOX_TAGS.dns} tag.` };
  return updateDns(new Context(session, options), jumpbox);
}

class Context {
  private zones?: Promise<HostedZoneInfo[]>;

  constructor(readonly session: AwsSession, readonly options: JumpboxActionOptions) {}

  get ec2() {
    return this.session.client('ec2');
  }

  get route53() {
    return this.session.client('route53');
  }

  /** Listed once per batch and only when some jumpbox needs DNS. */
  hostedZones(): Promise<HostedZoneInfo[]> {
    this.zones ??= listHostedZones(this.route53);
    return this.zones;
  }

  progress(jumpbox: JumpboxInfo, message: string): void {
    this.options.onProgress?.(jumpbox.instanceId, `${label(jumpbox)}: ${message}`);
  }

  waiter() {
    return { client: this.ec2, maxWaitTime: this.options.maxWaitSeconds ?? 600, minDelay: 5, maxDelay: 15, abortSignal: this.options.signal };
  }

  get cancelled(): boolean {
    return this.options.signal?.aborted === true;
  }

  /** Waits for the instance with an SDK waiter; false when cancelled before or during the wait. */
  async waitFor(waiter: typeof waitUntilInstanceRunning, instanceId: string): Promise<boolean> {
    if (this.cancelled) return false;
    try {
      await waiter(this.waiter(), { InstanceIds: [instanceId] });
      return true;
    } catch (error) {
      if (this.cancelled) return false;
      throw error;
    }
  }
}

type Action = (jumpbox: JumpboxInfo, context: Context) => Promise<JumpboxOutcome>;

async function forEachJumpbox(session: AwsSession, selection: readonly string[], options: JumpboxActionOptions, action: Action): Promise<JumpboxOutcome[]> {
  // A multi-select can name the same instance twice; one start per instance is enough.
  const ids = [...new Set(selection)];
  let found: Map<string, JumpboxInfo>;
  try {
    found = await describe(session, ids);
  } catch (error) {
    return ids.map((instanceId) => failure({ instanceId }, error));
  }
  const context = new Context(session, options);
  return Promise.all(
    ids.map(async (instanceId): Promise<JumpboxOutcome> => {
      const jumpbox = found.get(instanceId);
      if (!jumpbox) {
        return { instanceId, kind: 'failed', message: `${instanceId} was not found in ${session.spec.region}: it may have been terminated long ago or live in another region or account.` };
      }
      try {
        return await action(jumpbox, context);
      } catch (error) {
        return failure(jumpbox, error);
      }
    }),
  );
}

/** A filter (unlike InstanceIds) leaves unknown ids out instead of failing the whole call. */
async function describe(session: AwsSession, ids: readonly string[]): Promise<Map<string, JumpboxInfo>> {
  const output = await session.client('ec2').send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-id', Values: [...ids] }] }));
  const found = new Map<string, JumpboxInfo>();
  for (const reservation of output.Reservations ?? []) {
    for (const instance of reservation.Instances ?? []) {
      const info = toJumpboxInfo(instance, session.spec.region);
      found.set(info.instanceId, info);
    }
  }
  return found;
}

async function startOne(jumpbox: JumpboxInfo, context: Context): Promise<JumpboxOutcome> {
  const { instanceId, state } = jumpbox;
  if (GONE.has(state)) return refusal(jumpbox, `${label(jumpbox)} is ${state}: a terminated instance cannot be started.`);
  if (state === 'running') {
    // The IP, not the DNS name: nothing here checked that the record is in sync.
    const host = jumpbox.publicIp ?? jumpbox.privateIp;
    return {
      ...base(jumpbox),
      kind: 'already',
      state,
      message: `${label(jumpbox)} is already running${jumpbox.publicIp ? ` at ${jumpbox.publicIp}` : ''}.`,
      publicIp: jumpbox.publicIp,
      sshCommand: host ? sshCommand(host, context.options.sshUser) : undefined,
    };
  }
  if (state === 'stopping') {
    context.progress(jumpbox, 'waiting for it to finish stopping');
    if (!(await context.waitFor(waitUntilInstanceStopped, instanceId))) return cancelled(jumpbox, `${label(jumpbox)} was not started (cancelled).`);
  }
  if (context.cancelled) return cancelled(jumpbox, `${label(jumpbox)} was not started (cancelled).`);
  if (state === 'stopping' || state === 'stopped') {
    context.progress(jumpbox, 'starting');
    await context.ec2.send(new StartInstancesCommand({ InstanceIds: [instanceId] }));
  }
  context.progress(jumpbox, 'waiting until running');
  if (!(await context.waitFor(waitUntilInstanceRunning, instanceId))) {
    // Rolled back: a cancelled start must not leave a box running (and billing) unnoticed.
    await context.ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
    return cancelled(jumpbox, `${label(jumpbox)}: start cancelled, so it is being stopped again.`, 'stopping');
  }
  // The public IP is new after every start: read it back.
  const running = (await describe(context.session, [instanceId])).get(instanceId) ?? { ...jumpbox, state: 'running' };
  const dns = running.dnsName ? await updateDns(context, running) : undefined;
  const host = dns?.ok ? dns.name : running.publicIp ?? running.privateIp;
  const dnsText = dns === undefined ? '' : dns.ok ? `; ${dns.name} → ${dns.ip}` : `; DNS not updated: ${dns.message}`;
  return {
    ...base(running),
    kind: 'started',
    state: running.state,
    message: `${label(running)} is running${running.publicIp ? ` at ${running.publicIp}` : ' (no public IP)'}${dnsText}.`,
    publicIp: running.publicIp,
    dns,
    sshCommand: host ? sshCommand(host, context.options.sshUser) : undefined,
  };
}

async function stopOne(jumpbox: JumpboxInfo, context: Context): Promise<JumpboxOutcome> {
  const { instanceId, state } = jumpbox;
  if (GONE.has(state)) return refusal(jumpbox, `${label(jumpbox)} is ${state}: there is nothing to stop.`);
  if (state === 'stopped') return { ...base(jumpbox), kind: 'already', state, message: `${label(jumpbox)} is already stopped.` };
  if (state === 'pending') {
    // EC2 refuses to stop an instance that is still starting.
    context.progress(jumpbox, 'waiting for it to finish starting');
    if (!(await context.waitFor(waitUntilInstanceRunning, instanceId))) return cancelled(jumpbox, `${label(jumpbox)} was not stopped (cancelled).`);
  }
  if (context.cancelled) return cancelled(jumpbox, `${label(jumpbox)} was not stopped (cancelled).`);
  if (state !== 'stopping') {
    context.progress(jumpbox, 'stopping');
    await context.ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
  }
  context.progress(jumpbox, 'waiting until stopped');
  if (!(await context.waitFor(waitUntilInstanceStopped, instanceId))) {
    // Not undone: EC2 cannot start an instance until it has stopped, and its public IP is released anyway.
    return cancelled(jumpbox, `${label(jumpbox)}: stop cancelled while waiting, but EC2 had the stop request already and finishes stopping it.`, 'stopping');
  }
  return { ...base(jumpbox), kind: 'stopped', state: 'stopped', message: `${label(jumpbox)} is stopped.` };
}

/** Never throws: the instance is up either way, so a DNS problem is reported beside the start. */
async function updateDns(context: Context, jumpbox: JumpboxInfo): Promise<DnsUpdate> {
  const name = normalizeDnsName(jumpbox.dnsName ?? '');
  const ip = jumpbox.publicIp;
  if (!ip) return { ok: false, name, message: `${label(jumpbox)} has no public IP (a private subnet?), so ${name} was left as it is` };
  try {
    const check = await checkDns(context.route53, { dnsName: name, hostedZone: jumpbox.hostedZone, publicIp: ip }, await context.hostedZones());
    if (!check.zone || (check.status !== 'in-sync' && check.status !== 'stale' && check.status !== 'missing')) {
      return { ok: false, name, message: check.message };
    }
    if (check.status === 'in-sync') return { ok: true, name, zoneId: check.zone.id, ip, changed: false };
    context.progress(jumpbox, `updating ${name} → ${ip} and waiting until Route53 is in sync`);
    await upsertARecord(context.route53, check.zone.id, name, ip, {
      maxWaitSeconds: context.options.maxWaitSeconds,
      comment: `aws-ops: public IP of jumpbox ${jumpbox.instanceId}`,
    });
    return { ok: true, name, zoneId: check.zone.id, ip, changed: true };
  } catch (error) {
    const e = explainError(error);
    return { ok: false, name, message: `${e.message} ${e.hint}` };
  }
}

function label(jumpbox: Pick<JumpboxInfo, 'instanceId' | 'name'>): string {
  return jumpbox.name ? `${jumpbox.name} (${jumpbox.instanceId})` : jumpbox.instanceId;
}

function base(jumpbox: Pick<JumpboxInfo, 'instanceId' | 'name'>): Pick<JumpboxOutcome, 'instanceId' | 'name'> {
  return { instanceId: jumpbox.instanceId, name: jumpbox.name };
}

function refusal(jumpbox: JumpboxInfo, message: string): JumpboxOutcome {
  return { ...base(jumpbox), kind: 'refused', state: jumpbox.state, message };
}

function cancelled(jumpbox: JumpboxInfo, message: string, state = jumpbox.state): JumpboxOutcome {
  return { ...base(jumpbox), kind: 'cancelled', state, message };
}

function failure(jumpbox: Pick<JumpboxInfo, 'instanceId' | 'name'>, error: unknown): JumpboxOutcome {
  const e = explainError(error);
  return { ...base(jumpbox), kind: 'failed', message: `${label(jumpbox)}: ${e.message} ${e.hint}`, error: e };
}
