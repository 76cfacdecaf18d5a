/**
 * DNS follows the instance, whoever started or stopped it: on running the A record is pointed at the new public
 * IP, on stopped the record the jumpbox owns is deleted (its IP is released). The same ownership rules as in
 * VS Code (src/core/jumpbox/dnsFollow.ts), minus the question: a record it does not own is never replaced.
 */
import { listHostedZones, type HostedZoneInfo } from '../src/core/jumpbox/dns';
import { pointRecordAt, releaseRecord, type DnsContext } from '../src/core/jumpbox/dnsFollow';
import type { JumpboxInfo } from '../src/core/jumpbox/model';
import type { StepResult } from './results';
import type { AgentRuntime } from './runtime';

export async function followState(runtime: AgentRuntime, jumpbox: JumpboxInfo, eventState: string): Promise<StepResult> {
  // Events can arrive late or out of order: act on the state the instance is in now.
  if (jumpbox.state !== eventState) return { outcome: 'skipped', text: `${eventState} event, but the instance is ${jumpbox.state} now: its own event follows` };
  const context = dnsContext(runtime);
  if (eventState === 'running') {
    const at = `running at ${jumpbox.publicIp ?? 'no public IP'}`;
    if (!jumpbox.dnsName) return { outcome: 'done', text: at };
    const update = await pointRecordAt(context, jumpbox);
    if (!update.ok) return { outcome: 'failed', text: `${at}; DNS not updated: ${update.message}` };
    return { outcome: 'done', text: `${at}; ${update.name} → ${update.ip}${update.changed ? '' : ' (already)'}` };
  }
  const release = await releaseRecord(context, jumpbox);
  if (!release) return { outcome: 'done', text: 'stopped' };
  if (!release.ok) return { outcome: 'failed', text: `stopped; DNS: ${release.message}` };
  return { outcome: 'done', text: `stopped; ${release.name} deleted (it pointed at the released IP ${release.deletedIps.join(', ')})` };
}

function dnsContext(runtime: AgentRuntime): DnsContext {
  let zones: Promise<HostedZoneInfo[]> | undefined;
  return {
    route53: runtime.route53,
    hostedZones: () => (zones ??= listHostedZones(runtime.route53)),
    dnsZones: runtime.config.dnsZones,
    options: { maxWaitSeconds: runtime.config.dnsWaitSeconds },
    // Nobody to ask in AWS: someone else's record stays as it is, and the result says so.
    confirmTakeover: async () => false,
    progress: (_jumpbox, message) => runtime.log(message),
  };
}
