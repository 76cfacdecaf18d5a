import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serialisedMfa } from '../../../../src/core/fleet/mfa';
import { selectProfileNames } from '../../../../src/core/fleet/patterns';
import { classifyFleetError } from '../../../../src/core/fleet/classify';

describe('fleet profile patterns', () => {
  it('selects names and prod-* patterns, each profile once', () => {
    assert.deepEqual(selectProfileNames(['dev', 'prod-a', 'prod-b', 'prod.x', 'staging'], ['prod-*', 'dev', 'prod-a']), ['dev', 'prod-a', 'prod-b']);
  });
});

describe('serialisedMfa', () => {
  it('asks one prompt at a time and reuses a code per device', async () => {
    let open = 0;
    const asked: string[] = [];
    const ask = serialisedMfa(async (serial) => {
      assert.equal(open++, 0, 'a second prompt opened while one was showing');
      asked.push(serial);
      await new Promise((r) => setTimeout(r, 10));
      open--;
      return `code-${serial}`;
    });
    const codes = await Promise.all([ask('dev1'), ask('dev2'), ask('dev1'), ask('dev2')]);
    assert.deepEqual(codes, ['code-dev1', 'code-dev2', 'code-dev1', 'code-dev2']);
    assert.deepEqual(asked, ['dev1', 'dev2']);
  });

  it('asks again once the code is too old for a new sign-in', async () => {
    let clock = 0;
    let asked = 0;
    const ask = serialisedMfa(async () => String(++asked), 30_000, () => clock);
    assert.equal(await ask('dev'), '1');
    clock = 10_000;
    assert.equal(await ask('dev'), '1');
    clock = 45_000;
    assert.equal(await ask('dev'), '2');
  });

  it('asks again after a cancelled prompt', async () => {
    let calls = 0;
    const ask = serialisedMfa(async () => {
      if (calls++ === 0) throw new Error('cancelled');
      return '123456';
    });
    await assert.rejects(ask('dev'));
    assert.equal(await ask('dev'), '123456');
  });
});

describe('classifyFleetError', () => {
  it('names the denied call', () => {
    const problem = classifyFleetError(Object.assign(new Error('You are not authorized to perform: ec2:DescribeRouteTables'), { name: 'UnauthorizedOperation' }), { profile: 'p' });
    assert.equal(problem.kind, 'access-denied');
    assert.match(problem.message, /ec2:DescribeRouteTables/);
  });
});
