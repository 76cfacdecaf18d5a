import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/**
 * Entry point of the extension-host suite, in the shape @vscode/test-electron and code-server's
 * extensionTestsPath both expect: run() resolves when every test passed and rejects otherwise.
 */
export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  // Test files mirror src/ (features/<capability>.test.js): collect them from every folder below this one.
  // AWS_OPS_SUITE_FILES (comma-separated parts of paths, e.g. "poller,goTo") runs only the matching files.
  const only = process.env.AWS_OPS_SUITE_FILES?.split(',').filter(Boolean);
  const files = fs
    .readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.js') && (!only || only.some((part) => f.includes(part))));
  for (const file of files.sort()) mocha.addFile(path.join(__dirname, file));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension-host tests failed`)) : resolve()));
  });
}
