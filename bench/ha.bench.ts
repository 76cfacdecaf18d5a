/**
 * The generated HA pair failing over for real (keepalived + haproxy in network namespaces, moto as EC2): 24 flaps,
 * cycling through the faults on whichever node is MASTER; 12 more on a public-only pair (the Elastic IP moves); a
 * minute of stress on the MASTER that must not fail over; then the reference design for comparison.
 * Needs root and `ip netns`; elsewhere it reports why it did not run.
 */
import { spawnSync } from 'node:child_process';
import type { NodeFile } from '../src/core/provision/userData';
import { HA_FAULTS, HaRig, haRigUnavailable, type HaFault, type HaNode, type HaRigOptions } from '../test/support/haRig';
import type { BenchContext, BenchRow } from './run';

/** 4 of each of the 6 fault kinds. */
const FLAPS = 24;
/** The public-only pair (an Elastic IP, no route table): 2 of each fault kind. */
const EIP_FLAPS = 12;
const GOAL_MEDIAN_S = 1.0;
const GOAL_P95_S = 1.5;
const STRESS_SECONDS = 60;

export async function rows(ctx: BenchContext): Promise<BenchRow[]> {
  const unavailable = haRigUnavailable();
  if (unavailable) return [{ name: 'ha_failover_s', value: 'skipped', note: unavailable }];
  const generated = await flaps(ctx, 'generated', FLAPS);
  const rows: BenchRow[] = HA_FAULTS.map((fault) => {
    const seconds = generated.seconds[fault] ?? [];
    if (seconds.length === 0) return { name: faultRowName(fault), value: 'failed', goal: `median ≤ ${GOAL_MEDIAN_S}, p95 ≤ ${GOAL_P95_S}`, note: 'no flap of this kind succeeded' };
    const [mid, p95] = [median(seconds), percentile(seconds, 0.95)];
    const met = mid <= GOAL_MEDIAN_S && p95 <= GOAL_P95_S;
    return {
      name: faultRowName(fault),
      value: Number(mid.toFixed(2)),
      goal: `median ≤ ${GOAL_MEDIAN_S}, p95 ≤ ${GOAL_P95_S}`,
      note: `${fault}: median fault → every route table on the new master; p95 ${p95.toFixed(2)} s of ${seconds.length}${met ? '' : '; GOAL MISSED'}`,
    };
  });
  rows.push({ name: 'ha_flaps_ok', value: generated.ok, goal: `${FLAPS}/${FLAPS}`, note: `of ${FLAPS}${generated.ok === FLAPS ? '' : `; ${generated.failures.join('; ')}`}` });
  rows.push(await elasticIpRow(ctx));
  rows.push(await stressRow(ctx));
  const aws = awsCli();
  if (!aws) return [...rows, { name: 'ha_failover_reference_s', value: 'skipped', note: 'no aws CLI found' }];
  const reference = await flaps(ctx, 'reference', HA_FAULTS.length, { rewriteFiles: referenceDesign(aws) });
  rows.push({
    name: 'ha_failover_reference_s',
    value: reference.median,
    note: `reference design (advert 1 s, process check every 2 s, sequential aws CLI calls): ${reference.note}, ${reference.ok}/${HA_FAULTS.length} ok`,
  });
  return rows;
}

/** e.g. ha_failover_s_haproxy_sigkill */
function faultRowName(fault: HaFault): string {
  return `ha_failover_s_${fault.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`;
}

/** The same faults on a public-only pair: fault → the Elastic IP associated with the new MASTER (DescribeAddresses). */
async function elasticIpRow(ctx: BenchContext): Promise<BenchRow> {
  const result = await flaps(ctx, 'public', EIP_FLAPS, { publicOnly: true });
  const all = Object.values(result.seconds).flat();
  const goal = `median ≤ ${GOAL_MEDIAN_S}, p95 ≤ ${GOAL_P95_S}`;
  if (all.length === 0) return { name: 'ha_failover_s_eip', value: 'failed', goal, note: result.failures.join('; ') };
  const [mid, p95] = [median(all), percentile(all, 0.95)];
  const met = mid <= GOAL_MEDIAN_S && p95 <= GOAL_P95_S;
  return {
    name: 'ha_failover_s_eip',
    value: Number(mid.toFixed(2)),
    goal,
    note: `public-only pair, fault → Elastic IP on the new master: p95 ${p95.toFixed(2)} s, ${result.ok}/${EIP_FLAPS} ok; ${result.note}${met ? '' : '; GOAL MISSED'}${result.failures.length ? `; ${result.failures.join('; ')}` : ''}`,
  };
}

/** The MASTER busy on every core and serving a request flood for a minute: any role change is a false failover. */
async function stressRow(ctx: BenchContext): Promise<BenchRow> {
  const rig = await HaRig.start({ log: (message) => ctx.log(`stress: ${message}`) });
  try {
    const master = rig.master();
    const changes = await rig.underStress(master, STRESS_SECONDS * 1000);
    return {
      name: 'ha_false_failovers_stress',
      value: changes.length,
      goal: '0',
      note: `${STRESS_SECONDS} s of CPU burners and a parallel HTTP flood on MASTER ${master.toUpperCase()}${changes.length ? `: ${changes.join('; ')}` : ''}`,
    };
  } finally {
    rig.destroy();
  }
}

interface FlapStats {
  median: number;
  seconds: Partial<Record<HaFault, number[]>>;
  ok: number;
  failures: string[];
  note: string;
}

async function flaps(ctx: BenchContext, label: string, count: number, options: Omit<HaRigOptions, 'log'> = {}): Promise<FlapStats> {
  const rig = await HaRig.start({ ...options, log: (message) => ctx.log(`${label}: ${message}`) });
  const seconds: Partial<Record<HaFault, number[]>> = {};
  const failures: string[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const fault = HA_FAULTS[i % HA_FAULTS.length];
      try {
        const result = await rig.failover(fault, 20_000);
        const problem =
          result.toState !== 'MASTER' ? `${result.to} is ${result.toState}` :
          result.servedBy !== rig.nodes[result.to].name ? `client got "${result.servedBy}"` :
          !result.vipHolders.includes(result.to) ? 'the new master has no VIP' : undefined;
        await rig.recover(fault, result.from);
        await rig.settle(result.to, 20_000);
        if (problem) throw new Error(problem);
        (seconds[fault] ??= []).push(result.seconds);
        ctx.log(`${label} flap ${i + 1}/${count} (${fault}): ${result.from.toUpperCase()}→${result.to.toUpperCase()} ${result.seconds.toFixed(2)} s`);
      } catch (error) {
        const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
        failures.push(`flap ${i + 1} (${fault}): ${message}`);
        ctx.log(`${label} flap ${i + 1}/${count} (${fault}) FAILED: ${message}`);
        break; // the pair's state is unknown now; the remaining flaps count as failed
      }
    }
  } finally {
    rig.destroy();
  }
  const all = Object.values(seconds).flat();
  const perFault = HA_FAULTS.filter((f) => seconds[f]).map((f) => `${f} ${median(seconds[f] ?? []).toFixed(2)}`).join(', ');
  const range = all.length > 0 ? `${Math.min(...all).toFixed(2)}–${Math.max(...all).toFixed(2)} s` : 'no flap';
  return { median: all.length > 0 ? median(all) : Number.NaN, seconds, ok: all.length, failures, note: `range ${range}; by fault: ${perFault}` };
}

/**
 * The design this product replaced, applied to the generated files: adverts every second, a process check every 2 s
 * (pgrep on the node's own haproxy, as pidof would see every node's in a shared pid namespace), and one aws CLI call
 * per route table, one after the other, with the instance role's credentials.
 */
function referenceDesign(aws: string) {
  return (files: NodeFile[], node: HaNode): NodeFile[] =>
    files.map((file) => {
      if (file.path === node.paths.keepalivedConf) {
        const check = ['vrrp_script chk_haproxy {', `  script "/usr/bin/pgrep -f -- ${node.paths.haproxyCfg}"`, '  interval 2', '  fall 2', '  rise 2', '}'];
        return { ...file, content: file.content.replace(/advert_int \S+/, 'advert_int 1').replace(/vrrp_script chk_haproxy \{[^}]*\}/, check.join('\n')) };
      }
      if (file.path === node.paths.notifyScript) {
        const sequential = [
          '    for table in $ROUTE_TABLES; do',
          `      AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null ${aws} ec2 replace-route --endpoint-url "$ENDPOINT_URL" \\`,
          '        --region "$REGION" --route-table-id "$table" --destination-cidr-block "$VIP/32" --network-interface-id "$ENI_ID" \\',
          '        >/dev/null 2>&1 && log "$table: moved by the aws CLI"',
          '    done',
        ];
        const content = file.content.replace('    move_as_master\n', `${sequential.join('\n')}\n`);
        if (content === file.content) throw new Error('the notify script no longer has the master branch the reference design replaces');
        return { ...file, content };
      }
      return file;
    });
}

/** The aws CLI's real path: scripts keepalived starts get no PATH, and a pyenv shim needs one. */
function awsCli(): string | undefined {
  for (const argv of [['pyenv', 'which', 'aws'], ['sh', '-c', 'command -v aws']]) {
    const found = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
    if (found.status === 0 && found.stdout.trim()) return found.stdout.trim();
  }
  return undefined;
}

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
