import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AccountRef } from '../../../src/core/fleet/model';
import { accountTree, type AccountFailure } from '../../../src/plumbing/accountGroups';
import type { TreeNode } from '../../../src/plumbing/treeNode';

const account = (accountId: string, label: string): AccountRef => ({ accountId, label, profile: label, alsoReachedBy: [] });
const results = [
  { account: account('111111111111', 'prod'), region: 'eu-west-1', problems: 2 },
  { account: account('222222222222', 'dev'), region: 'eu-west-1', problems: 0 },
];
const build = (rs: typeof results): TreeNode[] => rs.map((r) => ({ id: `region:${r.region}`, label: r.region, children: [{ id: `region:${r.region}/vpc`, label: 'vpc' }] }));
const problems = (rs: typeof results) => rs.reduce((n, r) => n + r.problems, 0);

describe('accountTree', () => {
  it('looks as for a single profile with one account and no failure', () => {
    assert.deepEqual(accountTree(results.slice(0, 1), [], build, problems), build(results.slice(0, 1)));
  });

  it('puts each account\'s rows under its account row, ids prefixed and the account on every row, problems rolled up', () => {
    const tree = accountTree(results, [], build, problems);
    // By name, whatever order they answered in.
    assert.deepEqual(tree.map((n) => [n.label, n.description]), [['dev', '222222222222'], ['prod', '111111111111 · 2 with problems']]);
    const vpc = tree[0].children?.[0].children?.[0];
    assert.equal(vpc?.id, 'account:222222222222/region:eu-west-1/vpc');
    assert.equal(vpc?.account?.accountId, '222222222222');
  });

  it('says so on an account with nothing to show', () => {
    const tree = accountTree(results, [], (rs) => (rs[0].account.label === 'dev' ? [] : build(rs)), problems);
    assert.equal(tree[0].description, '222222222222 · nothing here');
  });

  it('shows a failed account last, with its fix as a row, a terminal action only for a command', () => {
    const sso: AccountFailure = { label: 'sso-dev', profile: 'sso-dev', problem: { kind: 'sso-expired', message: 'SSO session of sso-dev has expired', fix: 'Run aws sso login --profile sso-dev', command: 'aws sso login --profile sso-dev' } };
    const denied: AccountFailure = { label: 'ops', profile: 'ops', accountId: '3', problem: { kind: 'access-denied', message: 'Access denied to ec2:DescribeRouteTables', fix: 'Grant ec2:DescribeRouteTables to the identity of ops' } };
    const tree = accountTree(results.slice(0, 1), [sso, denied], build, problems);
    assert.deepEqual(tree.map((n) => n.contextValue), ['account', 'accountFailed', 'accountFailed']);
    assert.deepEqual(tree.map((n) => n.label), ['prod', 'ops', 'sso-dev']);
    assert.deepEqual(tree[2].children?.[0].data, { profile: 'sso-dev', kind: 'sso-expired' });
    assert.equal(tree[2].children?.[0].contextValue, 'accountFix');
    assert.equal(tree[1].children?.[0].contextValue, 'accountHint');
    assert.equal(tree[1].description, '3 · Access denied to ec2:DescribeRouteTables');
  });
});
