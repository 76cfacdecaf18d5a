import { registerMutatingCommand, type FeatureDeps } from '../../plumbing/commands';
import { provisionPair, teardownPair } from './commands';

/** awsops.provisionPair (wizard → change set → create) and awsops.teardownPair (typed confirmation → delete). */
export function registerProvisioning(deps: FeatureDeps): void {
  registerMutatingCommand(deps, 'awsops.provisionPair', () => provisionPair(deps));
  registerMutatingCommand(deps, 'awsops.teardownPair', (node) => teardownPair(deps, node));
}
