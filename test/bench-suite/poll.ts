import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { AwsOpsApi } from '../../src/extension';
import { COUNTS_PATH } from '../support/faultProxy';

const IDLE_S = 30;
const POLL_S = 80;
/** Several polls in the window, each finishing before the next is due (a 1,000-table discovery takes seconds in moto). */
const POLL_INTERVAL_S = 10;

/**
 * A one-shot "suite" for the polling benchmark, in a fresh real extension host whose AWS endpoint is a
 * counting proxy in front of moto's 1,000-table world: it loads the views, then measures the extension host's
 * CPU time for IDLE_S seconds without polling and for POLL_S seconds of polling every POLL_INTERVAL_S seconds
 * (the world unchanged), and the AWS calls the polls made; the benchmark scales both to its rows.
 */
export async function run(): Promise<void> {
  const out = process.env.AWS_OPS_BENCH_OUT;
  const endpoint = process.env.AWS_OPS_BENCH_ENDPOINT;
  if (!out || !endpoint) throw new Error('AWS_OPS_BENCH_OUT and AWS_OPS_BENCH_ENDPOINT must be set');
  const config = vscode.workspace.getConfiguration('awsops');
  const global = vscode.ConfigurationTarget.Global;
  await config.update('poll.interval', 0, global);
  await config.update('endpointUrl', endpoint, global);
  await config.update('profile', 'bench', global);
  await config.update('regions', ['us-east-1'], global);
  const extension = vscode.extensions.getExtension<AwsOpsApi>('aws-ops.aws-ops');
  if (!extension) throw new Error('aws-ops is not installed in this host');
  const api = await extension.activate();
  await vscode.commands.executeCommand('workbench.view.extension.awsops');
  // Twice: the second load runs warm, as every poll after the first does.
  for (let i = 0; i < 2; i++) {
    await vscode.commands.executeCommand('awsops.refresh');
    await api.refresh();
  }
  const region = api.vipRoutes.getRoots()[0];
  if (!/^500 VIPs/.test(region?.description ?? '')) throw new Error(`the world did not load: ${region?.label} ${region?.description}`);

  const idleCpuMs = await cpuOver(IDLE_S);
  const before = await counts(endpoint);
  await config.update('poll.interval', POLL_INTERVAL_S, global);
  const pollCpuMs = await cpuOver(POLL_S, async () => {
    await config.update('poll.interval', 0, global);
    // The poll in flight when polling stopped still counts: let it finish inside the window.
    await new Promise((resolve) => setTimeout(resolve, 3000));
  });
  const after = await counts(endpoint);
  const calls = Object.fromEntries(Object.entries(after).map(([action, n]) => [action, n - (before[action] ?? 0)]).filter(([, n]) => Number(n) > 0));
  fs.writeFileSync(out, JSON.stringify({ idleCpuMs, idleSeconds: IDLE_S, pollCpuMs, pollSeconds: POLL_S + 3, pollIntervalSeconds: POLL_INTERVAL_S, calls }));
}

/** User + system CPU time of this process (the extension host) over `seconds`, then over `tail`. */
async function cpuOver(seconds: number, tail: () => Promise<void> = async () => undefined): Promise<number> {
  const start = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  await tail();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

async function counts(endpoint: string): Promise<Record<string, number>> {
  return (await (await fetch(`${endpoint}${COUNTS_PATH}`)).json()) as Record<string, number>;
}
