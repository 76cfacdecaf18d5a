import { registerCommand, type FeatureDeps } from '../../plumbing/commands';
import { openConsole, openInConsole } from './commands';

/** awsops.openConsole (service → region → profile → signed-in page) and awsops.openInConsole (a row's resource). */
export function registerConsole(deps: FeatureDeps): void {
  registerCommand(deps, 'awsops.openConsole', () => openConsole(deps.context, deps.host()));
  registerCommand(deps, 'awsops.openInConsole', (node) => openInConsole(deps.context, deps.host(), node));
}
