import * as vscode from 'vscode';
import type { AwsContext } from '../../plumbing/awsContext';
import type { RegionResult } from '../../core/vip/model';
import type { NodeTreeProvider } from '../../plumbing/nodeTreeProvider';
import { buildVipRouteTree } from './model';

/** Loads VIP routes for the chosen regions into the VIP Routes view; a new refresh cancels the one in flight. */
export class VipRoutesController {
  private inFlight: AbortController | undefined;
  private running: Promise<void> = Promise.resolve();
  private latest: RegionResult[] = [];
  private readonly discovered = new vscode.EventEmitter<readonly RegionResult[]>();
  /** Fires after every completed discovery (also with [] when the settings are unusable). */
  readonly onDidDiscover = this.discovered.event;

  constructor(
    private readonly context: AwsContext,
    private readonly provider: NodeTreeProvider,
    private readonly view: vscode.TreeView<unknown>,
  ) {}

  /** The last discovery results (other views and commands reuse them instead of asking AWS again). */
  get results(): readonly RegionResult[] {
    return this.latest;
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
      this.view.message = undefined;
      // A newer refresh aborts this one; its rejection is expected and silent.
      const results = await aws.discoverRegions(this.context.pool, specs, { vpcIds: settings.vpcIds, pairTagKey: settings.pairTagKey, signal: abort.signal }).catch((error: unknown) => {
        if (abort.signal.aborted) return undefined;
        throw error;
      });
      if (!results || abort.signal.aborted) return;
      this.latest = results;
      this.provider.setRoots(buildVipRouteTree(results, { pairTagKey: settings.pairTagKey }));
      this.discovered.fire(results);
      void this.context.identity().then((identity) => {
        this.view.description = identity ? `${settings.profile ?? 'default'} · ${identity.account}` : undefined;
      });
    });
  }
}
