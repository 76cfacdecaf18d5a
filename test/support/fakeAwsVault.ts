import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Every secret the fake aws-vault and the federation stand-in hand out contains this, so logs can be scanned. */
export const TEST_SECRET_MARK = 'AWSOPSTESTSECRET';

/** The fake aws-vault executable (test/support/fake-aws-vault/aws-vault), found from wherever tests were compiled to. */
export const FAKE_AWS_VAULT = locate(join('test', 'support', 'fake-aws-vault', 'aws-vault'));

function locate(relative: string): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`${relative} not found above ${__dirname}`);
  }
}
