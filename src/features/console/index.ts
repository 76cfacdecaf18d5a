import { registerCommand, type FeatureDeps } from '../../plumbing/commands';
import { openConsole, openInConsole } from './commands';
import { openResourceInConsole } from './openResource';

/**
 * awsops.openConsole (service → region → profile → signed-in page), awsops.openInConsole (a row's resource) and
 * awsops.openResourceInConsole (an ARN or id selected in an editor or on the clipboard).
 */
export function registerConsole(deps: FeatureDeps): void {
  registerCommand(deps, 'awsops.openConsole', () => openConsole(deps.context, deps.host()));
  registerCommand(deps, 'awsops.openInConsole', (node) => openInConsole(deps.context, deps.host(), node));
  registerCommand(deps, 'awsops.openResourceInConsole', (argument) => openResourceInConsole(deps, argument));
}
