import * as vscode from 'vscode';
import type { FailoverReport, FailoverPhase } from '../../core/failover/execute';
import type { PreparedFailover } from '../../core/failover/failover';
import { pairOfVip, requestForPair, type FailoverRequest } from '../../core/failover/plan';
import type { CheckId } from '../../core/failover/preflight';
import { formatPlan, formatReport, missingRoutesPrompt, whereabouts, type MissingRoutesPrompt } from '../../core/failover/report';
import type { AccountRef } from '../../core/fleet/model';
import type { Pair } from '../../core/pairs/pairs';
import type { AwsSession } from '../../core/session/session';
import { confirmDetail } from '../../plumbing/actingAs';
import { registerMutatingCommand, type FeatureDeps } from '../../plumbing/commands';
import type { Host } from '../../plumbing/host';
import type { TreeNode } from '../../plumbing/treeNode';
import type { PairsController } from './controller';
import { describeServices, nodeLabel, pairRowOf, serviceProblems, vipLabel, vipRowOf, withNodeNames } from './model';

export const OVERRIDE = 'Override and continue';
export const FAIL_OVER_ROLLBACK = 'Fail over (roll back on partial failure)';
export const FAIL_OVER_KEEP = 'Fail over (keep moved tables)';
export const ADD_MISSING = 'Add the VIP route to them';
export const LEAVE_MISSING = 'Leave them without it';
export const PLAN_FAIL_OVER = 'Fail Over…';

export function registerPairCommands(deps: FeatureDeps, controller: PairsController): void {
  const commands = new PairCommands(deps, controller);
  // The plan offers "Fail Over…", and the service check runs a command on the nodes: all three act in AWS.
  registerMutatingCommand(deps, 'awsops.failover', (node) => commands.failover(node));
  registerMutatingCommand(deps, 'awsops.showFailoverPlan', (node) => commands.showPlan(node));
  registerMutatingCommand(deps, 'awsops.checkPairServices', (node) => commands.checkServices(node));
}

/** A pair, or one VIP of it, found from a row or picked from a list. */
interface Target {
  region: string;
  /** The pair's account when several are shown: its calls sign in as that account. */
  account?: AccountRef;
  pair: Pair;
  cidr?: string;
}

/** A failover request with what the messages call its parts. */
interface Chosen extends Target {
  request: FailoverRequest;
  /** "VIP 192.168.55.100 of pair web" or "pair web (192.168.55.100, ...)". */
  what: string;
  /** The node the VIPs move to, by name. */
  to: string;
}

const PHASES: Record<FailoverPhase, string> = {
  checking: 'Checking the nodes again',
  moving: 'Moving the routes',
  verifying: 'Reading every table back',
  'rolling-back': 'Rolling back the moved tables',
  settling: 'Settling with a concurrent failover',
};

class PairCommands {
  constructor(
    private readonly deps: FeatureDeps,
    private readonly controller: PairsController,
  ) {}

  private get host(): Host {
    return this.deps.host();
  }

  /** Plan → preflight (refuse, or override per check) → missing tables → modal plan → move → report → refresh. */
  async failover(node?: TreeNode): Promise<void> {
    const chosen = await this.choose(node, 'Fail Over');
    if (chosen) await this.run(chosen);
  }

  private async run(chosen: Chosen): Promise<void> {
    const session = this.session(chosen);
    let prepared = await this.prepare(session, chosen.request, chosen.what);
    let overrides = await this.preflight(prepared, chosen, new Set());
    if (!overrides) return;
    const missing = missingRoutesPrompt(prepared.plan);
    if (missing) {
      const add = await this.askToAdd(missing, chosen);
      if (!add) return;
      if (add.length > 0) {
        prepared = await this.prepare(session, { ...chosen.request, addToTableIds: add }, chosen.what);
        overrides = await this.preflight(prepared, chosen, overrides);
        if (!overrides) return;
      }
    }
    const lines = withNodeNames(formatPlan(prepared.plan, prepared.checks), chosen.pair);
    this.log(lines);
    if (prepared.plan.steps.every((s) => s.action === 'none') && prepared.plan.eipSteps.every((s) => s.action === 'none')) {
      return void (await this.host.info(`${chosen.what} already points at ${chosen.to} in every route table${prepared.plan.eipSteps.length ? ' and Elastic IP' : ''}: nothing to change.`));
    }
    const detail = await confirmDetail(this.deps.context, chosen.region, lines.join('\n'), chosen.account);
    const choice = await this.host.confirm(`Fail over ${chosen.what} to ${chosen.to}?`, detail, FAIL_OVER_ROLLBACK, FAIL_OVER_KEEP);
    if (choice !== FAIL_OVER_ROLLBACK && choice !== FAIL_OVER_KEEP) return;
    // Cancel stops before the first write, or rolls back what moved; either way the report says so.
    const report = await this.host.withProgress(`AWS Ops: Failing over ${chosen.what} to ${chosen.to}`, (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return this.deps.context.aws.runFailover(session, prepared, {
        overrides,
        signal: abort.signal,
        onPartialFailure: choice === FAIL_OVER_KEEP ? 'keep' : 'rollback',
        onProgress: (p) => progress(`${PHASES[p.phase]}: ${p.done}/${p.total}`),
      });
    });
    this.report(report, chosen.pair);
    this.controller.forgetServices(chosen.region, chosen.request.nodeIds, chosen.account);
    // The tree follows what AWS says now, not what the report assumes.
    await vscode.commands.executeCommand('awsops.refresh');
    await this.controller.idle();
  }

  /** The same preparation as a failover, shown in a modal and the log; nothing changes. */
  async showPlan(node?: TreeNode): Promise<void> {
    const chosen = await this.choose(node, 'Show Failover Plan');
    if (!chosen) return;
    const prepared = await this.prepare(this.session(chosen), chosen.request, chosen.what);
    const lines = withNodeNames(formatPlan(prepared.plan, prepared.checks), chosen.pair);
    this.log(lines);
    const choice = await this.host.confirm(`Failover plan of ${chosen.what} to ${chosen.to} (nothing was changed)`, lines.join('\n'), PLAN_FAIL_OVER);
    if (choice === PLAN_FAIL_OVER) await this.run(chosen);
  }

  /** One SSM Run Command on both nodes; the answers show under the nodes. */
  async checkServices(node?: TreeNode): Promise<void> {
    const target = await this.target(node, 'Check keepalived & haproxy', false);
    if (!target) return;
    const { pair, region } = target;
    const nodes = pair.nodes.filter((n) => !['shutting-down', 'terminated'].includes(n.instance.state));
    if (nodes.length === 0) return void (await this.host.warn(`Pair ${pair.name} has no live node to check.`));
    const { aws } = this.deps.context;
    const ssm = this.session(target).client('ssm');
    let reports;
    try {
      reports = await this.host.withProgress(`AWS Ops: Checking keepalived & haproxy on pair ${pair.name}`, (_progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return aws.checkServices(ssm, nodes.map((n) => n.instance.instanceId), { signal: abort.signal });
      });
    } catch (error) {
      const e = aws.explainError(error);
      return void (await this.host.error(`Could not check keepalived & haproxy on pair ${pair.name}: ${e.code}: ${e.message} ${e.hint}`));
    }
    this.controller.setServices(region, reports, target.account);
    let attention = false;
    const lines = reports.map((report) => {
      const node = nodes.find((n) => n.instance.instanceId === report.instanceId);
      const summary = describeServices(report);
      const problems = node ? serviceProblems(report, node.role) : [];
      attention ||= summary === 'unknown' || problems.length > 0;
      return [`${node ? nodeLabel(node.instance) : report.instanceId}: ${summary}`, report.note && `(${report.note})`, ...problems].filter(Boolean).join(' ');
    });
    this.log([`keepalived & haproxy on pair ${pair.name}:`, ...lines]);
    const text = `Pair ${pair.name}: ${lines.join(' | ')}`;
    await (attention ? this.host.warn(text) : this.host.info(text));
  }

  /** The pair (and VIP) of a row, or picked from a list; then the request, asking for the node when the routes disagree. */
  private async choose(node: TreeNode | undefined, title: string): Promise<Chosen | undefined> {
    const target = await this.target(node, title, true);
    if (!target) return undefined;
    const { pair, cidr } = target;
    const vips = [...pair.vips.map((v) => vipLabel(v.cidr)), ...pair.publicVips.map((v) => v.address.publicIp)];
    const what = cidr ? `VIP ${vipLabel(cidr)} of pair ${pair.name}` : `pair ${pair.name} (${vips.join(', ') || 'no VIP'})`;
    let request = requestForPair(pair, { cidr });
    // Asking for the node helps only when that is all that is missing (the routes disagree, or several peers).
    const first = pair.nodes[0]?.instance.instanceId;
    if ('problem' in request && first && !('problem' in requestForPair(pair, { cidr, toInstanceId: first }))) {
      const items = pair.nodes.map((n) => ({
        label: nodeLabel(n.instance),
        description: [n.role, n.instance.state, n.instance.availabilityZone].filter(Boolean).join(' · '),
        instanceId: n.instance.instanceId,
      }));
      const picked = await this.host.showQuickPick(items, { title: `AWS Ops: ${title}: ${what} to which node?`, placeHolder: request.problem });
      if (!picked) return undefined;
      request = requestForPair(pair, { cidr, toInstanceId: picked.instanceId });
    }
    if ('problem' in request) return void (await this.host.error(request.problem));
    const toNode = pair.nodes.find((n) => n.instance.instanceId === request.toInstanceId);
    return { ...target, request, what, to: toNode ? `${nodeLabel(toNode.instance)} (${request.toInstanceId})` : request.toInstanceId };
  }

  /** A pair row, a VIP row of either view, or a pick from the pairs (and, for a failover, their VIPs). */
  private async target(node: TreeNode | undefined, title: string, offerVips: boolean): Promise<Target | undefined> {
    await this.ensureLoaded();
    const row = pairRowOf(node);
    const vip = vipRowOf(node);
    const tagKey = this.deps.context.settings().pairTagKey;
    if (row) {
      const pair = this.controller.find(row.region, row.pairName, node?.account);
      if (pair) return { region: row.region, account: node?.account, pair, cidr: row.cidr };
      return void (await this.host.error(`Pair ${row.pairName} is no longer in ${row.region}: no instance there has tag ${tagKey}=${row.pairName} any more.`));
    }
    if (vip) {
      const pair = pairOfVip(this.controller.pairsIn(vip.region, node?.account), vip.vpcId, vip.cidr);
      if (pair) return { region: vip.region, account: node?.account, pair, cidr: vip.cidr };
      const text = `VIP ${vip.cidr} in ${vip.vpcId} points at no node of an HAProxy pair. AWS Ops fails over only between the two nodes of a pair: tag both with ${tagKey}=<pair name>, then refresh.`;
      return void (await this.host.error(text));
    }
    return this.pick(title, offerVips, tagKey);
  }

  private async pick(title: string, offerVips: boolean, tagKey: string): Promise<Target | undefined> {
    const all = this.controller.pairs;
    if (all.length === 0) {
      return void (await this.host.info(`No HAProxy pairs found: a pair is two instances with the same value of tag ${tagKey} (awsops.pairTagKey). Tag them, or use "Provision HAProxy Pair…", then refresh.`));
    }
    const showRegion = new Set(all.map((p) => p.region)).size > 1;
    const showAccount = new Set(all.map((p) => p.account?.accountId)).size > 1;
    const items = all.flatMap(({ region, account, pair }) => {
      const vips = pair.vips.map((v) => vipLabel(v.cidr));
      const where = `${showAccount && account ? ` · ${account.label} (${account.accountId})` : ''}${showRegion ? ` · ${region}` : ''}`;
      const whole = { label: pair.name, description: `${vips.join(', ') || 'no VIP'}${where}`, detail: pair.health.summary, target: { region, account, pair } as Target };
      const single = offerVips && pair.vips.length > 1
        ? pair.vips.map((v) => ({ label: `${pair.name}: ${vipLabel(v.cidr)}`, description: `only this VIP${where}`, detail: undefined, target: { region, account, pair, cidr: v.cidr } as Target }))
        : [];
      return [whole, ...single];
    });
    const picked = await this.host.showQuickPick(items, { title: `AWS Ops: ${title}`, placeHolder: offerVips ? 'Pick a pair (all its VIPs) or one VIP' : 'Pick a pair', matchOnDescription: true });
    return picked?.target;
  }

  /** Commands may run before anyone opened a view: then the VIP discovery runs first. */
  private async ensureLoaded(): Promise<void> {
    if (!this.controller.loaded) await vscode.commands.executeCommand('awsops.refresh');
    await this.controller.idle();
  }

  private prepare(session: AwsSession, request: FailoverRequest, what: string): Promise<PreparedFailover> {
    return this.host.withProgress(`AWS Ops: Planning the failover of ${what}`, () => this.deps.context.aws.prepareFailover(session, request));
  }

  /**
   * The overrides to run with, or undefined when the failover is refused (with the reasons shown). Checks that
   * cannot be overridden refuse at once; the others are listed in a modal the user may override.
   */
  private async preflight(prepared: PreparedFailover, chosen: Chosen, accepted: ReadonlySet<CheckId>): Promise<Set<CheckId> | undefined> {
    const failed = prepared.checks.filter((c) => !c.ok);
    const hard = failed.filter((c) => !c.overridable);
    if (hard.length > 0) return this.refuse(chosen, hard.map((c) => c.message));
    const pending = failed.filter((c) => !accepted.has(c.id));
    if (pending.length === 0) return new Set(accepted);
    const detail = [...pending.map((c) => `✗ ${c.message}`), '', 'Override only when you know why they fail: the VIP may then point at a node that cannot serve it.'].join('\n');
    const title = `${pending.length} preflight check${pending.length === 1 ? '' : 's'} failed for the failover of ${chosen.what} to ${chosen.to}`;
    if ((await this.host.confirm(title, detail, OVERRIDE)) !== OVERRIDE) return this.refuse(chosen, pending.map((c) => c.message));
    this.deps.log.warn(`Preflight overridden for ${chosen.what}: ${pending.map((c) => c.id).join(', ')}`);
    return new Set([...accepted, ...pending.map((c) => c.id)]);
  }

  private async refuse(chosen: Chosen, reasons: string[]): Promise<undefined> {
    const text = `Failover of ${chosen.what} to ${chosen.to} refused; nothing was changed. ${reasons.join(' ')}`;
    this.deps.log.warn(text);
    await this.host.error(text);
    return undefined;
  }

  /** The ids of the tables to add the VIP route to ([] to leave them), or undefined when cancelled. */
  private async askToAdd(missing: MissingRoutesPrompt, chosen: Chosen): Promise<string[] | undefined> {
    const count = missing.routeTableIds.length;
    const picked = await this.host.showQuickPick(
      [
        { label: LEAVE_MISSING, description: 'Only the tables that carry the VIP now move', detail: missing.tables },
        { label: ADD_MISSING, description: `Add a route to ${chosen.to} in ${count} table${count === 1 ? '' : 's'}`, detail: missing.tables },
      ],
      { title: `AWS Ops: ${missing.title}`, placeHolder: missing.affected },
    );
    if (!picked) return undefined;
    return picked.label === ADD_MISSING ? missing.routeTableIds : [];
  }

  /** Info when every table moved and was verified; otherwise an error with each table. Both say where the VIP points. */
  private report(report: FailoverReport, pair: Pair): void {
    const lines = withNodeNames(formatReport(report), pair);
    this.log(lines);
    const where = whereabouts(report)
      .map((w) => `${vipLabel(w.cidr)} → ${w.targets.map((t) => `${t.label} (${t.routeTableIds.length} table${t.routeTableIds.length === 1 ? '' : 's'})`).join(', ')}`)
      .join('; ');
    const now = where ? ` Where it points now: ${withNodeNames([where], pair)[0]}.` : '';
    if (report.result === 'moved' || report.result === 'cancelled') return void this.host.info(`${lines[0]}${now}`);
    const tables = lines.filter((line) => line.startsWith('  '));
    const text = [`${lines[0]}${now}`, ...tables.map((line) => line.trim()), ...lines.filter((line) => line.startsWith('Moved by this run')), ...report.notes].join('\n');
    const shown = report.result === 'converged' ? this.host.warn(text, 'Show Log') : this.host.error(text, 'Show Log');
    void shown.then((action) => action && this.deps.log.show());
  }

  private log(lines: readonly string[]): void {
    for (const line of lines) this.deps.log.info(line);
  }

  private session(target: Pick<Target, 'region' | 'account'>): AwsSession {
    return this.deps.context.pool.get(this.controller.spec(target.region, target.account));
  }
}
