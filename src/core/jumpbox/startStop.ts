/**
 * Start and stop jumpboxes, several at once, each with its own outcome. The current state is read first (one
 * DescribeInstances for all), so "already there" is a no-op and a terminated instance gets a refusal without
 * any mutating call. A start ends with the A record following the new public IP; a stop deletes it, since the
 * released IP can be anyone's next. Only records the jumpbox owns are changed without asking (dnsOwnership).
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
import { listHostedZones, normalizeDnsName, type HostedZoneInfo } from './dns';
import { pointRecordAt, releaseRecord, type DnsContext, type DnsRelease, type DnsUpdate, type TakeoverQuestion } from './dnsFollow';
import { JUMPBOX_TAGS, jumpboxLabel, type JumpboxInfo } from './model';
import { sshCommand } from './ssh';

export interface JumpboxActionOptions {
  /** Called with a short step description, e.g. for a progress notification. */
  onProgress?: (instanceId: string, message: string) => void;
  /** User for the ssh command; ec2-user (Amazon Linux) by default. */
  sshUser?: string;
  /** Limit for each wait (instance state, DNS INSYNC). */
  maxWaitSeconds?: number;
  /** Setting awsops.dnsZones: the hosted zones (names or ids) whose records AWS Ops may write; none when empty. */
  dnsZones?: readonly string[];
  /** Asked before a record that is not the jumpbox's own is replaced; anything but true leaves it as it is. */
  confirmTakeover?: (question: TakeoverQuestion) => Promise<boolean>;
  /** Cancels: before the start/stop call nothing changes; a cancelled start is rolled back (stopped again). */
  signal?: AbortSignal;
}

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
  /** Only for a jumpbox with tag awsops:dns whose record a start updated or a stop released. */
  dns?: DnsUpdate | DnsRelease;
  /** For a running jumpbox: `ssh ec2-user@<dns name or IP>`, shell-quoted; none when awsops.sshUser is not a user name. */
  sshCommand?: string;
  error?: ExplainedError;
}

const GONE = new Set(['terminated', 'shutting-down']);

export async function startJumpboxes(session: AwsSession, instanceIds: readonly string[], options: JumpboxActionOptions = {}): Promise<JumpboxOutcome[]> {
  return forEachJumpbox(session, instanceIds, options, startOne);
}

export async function stopJumpboxes(session: AwsSession, instanceIds: readonly string[], options: JumpboxActionOptions = {}): Promise<JumpboxOutcome[]> {
  return forEachJumpbox(session, instanceIds, options, stopOne);
}

/**
 * The one-click fix for a stale, missing or released record: points the jumpbox's A record at its current
 * public IP, or, without one, deletes the record it owns.
 */
export async function syncJumpboxDns(session: AwsSession, instanceId: string, options: JumpboxActionOptions = {}): Promise<DnsUpdate | DnsRelease> {
  const jumpbox = (await describe(session, [instanceId])).get(instanceId);
  if (!jumpbox) return { ok: false, name: '', message: `${instanceId} was not found in ${session.spec.region}.` };
  if (!jumpbox.dnsName) return { ok: false, name: '', message: `${jumpboxLabel(jumpbox)} has no ${JUMPBOX_TAGS.dns} tag.` };
  const context = new Context(session, options);
  if (jumpbox.publicIp) return pointRecordAt(context, jumpbox);
  const nothing = { ok: false as const, name: normalizeDnsName(jumpbox.dnsName), message: `${jumpboxLabel(jumpbox)} has no public IP, and no record of its own to delete` };
  return (await releaseRecord(context, jumpbox)) ?? nothing;
}

class Context implements DnsContext {
  private zones?: Promise<HostedZoneInfo[]>;
  /** One question at a time: a multi-select start must not stack modals. */
  private asking: Promise<unknown> = Promise.resolve();

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

  get dnsZones(): readonly string[] {
    return this.options.dnsZones ?? [];
  }

  confirmTakeover(question: TakeoverQuestion): Promise<boolean> {
    const ask = this.options.confirmTakeover;
    if (!ask) return Promise.resolve(false);
    const answer = this.asking.then(() => ask(question));
    this.asking = answer.catch(() => undefined);
    return answer;
  }

  progress(jumpbox: JumpboxInfo, message: string): void {
    this.options.onProgress?.(jumpbox.instanceId, `${jumpboxLabel(jumpbox)}: ${message}`);
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
  if (GONE.has(state)) return refusal(jumpbox, `${jumpboxLabel(jumpbox)} is ${state}: a terminated instance cannot be started.`);
  if (state === 'running') {
    // The IP, not the DNS name: nothing here checked that the record is in sync.
    const host = jumpbox.publicIp ?? jumpbox.privateIp;
    return {
      ...base(jumpbox),
      kind: 'already',
      state,
      message: `${jumpboxLabel(jumpbox)} is already running${jumpbox.publicIp ? ` at ${jumpbox.publicIp}` : ''}.`,
      publicIp: jumpbox.publicIp,
      sshCommand: host ? sshCommand(host, context.options.sshUser) : undefined,
    };
  }
  if (state === 'stopping') {
    context.progress(jumpbox, 'waiting for it to finish stopping');
    if (!(await context.waitFor(waitUntilInstanceStopped, instanceId))) return cancelled(jumpbox, `${jumpboxLabel(jumpbox)} was not started (cancelled).`);
  }
  if (context.cancelled) return cancelled(jumpbox, `${jumpboxLabel(jumpbox)} was not started (cancelled).`);
  if (state === 'stopping' || state === 'stopped') {
    context.progress(jumpbox, 'starting');
    await context.ec2.send(new StartInstancesCommand({ InstanceIds: [instanceId] }));
  }
  context.progress(jumpbox, 'waiting until running');
  if (!(await context.waitFor(waitUntilInstanceRunning, instanceId))) {
    // Rolled back: a cancelled start must not leave a box running (and billing) unnoticed.
    await context.ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
    return cancelled(jumpbox, `${jumpboxLabel(jumpbox)}: start cancelled, so it is being stopped again.`, 'stopping');
  }
  // The public IP is new after every start: read it back.
  const running = (await describe(context.session, [instanceId])).get(instanceId) ?? { ...jumpbox, state: 'running' };
  const dns = running.dnsName ? await pointRecordAt(context, running) : undefined;
  const host = dns?.ok ? dns.name : running.publicIp ?? running.privateIp;
  const dnsText = dns === undefined ? '' : dns.ok ? `; ${dns.name} → ${dns.ip}` : `; DNS not updated: ${dns.message}`;
  return {
    ...base(running),
    kind: 'started',
    state: running.state,
    message: `${jumpboxLabel(running)} is running${running.publicIp ? ` at ${running.publicIp}` : ' (no public IP)'}${dnsText}.`,
    publicIp: running.publicIp,
    dns,
    sshCommand: host ? sshCommand(host, context.options.sshUser) : undefined,
  };
}

async function stopOne(jumpbox: JumpboxInfo, context: Context): Promise<JumpboxOutcome> {
  const { state } = jumpbox;
  if (GONE.has(state)) return refusal(jumpbox, `${jumpboxLabel(jumpbox)} is ${state}: there is nothing to stop.`);
  if (state !== 'stopped') {
    const cancelledOutcome = await stopInstance(jumpbox, context);
    if (cancelledOutcome) return cancelledOutcome;
  }
  // Also when it was already stopped (e.g. by its schedule in AWS): its record may still point at the released IP.
  const dns = await releaseRecord(context, jumpbox);
  const kind = state === 'stopped' ? 'already' : 'stopped';
  const dnsText = dns === undefined ? '' : dns.ok ? `; ${dns.name} deleted (it pointed at the released IP ${dns.deletedIps.join(', ')})` : `; DNS: ${dns.message}`;
  return { ...base(jumpbox), kind, state: 'stopped', message: `${jumpboxLabel(jumpbox)} is ${kind === 'already' ? 'already ' : ''}stopped${dnsText}.`, dns };
}

/** Stops the instance and waits until it is stopped; the outcome when cancelled on the way, else undefined. */
async function stopInstance(jumpbox: JumpboxInfo, context: Context): Promise<JumpboxOutcome | undefined> {
  const { instanceId, state } = jumpbox;
  if (state === 'pending') {
    // EC2 refuses to stop an instance that is still starting.
    context.progress(jumpbox, 'waiting for it to finish starting');
    if (!(await context.waitFor(waitUntilInstanceRunning, instanceId))) return cancelled(jumpbox, `${jumpboxLabel(jumpbox)} was not stopped (cancelled).`);
  }
  if (context.cancelled) return cancelled(jumpbox, `${jumpboxLabel(jumpbox)} was not stopped (cancelled).`);
  if (state !== 'stopping') {
    context.progress(jumpbox, 'stopping');
    await context.ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
  }
  context.progress(jumpbox, 'waiting until stopped');
  if (!(await context.waitFor(waitUntilInstanceStopped, instanceId))) {
    // Not undone: EC2 cannot start an instance until it has stopped, and its public IP is released anyway.
    return cancelled(jumpbox, `${jumpboxLabel(jumpbox)}: stop cancelled while waiting, but EC2 had the stop request already and finishes stopping it.`, 'stopping');
  }
  return undefined;
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
  return { ...base(jumpbox), kind: 'failed', message: `${jumpboxLabel(jumpbox)}: ${e.message} ${e.hint}`, error: e };
}
