import * as vscode from 'vscode';
import type { AccountRef, FleetSource } from '../../core/fleet/model';
import { fleetProgressMessage } from '../../core/fleet/rows';
import type { FleetOutcome } from '../../core/fleet/run';
import { accountTree, fleetAnswers, type AccountFailure } from '../../plumbing/accountGroups';
import type { AwsContext } from '../../plumbing/awsContext';
import { FLEET_RENDER_MS, RenderThrottle } from '../../plumbing/renderThrottle';
import type { JumpboxInfo } from '../../core/jumpbox/model';
import { priceListRegion, resolveHourlyPrice, type ResolvedPrice } from '../../core/jumpbox/pricing';
import { parseSchedule } from '../../core/jumpbox/schedule';
import type { AwsSession, SessionSpec } from '../../core/session/session';
import type { NodeTreeProvider } from '../../plumbing/nodeTreeProvider';
import type { TreeNode } from '../../plumbing/treeNode';
import { buildJumpboxTree, type JumpboxRef, type JumpboxRegionView, type JumpboxView } from './model';
import type { AgentView } from './agentModel';
import { PriceListCache } from './priceCache';
import { readJumpboxSettings } from './settings';

/**
 * Loads the jumpboxes of the chosen regions with their DNS, Scheduler and price facts into the Jumpboxes view.
 * The tree is shown as soon as AWS answered about the instances; prices fill in after. A new refresh cancels
 * the one in flight.
 */
export class JumpboxesController {
  private inFlight: AbortController | undefined;
  private latest: JumpboxRegionView[] = [];
  private readonly priceList = new PriceListCache();
  /** True once a refresh has completed (the view then knows whether there are jumpboxes at all). */
  loaded = false;

  constructor(
    private readonly context: AwsContext,
    private readonly provider: NodeTreeProvider,
    private readonly view: vscode.TreeView<TreeNode>,
  ) {}

  /** The jumpboxes of the last refresh, of every region that answered. */
  get jumpboxes(): readonly JumpboxView[] {
    return this.latest.flatMap((result) => (result.ok ? result.jumpboxes : []));
  }

  find(ref: Pick<JumpboxRef, 'region' | 'instanceId' | 'account'>): JumpboxView | undefined {
    return this.jumpboxes.find((j) => j.jumpbox.region === ref.region && j.jumpbox.instanceId === ref.instanceId && j.jumpbox.account?.accountId === ref.account?.accountId);
  }

  /** Where calls about a jumpbox go: its account's profile (and role) when several are shown, else the chosen profile. */
  async spec(region: string, account?: AccountRef): Promise<SessionSpec> {
    return this.context.specFor(region, account);
  }

  async refresh(): Promise<void> {
    this.inFlight?.abort();
    const abort = new AbortController();
    this.inFlight = abort;
    await vscode.window.withProgress({ location: { viewId: 'awsops.jumpboxes' } }, async () => {
      const { aws, pool } = this.context;
      const { settings, specs } = await this.context.targets();
      const problems = await this.context.problems();
      if (problems.length > 0) {
        this.show([], problems.join(' '));
        return;
      }
      const base = { profile: settings.profile, endpointUrl: settings.endpointUrl };
      const fleet = this.context.fleetSource();
      if (fleet) return this.refreshFleet(fleet, settings.jumpboxTagKey, base, abort.signal);
      const found = await aws.discoverJumpboxesInRegions(pool, base, specs.map((s) => s.region), settings.jumpboxTagKey);
      if (abort.signal.aborted) return;
      const inspected = await Promise.all(
        found.map(async (result): Promise<JumpboxRegionView> => {
          if (!result.ok) return result;
          const session = pool.get({ ...base, region: result.region });
          const [jumpboxes, agent] = await Promise.all([this.inspect(session, result.jumpboxes), this.readAgent(session)]);
          return { ...result, jumpboxes, agent };
        }),
      );
      if (abort.signal.aborted) return;
      this.show(inspected);
      const priced = await this.addPrices(inspected, base);
      if (abort.signal.aborted) return;
      this.show(priced);
    });
  }

  /** Every account of the fleet, shown as each answers; prices fill in once all have. */
  private async refreshFleet(source: FleetSource, tagKey: string, base: Omit<SessionSpec, 'region'>, signal: AbortSignal): Promise<void> {
    const { aws, pool } = this.context;
    const outcomes: Array<FleetOutcome<JumpboxRegionView>> = [];
    const views = (): { regions: JumpboxRegionView[]; failures: AccountFailure[] } => {
      const { regions, failures } = fleetAnswers(outcomes);
      return { regions: regions.map((r) => ({ ...(r.result ?? { region: r.region, ok: false, error: { code: r.problem?.kind ?? 'other', message: r.problem?.message ?? '', hint: r.problem?.fix ?? '' } }), account: r.account })), failures };
    };
    let message: string | undefined;
    const throttle = new RenderThrottle(() => {
      const { regions, failures } = views();
      this.show(regions, message, failures);
    }, FLEET_RENDER_MS);
    await this.context.runFleet(source, async (spec, account, abort) => {
      const session = pool.get(spec);
      const found = (await aws.discoverJumpboxes(session, tagKey)).map((jumpbox) => ({ ...jumpbox, account }));
      if (abort.aborted) throw abort.reason;
      const [jumpboxes, agent] = await Promise.all([this.inspect(session, found), this.readAgent(session)]);
      return { region: spec.region, ok: true, jumpboxes, agent } as JumpboxRegionView;
    }, (outcome, progress) => {
      outcomes.push(outcome);
      message = fleetProgressMessage(progress);
      throttle.request();
    }, signal);
    throttle.cancel();
    if (signal.aborted) return;
    const { regions, failures } = views();
    this.show(regions, undefined, failures);
    const priced = await this.addPrices(regions, base);
    if (!signal.aborted) this.show(priced, undefined, failures);
  }

  private show(regions: JumpboxRegionView[], message?: string, failures: readonly AccountFailure[] = []): void {
    this.latest = regions;
    this.view.message = message;
    const holidays = readJumpboxSettings().holidays;
    this.provider.setRoots(accountTree(regions, failures, (rs) => buildJumpboxTree({ regions: rs, now: new Date(), holidays }), () => 0));
    if (!this.loaded) {
      this.loaded = true;
      // The welcome text ("tag an instance...") only makes sense once we know there are none.
      void vscode.commands.executeCommand('setContext', 'awsops.jumpboxesLoaded', true);
    }
  }

  /** The region's jumpbox agent, as of the last refresh. */
  agent(region: string, account?: AccountRef): AgentView | undefined {
    const result = this.latest.find((r) => r.region === region && r.account?.accountId === account?.accountId);
    return result?.ok ? result.agent : undefined;
  }

  /** The regions of the last refresh whose agent is installed. */
  get agentRegions(): Array<{ region: string; account?: AccountRef }> {
    return this.latest.flatMap((r) => (r.ok && r.agent?.ok && r.agent.status.installed ? [{ region: r.region, account: r.account }] : []));
  }

  /** Never throws: a region whose stack cannot be read shows that on its agent row. */
  private async readAgent(session: AwsSession): Promise<AgentView> {
    try {
      return { ok: true, status: await this.context.aws.readAgentStatus(session) };
    } catch (error) {
      const e = this.context.aws.explainError(error);
      return { ok: false, message: `${e.message} ${e.hint}` };
    }
  }

  /** DNS (one zone listing per region) and the Scheduler state of each jumpbox, side by side. */
  private async inspect(session: AwsSession, jumpboxes: JumpboxInfo[]): Promise<JumpboxView[]> {
    const { aws } = this.context;
    const [dns, schedulers] = await Promise.all([
      aws.checkDnsForJumpboxes(session.client('route53'), jumpboxes, readJumpboxSettings().dnsZones),
      Promise.all(
        jumpboxes.map(async (jumpbox): Promise<JumpboxView['scheduler']> => {
          const parsed = jumpbox.scheduleText === undefined ? undefined : parseSchedule(jumpbox.scheduleText);
          try {
            return { ok: true, state: await aws.readJumpboxSchedule(session, jumpbox.instanceId, parsed?.ok ? parsed.schedule : undefined) };
          } catch (error) {
            const e = aws.explainError(error);
            return { ok: false, message: `${e.message} ${e.hint}` };
          }
        }),
      ),
    ]);
    return jumpboxes.map((jumpbox, i) => ({ jumpbox, dns: dns.get(jumpbox.instanceId), scheduler: schedulers[i] }));
  }

  /** One lookup per instance type, platform and region; never throws (an unknown price is shown as such). */
  private async addPrices(regions: JumpboxRegionView[], base: Omit<SessionSpec, 'region'>): Promise<JumpboxRegionView[]> {
    const { aws, pool } = this.context;
    const { hourlyPrices } = readJumpboxSettings();
    const lookups = new Map<string, Promise<ResolvedPrice>>();
    const priceOf = (jumpbox: JumpboxInfo): Promise<ResolvedPrice> | undefined => {
      const { instanceType, platformDetails, region } = jumpbox;
      if (!instanceType) return undefined;
      const key = `${region}|${instanceType}|${platformDetails ?? ''}`;
      let lookup = lookups.get(key);
      if (!lookup) {
        // The Price List API lives in one region per partition, whichever region the instance is in.
        const client = pool.get({ ...base, region: priceListRegion(partitionOf(region)) }).client('pricing');
        const fetchProducts = this.priceList.wrap(`${base.profile ?? ''}|${base.endpointUrl ?? ''}`, aws.priceListFetcher(client));
        lookup = resolveHourlyPrice({ instanceType, region, platformDetails }, { fetchProducts, hourlyPrices });
        lookups.set(key, lookup);
      }
      return lookup;
    };
    return Promise.all(
      regions.map(async (result) =>
        result.ok
          ? { ...result, jumpboxes: await Promise.all(result.jumpboxes.map(async (view) => ({ ...view, price: (await priceOf(view.jumpbox)) ?? UNKNOWN }))) }
          : result,
      ),
    );
  }
}

const UNKNOWN: ResolvedPrice = { source: 'unknown', note: 'the instance type is not known' };

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
