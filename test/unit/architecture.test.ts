// The import direction ARCHITECTURE.md describes is enforced by eslint.config.mjs: a violation fails the lint.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const ROOT = join(__dirname, '..', '..', '..');

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, filePath) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import direction (eslint.config.mjs)', () => {
  const violations: Array<[string, string, RegExp]> = [
    ['src/core/vip/x.ts', "import * as vscode from 'vscode';\nexport const a = vscode;", /free of the VS Code API/],
    ['src/core/vip/x.ts', "import { Host } from '../../plumbing/host';\nexport type A = Host;", /nothing from the layers above/],
    ['src/core/vip/x.ts', "import { registerPairs } from '../../features/pairs';\nexport const a = registerPairs;", /nothing from the layers above/],
    ['src/plumbing/x.ts', "import { registerPairs } from '../features/pairs';\nexport const a = registerPairs;", /knows no capability/],
    ['src/plumbing/x.ts', "import { EC2Client } from '@aws-sdk/client-ec2';\nexport const a = EC2Client;", /loads lazily/],
    ['src/features/pairs/x.ts', "import { buildJumpboxTree } from '../jumpboxes/model';\nexport const a = buildJumpboxTree;", /own files, plumbing and core/],
    ['src/features/pairs/x.ts', "import { SessionPool } from '../../aws/index';\nexport const a = SessionPool;", /loads lazily/],
    ['agent/x.ts', "import * as vscode from 'vscode';\nexport const a = vscode;", /without VS Code/],
    ['agent/x.ts', "import { guarded } from '../src/plumbing/commands';\nexport const a = guarded;", /only src\/core/],
    ['src/extension.ts', "import { Route53Client } from '@aws-sdk/client-route-53';\nexport const a = Route53Client;", /loads lazily/],
    ['src/features/pairs/x.ts', "import { checkServices } from '../../aws/ssm';\nexport const a = checkServices;", /loads lazily/],
  ];
  for (const [file, code, message] of violations) {
    it(`refuses in ${file}: ${code.split('\n')[0]}`, async () => {
      const messages = await restrictedImports(file, code);
      assert.ok(messages.some((m) => message.test(m)), `expected ${message} in ${JSON.stringify(messages)}`);
    });
  }

  const allowed: Array<[string, string]> = [
    ['src/features/pairs/x.ts', "import { guarded } from '../../plumbing/commands';\nimport { buildPairs } from '../../core/pairs/pairs';\nimport { x } from './model';\nexport const a = [guarded, buildPairs, x];"],
    ['src/features/pairs/x.ts', "import type { SessionPool } from '../../aws/index';\nexport type A = SessionPool;"],
    ['src/plumbing/x.ts', "import { loadAws } from '../aws/load';\nexport const a = loadAws;"],
    ['src/plumbing/x.ts', "import type { AwsCredentialIdentityProvider } from '@smithy/types';\nexport type A = AwsCredentialIdentityProvider;"],
    ['agent/x.ts', "import { EC2Client } from '@aws-sdk/client-ec2';\nimport { parseSchedule } from '../src/core/jumpbox/schedule';\nexport const a = [EC2Client, parseSchedule];"],
    ['src/core/vip/x.ts', "import { EC2Client } from '@aws-sdk/client-ec2';\nimport { parseCidr } from '../net/cidr';\nexport const a = [EC2Client, parseCidr];"],
  ];
  for (const [file, code] of allowed) {
    it(`allows in ${file}: ${code.split('\n')[0]}`, async () => {
      assert.deepEqual(await restrictedImports(file, code), []);
    });
  }
});
