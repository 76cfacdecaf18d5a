import { GetCommandInvocationCommand, SendCommandCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { sleep } from '../failover/bounded';
import { ROUTE_KEEPER_TIMER } from '../provision/routeKeeper';
import { explainError } from '../session/errors';

/**
 * Shell script run on both nodes through AWS-RunShellScript. It prints `key=value` lines and haproxy's
 * `show stat` CSV between markers, so the parser never guesses. Paths can be overridden by environment
 * variables for non-default installs.
 */
export const SERVICE_CHECK_SCRIPT = `#!/bin/bash
echo "awsops-check=1"
for svc in keepalived haproxy; do
  state=$(systemctl is-active "$svc" 2>/dev/null)
  echo "service.$svc=\${state:-unknown}"
done
# keepalived dumps its VRRP state to a file on SIGUSR1 (sent to the parent process).
kdata=\${KEEPALIVED_DATA:-/tmp/keepalived.data}
kpid=$(cat "\${KEEPALIVED_PID:-/run/keepalived.pid}" 2>/dev/null || pgrep -o -x keepalived)
if [ -n "$kpid" ] && rm -f "$kdata" && kill -USR1 "$kpid" 2>/dev/null; then
  for _ in $(seq 1 30); do [ -s "$kdata" ] && break; sleep 0.1; done
  sleep 0.2
  awk '/VRRP Instance = /{name=$NF; next} name != "" && /^ *State = /{print "vrrp." name "=" $NF; name=""}' "$kdata" 2>/dev/null
fi
# haproxy answers "show stat" on the stats socket named in its config.
cfg=\${HAPROXY_CFG:-/etc/haproxy/haproxy.cfg}
sock=$(awk '$1=="stats" && $2=="socket" {print $3; exit}' "$cfg" 2>/dev/null)
sock=\${sock#unix@}
if [ -S "$sock" ]; then
  echo "haproxy.stat.begin"
  if command -v socat >/dev/null; then
    echo "show stat" | socat -t 3 - "UNIX-CONNECT:$sock"
  else
    python3 -c 'import socket,sys
s=socket.socket(socket.AF_UNIX); s.settimeout(3); s.connect(sys.argv[1]); s.sendall(b"show stat\\n")
while True:
    b=s.recv(65536)
    if not b: break
    sys.stdout.write(b.decode(errors="replace"))' "$sock"
  fi
  echo "haproxy.stat.end"
else
  echo "haproxy.stat=no stats socket (\${sock:-none in $cfg})"
fi
# The scripts keepalived runs on a state change (they move the routes), from its config and the files it includes.
conf=\${KEEPALIVED_CONF:-/etc/keepalived/keepalived.conf}
if [ -r "$conf" ]; then
  echo "notify.read=1"
  files=("$conf")
  while read -r pattern; do for f in $pattern; do [ -r "$f" ] && files+=("$f"); done; done < <(awk '$1=="include" {print $2}' "$conf")
  awk '$1=="notify_master" || $1=="notify" {gsub(/"/, "", $2); print $2}' "\${files[@]}" | sort -u | while read -r script; do
    if [ -x "$script" ]; then echo "notify.ok=$script"; else echo "notify.missing=$script"; fi
  done
fi
echo "routekeeper=$(systemctl is-active ${ROUTE_KEEPER_TIMER} 2>/dev/null)"
exit 0
`;

export type ServiceState = 'active' | 'inactive' | 'failed' | 'activating' | 'deactivating' | 'reloading' | 'unknown';

export interface BackendServer {
  /** The backend (proxy) name. */
  name: string;
  /** The server name; "BACKEND" is haproxy's row for the backend as a whole. */
  server: string;
  /** haproxy's status as reported: UP, DOWN, MAINT, DRAIN, "UP 1/3", "no check"... */
  status: string;
}

export interface NodeServiceReport {
  instanceId: string;
  keepalived: ServiceState;
  haproxy: ServiceState;
  /** MASTER / BACKUP / FAULT..., "unknown" when keepalived did not say. With several VRRP instances: "VI_1=MASTER VI_2=BACKUP". */
  vrrpState: string;
  /** undefined when the stats could not be read (see note). */
  backends?: BackendServer[];
  /** Why some of this is unknown, in words. */
  note?: string;
  /** The notify scripts keepalived's configuration names, and whether each is executable; undefined when it was not read. */
  notifyScripts?: Array<{ path: string; executable: boolean }>;
  /** AWS Ops' route keeper timer, which re-runs the notify script while the node is MASTER. */
  routeKeeper?: ServiceState;
}

const SERVICE_STATES = new Set<ServiceState>(['active', 'inactive', 'failed', 'activating', 'deactivating', 'reloading']);

/** Parses the script's output for one node (pure). Missing or empty output yields "unknown", never a guess. */
export function parseServiceCheck(instanceId: string, output: string): NodeServiceReport {
  if (!/^awsops-check=1$/m.test(output)) {
    return { instanceId, keepalived: 'unknown', haproxy: 'unknown', vrrpState: 'unknown', note: 'The node returned no check output.' };
  }
  const values = new Map<string, string>();
  const lines = output.split(/\r?\n/);
  const begin = lines.indexOf('haproxy.stat.begin');
  const end = lines.indexOf('haproxy.stat.end', begin);
  const inStats = (index: number) => index > begin && begin >= 0 && (end < 0 || index < end);
  lines.forEach((line, index) => {
    const match = /^([a-z][\w.-]*)=(.*)$/i.exec(line);
    if (match && !inStats(index)) values.set(match[1], match[2].trim());
  });
  const vrrp = [...values].filter(([key]) => key.startsWith('vrrp.')).map(([key, state]) => ({ name: key.slice(5), state }));
  const states = [...new Set(vrrp.map((v) => v.state))];
  const backends = begin >= 0 && end > begin ? parseStatCsv(lines.slice(begin + 1, end)) : undefined;
  const notes = [
    vrrp.length === 0 ? 'keepalived did not report a VRRP state' : undefined,
    backends ? undefined : `haproxy stats unavailable${values.get('haproxy.stat') ? `: ${values.get('haproxy.stat')}` : ''}`,
  ].filter(Boolean);
  return {
    instanceId,
    keepalived: serviceState(values.get('service.keepalived')),
    haproxy: serviceState(values.get('service.haproxy')),
    vrrpState: states.length === 0 ? 'unknown' : states.length === 1 ? states[0] : vrrp.map((v) => `${v.name}=${v.state}`).join(' '),
    backends,
    note: notes.length ? `${notes.join('; ')}.` : undefined,
    ...(values.has('notify.read') ? { notifyScripts: notifyScripts(lines.filter((_, index) => !inStats(index))) } : {}),
    ...(values.has('routekeeper') ? { routeKeeper: serviceState(values.get('routekeeper')) } : {}),
  };
}

function notifyScripts(lines: readonly string[]): Array<{ path: string; executable: boolean }> {
  return lines.flatMap((line) => {
    const match = /^notify\.(ok|missing)=(.+)$/.exec(line);
    return match ? [{ path: match[2].trim(), executable: match[1] === 'ok' }] : [];
  });
}

/** haproxy's `show stat` CSV: a "# pxname,svname,...,status,..." header, then one row per proxy/server. */
function parseStatCsv(lines: string[]): BackendServer[] | undefined {
  const header = lines.find((l) => l.startsWith('# '));
  if (!header) return undefined;
  const columns = header.slice(2).split(',');
  const [px, sv, st] = ['pxname', 'svname', 'status'].map((c) => columns.indexOf(c));
  if (px < 0 || sv < 0 || st < 0) return undefined;
  return lines
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(','))
    .filter((cells) => cells[sv] !== 'FRONTEND' && cells.length > st)
    .map((cells) => ({ name: cells[px], server: cells[sv], status: cells[st] }));
}

function serviceState(value: string | undefined): ServiceState {
  return value && SERVICE_STATES.has(value as ServiceState) ? (value as ServiceState) : 'unknown';
}

export interface ServiceCheckOptions {
  /** How long to wait for both nodes to answer; default 60 s. */
  timeoutMs?: number;
  /** Pause between GetCommandInvocation polls; default 1 s. */
  pollMs?: number;
  signal?: AbortSignal;
}

/** Terminal statuses of a command invocation; Pending, InProgress, Delayed and Cancelling are still going. */
const DONE = new Set(['Success', 'Failed', 'Cancelled', 'TimedOut']);

/**
 * Runs the check on the nodes with one SSM Run Command and parses each node's output. A node that SSM
 * does not manage, that fails or does not answer in time is reported "unknown" with the reason.
 */
export async function checkServices(ssm: SSMClient, instanceIds: readonly string[], options: ServiceCheckOptions = {}): Promise<NodeServiceReport[]> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const sent = await sendCheck(ssm, [...instanceIds], options.signal);
  return Promise.all(
    instanceIds.map(async (instanceId) => {
      const commandId = sent.get(instanceId);
      if (typeof commandId !== 'string') return unknown(instanceId, commandId?.reason ?? 'SSM did not accept the command.');
      return awaitOutput(ssm, commandId, instanceId, deadline, options);
    }),
  );
}

/**
 * One command for all nodes. SendCommand rejects the whole call when one instance is not managed by SSM,
 * so then each node gets its own command and only the unmanaged one is reported as such.
 */
async function sendCheck(ssm: SSMClient, instanceIds: string[], signal?: AbortSignal): Promise<Map<string, string | { reason: string }>> {
  const send = async (ids: string[]) => {
    const input = { DocumentName: 'AWS-RunShellScript', InstanceIds: ids, Parameters: { commands: [SERVICE_CHECK_SCRIPT] }, TimeoutSeconds: 60, Comment: 'AWS Ops: check keepalived & haproxy' };
    return (await ssm.send(new SendCommandCommand(input), { abortSignal: signal })).Command?.CommandId ?? '';
  };
  try {
    const commandId = await send(instanceIds);
    return new Map(instanceIds.map((id) => [id, commandId]));
  } catch (error) {
    if (instanceIds.length < 2 || explainError(error).code !== 'InvalidInstanceId') throw error;
    const results = await Promise.all(instanceIds.map(async (id): Promise<[string, string | { reason: string }]> => {
      try {
        return [id, await send([id])];
      } catch (single) {
        const e = explainError(single);
        const reason = e.code === 'InvalidInstanceId' ? 'The instance is not managed by SSM (agent not running or no instance profile allowing it).' : `${e.code}: ${e.message}`;
        return [id, { reason }];
      }
    }));
    return new Map(results);
  }
}

async function awaitOutput(ssm: SSMClient, commandId: string, instanceId: string, deadline: number, options: ServiceCheckOptions): Promise<NodeServiceReport> {
  for (;;) {
    try {
      const invocation = await ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId }), { abortSignal: options.signal });
      const status = invocation.Status ?? 'Pending';
      if (DONE.has(status)) {
        const report = parseServiceCheck(instanceId, invocation.StandardOutputContent ?? '');
        if (status === 'Success') return report;
        const detail = invocation.StatusDetails && invocation.StatusDetails !== status ? ` (${invocation.StatusDetails})` : '';
        const stderr = invocation.StandardErrorContent?.trim().split('\n')[0];
        return { ...report, note: `The command ended ${status}${detail}${stderr ? `: ${stderr}` : ''}. ${report.note ?? ''}`.trim() };
      }
    } catch (error) {
      // Right after SendCommand the invocation may not exist yet.
      if (explainError(error).code !== 'InvocationDoesNotExist') throw error;
    }
    if (Date.now() + (options.pollMs ?? 1000) > deadline) return unknown(instanceId, 'The node did not answer in time.');
    await sleep(options.pollMs ?? 1000);
  }
}

function unknown(instanceId: string, note: string): NodeServiceReport {
  return { instanceId, keepalived: 'unknown', haproxy: 'unknown', vrrpState: 'unknown', note };
}
