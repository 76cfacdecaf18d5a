import { MUTATES, registerCommand, type FeatureDeps } from '../../plumbing/commands';
import { provisionPair, teardownPair } from './commands';

/** awsops.provisionPair (wizard → change set → create) and awsops.teardownPair (typed confirmation → delete). */
export function registerProvisioning(deps: FeatureDeps): void {
  registerCommand(deps, 'awsops.provisionPair', () => provisionPair(deps), MUTATES);
  registerCommand(deps, 'awsops.teardownPair', (node) => teardownPair(deps, node), MUTATES);
}
