import * as vscode from 'vscode';
import type { AwsContext } from '../../plumbing/awsContext';
import type { FleetOutcome } from '../../core/fleet/run';
import { fleetProgressMessage } from '../../core/fleet/rows';
import type { FleetSource } from '../../core/fleet/model';
import { vipHealth } from '../../core/vip/health';
import type { RegionResult, RegionSnapshot } from '../../core/vip/model';
import { accountTree, fleetAnswers, type AccountFailure } from '../../plumbing/accountGroups';
import type { NodeTreeProvider } from '../../plumbing/nodeTreeProvider';
import { FLEET_RENDER_MS, RenderThrottle } from '../../plumbing/renderThrottle';
import type { Settings } from '../../plumbing/settings';
import type { TargetHintStore } from '../../plumbing/targetHintStore';
import type { SessionSpec } from '../../core/session/session';
import { buildVipRouteTree, regionResultOf } from './model';

/** Loads VIP routes for the chosen regions into the VIP Routes view; a new refresh cancels the one in flight. */
export class VipRoutesController {
  private inFlight: AbortController | undefined;
  private running: Promise<void> = Promise.resolve();
  private latest: RegionResult[] = [];
  private failed: AccountFailure[] = [];
  private partial = false;
  private readonly discovered = new vscode.EventEmitter<readonly RegionResult[]>();
  /** Fires after every completed discovery (also with [] when the settings are unusable). */
  readonly onDidDiscover = this.discovered.event;

  constructor(
    private readonly context: AwsContext,
    private readonly provider: NodeTreeProvider,
    private readonly view: vscode.TreeView<unknown>,
    /** What each region's routes named last time: the next discovery asks for it in its first round trip. */
    private readonly hints: TargetHintStore,
  ) {}

  /** The last discovery results (other views and commands reuse them instead of asking AWS again). */
  get results(): readonly RegionResult[] {
    return this.latest;
  }

  /** Accounts of the fleet that could not be read at all (each an error row with its fix). */
  get failures(): readonly AccountFailure[] {
    return this.failed;
  }

  /** True while a fleet refresh has delivered some accounts but not all. */
  get inProgress(): boolean {
    return this.partial;
  }

  /** Resolves when the discovery in flight, if any, has finished (or failed). */
  idle(): Promise<void> {
    return this.running.then(undefined, () => undefined);
  }

  refresh(): Promise<void> {
    return (this.running = this.discover());
  }

  private async discover(): Promise<void> {
    this.inFlight?.abort();
    const abort = new AbortController();
    this.inFlight = abort;
    await vscode.window.withProgress({ location: { viewId: 'awsops.vipRoutes' } }, async () => {
      const { aws } = this.context;
      const { settings, specs } = await this.context.targets();
      const profiles = await aws.listProfiles();
      const problems = await this.context.problems();
      const noCredentials = profiles.length === 0 && !process.env.AWS_ACCESS_KEY_ID && !settings.profile;
      // A round trip to the workbench: the welcome view follows it, discovery need not wait for it.
      void vscode.commands.executeCommand('setContext', 'awsops.noCredentials', noCredentials);
      if (problems.length > 0) {
        this.latest = [];
        this.view.message = noCredentials ? undefined : problems.join(' ');
        this.provider.setRoots([]);
        this.discovered.fire([]);
        problems.forEach((p) => this.context.log.error(p));
        return;
      }
      const fleet = this.context.fleetSource();
      if (fleet) return this.discoverFleet(fleet, settings, abort.signal);
      this.view.message = undefined;
      // A newer refresh aborts this one; its rejection is expected and silent.
      const { pairTagKey } = settings;
      const results = await aws.discoverRegions(this.context.pool, specs, { vpcIds: settings.vpcIds, pairTagKey, signal: abort.signal, expectedTargets: (spec) => this.hints.get(spec) }).catch((error: unknown) => {
        if (abort.signal.aborted) return undefined;
        throw error;
      });
      if (!results || abort.signal.aborted) return;
      results.forEach((result, i) => result.ok && this.hints.remember(specs[i], result.snapshot, pairTagKey));
      this.latest = results;
      this.failed = [];
      this.provider.setRoots(buildVipRouteTree(results, { pairTagKey: settings.pairTagKey }));
      this.discovered.fire(results);
      void this.context.identity().then((identity) => {
        this.view.description = identity ? `${settings.profile ?? 'default'} · ${identity.account}` : undefined;
      });
    });
  }

  /**
   * Every account of the fleet, shown account by account as each answers ("17 of 40 accounts" meanwhile); views
   * built on the discovery follow each step, change notices only the complete one.
   */
  private async discoverFleet(source: FleetSource, settings: Settings, signal: AbortSignal): Promise<void> {
    const { aws, pool } = this.context;
    const outcomes: Array<FleetOutcome<RegionSnapshot>> = [];
    this.view.message = 'Finding the accounts…';
    this.view.description = undefined;
    let final = false;
    const show = () => {
      const { regions, failures } = fleetAnswers(outcomes);
      this.latest = regions.map(regionResultOf);
      this.failed = failures;
      this.partial = !final;
      this.provider.setRoots(accountTree(this.latest, failures, (rs) => buildVipRouteTree(rs, { pairTagKey: settings.pairTagKey }), (rs) => vipHealth(rs, settings.pairTagKey).withProblems));
      this.discovered.fire(this.latest);
    };
    const throttle = new RenderThrottle(show, FLEET_RENDER_MS);
    try {
      const { pairTagKey } = settings;
      const discover = async (spec: SessionSpec, abort: AbortSignal) => {
        const snapshot = await aws.discoverRegion(pool.get(spec), { vpcIds: settings.vpcIds, pairTagKey, signal: abort, expectedTargets: this.hints.get(spec) });
        this.hints.remember(spec, snapshot, pairTagKey);
        return snapshot;
      };
      const summary = await this.context.runFleet(source, (spec, _account, abort) => discover(spec, abort), (outcome, progress) => {
        outcomes.push(outcome);
        this.view.message = fleetProgressMessage(progress);
        final = progress.answered === progress.total;
        if (final) throttle.flush();
        else throttle.request();
      }, signal);
      throttle.cancel();
      if (summary.cancelled) return;
      this.view.message = summary.total === 0 ? 'No accounts: the Organization lists none, or no profile matches awsops.profiles.' : undefined;
      if (summary.total === 0) {
        final = true;
        show();
      }
    } catch (error) {
      if (signal.aborted) return;
      // The accounts themselves could not be listed (ListAccounts, the management profile): nothing to show.
      const { code, message, hint } = aws.explainError(error);
      this.view.message = `${code}: ${message} ${hint}`;
      this.context.log.error(`Fleet: ${code}: ${message}`);
      this.latest = [];
      this.failed = [];
      this.partial = false;
      this.provider.setRoots([]);
      this.discovered.fire([]);
    }
  }
}
