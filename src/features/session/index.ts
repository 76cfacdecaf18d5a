import { registerCommand, type FeatureDeps } from '../../plumbing/commands';
import { RUN_FIX_COMMAND } from '../../plumbing/accountGroups';
import { runAccountFix, selectProfile, selectProfiles, selectRegions } from './commands';
import { IdentityStatus } from './identityStatus';

/**
 * Who and where AWS Ops acts: awsops.selectProfile, awsops.selectProfiles (several accounts), awsops.selectRegions,
 * awsops.runAccountFix (a failed account's `aws sso login`), awsops.showLog, and the status-bar
 * item naming the profile and account, updated after every discovery.
 */
export function registerSession(deps: FeatureDeps): void {
  const identity = new IdentityStatus();
  registerCommand(deps, 'awsops.selectProfile', () => selectProfile(deps.context, deps.host()));
  registerCommand(deps, 'awsops.selectProfiles', () => selectProfiles(deps.context, deps.host()));
  registerCommand(deps, RUN_FIX_COMMAND, async (node) => runAccountFix(node));
  registerCommand(deps, 'awsops.selectRegions', () => selectRegions(deps.context, deps.host()));
  registerCommand(deps, 'awsops.showLog', async () => deps.log.show());
  deps.extension.subscriptions.push(
    identity,
    deps.discovery.onDidChange(async (results) => {
      if (deps.context.fleetSource()) {
        const accounts = new Set(results.map((r) => r.account?.accountId)).size;
        return identity.showFleet(accounts, deps.discovery.failures().length);
      }
      if (results.length === 0) return;
      const { profile, endpointUrl } = deps.context.settings();
      identity.show(profile, await deps.context.identity(), endpointUrl);
    }),
  );
}
