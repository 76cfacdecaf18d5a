// `npm run test:electron`: the same extension-host suite under @vscode/test-electron, on a machine where
// VS Code can be downloaded (not here, so CI runs the suite in code-server instead).
import { runTests } from '@vscode/test-electron';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
try {
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: resolve(root, 'out/test/suite/index.js'),
    launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  });
} catch (error) {
  console.error(`Extension tests failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
