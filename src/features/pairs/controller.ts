import * as vscode from 'vscode';
import type { AwsContext } from '../../plumbing/awsContext';
import type { Pair } from '../../core/pairs/pairs';
import type { NodeServiceReport } from '../../core/pairs/serviceCheck';
import type { StatusCheck } from '../../core/pairs/statusCheck';
import type { ExplainedError } from '../../core/session/errors';
import type { SessionSpec } from '../../core/session/session';
import type { RegionResult } from '../../core/vip/model';
import type { NodeTreeProvider } from '../../plumbing/nodeTreeProvider';
import type { TreeNode } from '../../plumbing/treeNode';
import { buildPairsTree, pairsWithProblems, serviceKey, type PairRegionView, type ServiceCheckView } from './model';
import { accountTree, type AccountFailure } from '../../plumbing/accountGroups';
import type { AccountRef } from '../../core/fleet/model';
import { pairKey, placeOf, type PairReadinessFacts } from './readinessModel';
import { ReadinessReader } from './readinessReader';

/**
 * Builds the HAProxy Pairs view from each VIP discovery (never asking AWS for the routes again): pairs per
 * region, with their nodes' status checks read in one batched call per region. A newer discovery supersedes
 * one still being built.
 */
export class PairsController {
  private latest: PairRegionView[] = [];
  private readonly services = new Map<string, ServiceCheckView>();
  private generation = 0;
  private building: Promise<void> = Promise.resolve();
  private readonly readinessReader: ReadinessReader;
  private readiness = new Map<string, PairReadinessFacts>();
  private readinessAbort: AbortController | undefined;
  private readonly built = new WeakMap<RegionResult, PairRegionView>();
  /** True once pairs were built from a discovery (the view then knows whether there are any). */
  loaded = false;

  constructor(
    private readonly context: AwsContext,
    private readonly provider: NodeTreeProvider,
    private readonly view: vscode.TreeView<TreeNode>,
    /** Accounts of the fleet that could not be read: shown here too, under the same error rows as VIP Routes. */
    private readonly failures: () => readonly AccountFailure[] = () => [],
  ) {
    this.readinessReader = new ReadinessReader(context, (region, account) => this.spec(region, account));
  }

  /** The pairs of the last build, of every region (and account) that answered. */
  get pairs(): Array<{ region: string; account?: AccountRef; pair: Pair }> {
    return this.latest.flatMap((result) => (result.ok ? result.pairs.map((pair) => ({ region: result.region, account: result.account, pair })) : []));
  }

  pairsIn(region: string, account?: AccountRef): Pair[] {
    return this.pairs.filter((p) => p.region === region && p.account?.accountId === account?.accountId).map((p) => p.pair);
  }

  find(region: string, pairName: string, account?: AccountRef): Pair | undefined {
    return this.pairsIn(region, account).find((pair) => pair.name === pairName);
  }

  /** Where calls about a pair go: its account's profile (and role) when several are shown, else the chosen profile. */
  spec(region: string, account?: AccountRef): SessionSpec {
    return this.context.specFor(region, account);
  }

  /** Rebuilds the view from a discovery; resolves when it is shown (or superseded). */
  update(results: readonly RegionResult[]): Promise<void> {
    const generation = ++this.generation;
    this.building = this.build(results, generation).catch((error: unknown) => {
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      this.context.log.error(`HAProxy Pairs: ${message}`);
      this.view.message = `The pairs could not be shown: ${message}`;
    });
    return this.building;
  }

  /** Resolves when the build of the latest discovery has been shown. */
  idle(): Promise<void> {
    return this.building;
  }

  /** Shows the answers of "Check keepalived & haproxy" under their nodes until the next check. */
  setServices(region: string, reports: readonly NodeServiceReport[], account?: AccountRef): void {
    const checkedAt = new Date();
    for (const report of reports) this.services.set(serviceKey(placeOf(region, account), report.instanceId), { report, checkedAt });
    this.render();
  }

  /** Drops check answers a failover made stale (keepalived's VRRP state follows the VIP). */
  forgetServices(region: string, instanceIds: readonly string[], account?: AccountRef): void {
    for (const id of instanceIds) this.services.delete(serviceKey(placeOf(region, account), id));
    this.render();
  }

  private async build(results: readonly RegionResult[], generation: number): Promise<void> {
    await vscode.window.withProgress({ location: { viewId: 'awsops.pairs' } }, async () => {
      const tagKey = this.context.settings().pairTagKey;
      const regions = await Promise.all(results.map((result) => this.regionView(result, tagKey)));
      if (generation !== this.generation) return;
      this.latest = regions;
      // Readiness is read again below; meanwhile a pair known before keeps its last IAM/EC2 facts with its new state.
      this.readiness = new Map(regions.flatMap((r) => (r.ok ? r.pairs : []).flatMap((pair) => {
        const key = pairKey(placeOf(r.region, r.account), pair.name);
        const before = this.readiness.get(key);
        return before ? [[key, { ...before, pair }]] : [];
      })));
      // An empty discovery means the settings are unusable; the VIP Routes view says why.
      this.view.message = results.length === 0 ? 'Nothing was discovered: the VIP Routes view says why.' : undefined;
      this.render();
      if (!this.loaded) {
        this.loaded = true;
        // The welcome text ("tag both nodes...") only makes sense once we know there are no pairs.
        void vscode.commands.executeCommand('setContext', 'awsops.pairsLoaded', true);
      }
      this.readinessAbort?.abort();
      const abort = (this.readinessAbort = new AbortController());
      const readiness = await this.readinessReader.read(results, regions, abort.signal);
      if (generation !== this.generation) return;
      this.readiness = readiness;
      this.render();
    });
  }

  private async regionView(result: RegionResult, tagKey: string): Promise<PairRegionView> {
    // A fleet refresh delivers account after account: the regions already built are not described again.
    const built = this.built.get(result);
    if (built) return built;
    const view = await this.readRegionView(result, tagKey);
    this.built.set(result, view);
    return view;
  }

  private async readRegionView(result: RegionResult, tagKey: string): Promise<PairRegionView> {
    if (!result.ok) return result;
    const { aws, pool } = this.context;
    const tagged = Object.values(result.snapshot.instances).filter((i) => i.tags[tagKey] !== undefined).map((i) => i.instanceId);
    let statuses: Record<string, StatusCheck> = {};
    let statusError: ExplainedError | undefined;
    if (tagged.length > 0) {
      try {
        statuses = await aws.describeStatuses(pool.get(this.spec(result.region, result.account)).client('ec2'), tagged);
      } catch (error) {
        statusError = aws.explainError(error);
      }
    }
    return { region: result.region, account: result.account, ok: true, pairs: aws.buildPairs(result.snapshot, tagKey, statuses), statusError };
  }

  private render(): void {
    const readiness = { facts: this.readiness, now: new Date() };
    this.provider.setRoots(accountTree(this.latest, this.failures(), (regions) => buildPairsTree({ regions, services: this.services, readiness }), pairsWithProblems));
  }
}
