import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FailoverReport, TableReport } from '../../../../src/core/failover/execute';
import { planFailover } from '../../../../src/core/failover/plan';
import { preflight } from '../../../../src/core/failover/preflight';
import type { NodeRead, TableRead } from '../../../../src/core/failover/reads';
import { formatPlan, formatReport, missingRoutesPrompt, whereabouts } from '../../../../src/core/failover/report';

const VIP = '192.168.55.100/32';
const node = (id: string, extra: Partial<NodeRead> = {}): NodeRead => ({
  instanceId: id, state: 'running', vpcId: 'vpc-1', sourceDestCheck: false, primaryEniId: `eni-${id}`, eniIds: [`eni-${id}`], status: { state: 'running', system: 'ok', instance: 'ok' }, ...extra,
});

describe('formatPlan', () => {
  it('plans a pair with only an Elastic IP in words about it, without route checks', () => {
    const routeless = planFailover({ vpcId: 'vpc-1', cidrs: [], nodeIds: ['i-a', 'i-b'], toInstanceId: 'i-b', allocationIds: ['eipalloc-1'] }, [], { 'i-a': node('i-a'), 'i-b': node('i-b') }, []);
    const plan = {
      ...routeless,
      eipSteps: [{ allocationId: 'eipalloc-1', publicIp: '3.3.3.3', action: 'move' as const, from: { instanceId: 'i-a', eniId: 'eni-i-a', privateIp: '10.0.1.5' }, to: { instanceId: 'i-b', eniId: 'eni-i-b', privateIp: '10.0.2.5' } }],
    };
    const lines = formatPlan(plan, preflight(plan));
    assert.equal(lines[0], 'Fail over 3.3.3.3 in vpc-1 to i-b: 1 of 1 Elastic IP(s) change.');
    assert.equal(lines[1], '  Elastic IP 3.3.3.3 (eipalloc-1): i-a via eni-i-a (10.0.1.5) → i-b via eni-i-b (10.0.2.5)');
    assert.deepEqual(lines.filter((l) => /route/i.test(l)), []);
    assert.equal(lines.at(-1), '  ✓ The Elastic IP(s) 3.3.3.3 can move to i-b.');
  });

  it('shows each table from → to, tables lacking the VIP and every check', () => {
    const plan = planFailover(
      { vpcId: 'vpc-1', cidrs: [VIP], nodeIds: ['i-a', 'i-b'], toInstanceId: 'i-b' },
      [
        { routeTableId: 'rtb-1', name: 'private-a', isMain: false, explicitSubnetIds: ['subnet-1'], routes: { [VIP]: { target: { kind: 'instance', id: 'i-a' }, state: 'active' } } },
        { routeTableId: 'rtb-2', isMain: false, explicitSubnetIds: ['subnet-2'], routes: { [VIP]: { target: { kind: 'eni', id: 'eni-i-b' }, state: 'active' } } },
        { routeTableId: 'rtb-3', isMain: true, explicitSubnetIds: [], routes: {} },
      ],
      { 'i-a': node('i-a'), 'i-b': node('i-b', { sourceDestCheck: true }) },
      [{ subnetId: 'subnet-1' }, { subnetId: 'subnet-2' }, { subnetId: 'subnet-3', name: 'app-c' }],
    );
    assert.deepEqual(formatPlan(plan, preflight(plan)), [
      `Fail over ${VIP} in vpc-1 to i-b: 1 of 2 route(s) change.`,
      `  private-a (rtb-1) ${VIP}: i-a → i-b`,
      `  rtb-2 ${VIP}: already at eni-i-b`,
      `Route tables of vpc-1 serving subnets without a route for ${VIP} (can be added): the main table rtb-3, used by app-c (subnet-3)`,
      'Checks:',
      '  ✓ i-b is the peer of i-a.',
      '  ✓ i-b exists.',
      '  ✓ i-b is running.',
      '  ✓ i-b passes its status checks.',
      '  ⚠ i-b has source/dest check on: EC2 drops packets addressed to the VIP. Turn it off (ModifyInstanceAttribute SourceDestCheck=false). (can be overridden)',
      '  ✓ i-b is in vpc-1.',
      '  ✓ Every VIP has routes in vpc-1.',
      '  ✓ Every VIP route points at a node of the pair.',
    ]);
  });
});

describe('missingRoutesPrompt', () => {
  const nodes = { 'i-a': node('i-a'), 'i-b': node('i-b') };
  const request = { vpcId: 'vpc-1', cidrs: [VIP], nodeIds: ['i-a', 'i-b'], toInstanceId: 'i-b' };
  const carrying: TableRead = { routeTableId: 'rtb-1', isMain: false, explicitSubnetIds: ['subnet-1'], routes: { [VIP]: { target: { kind: 'instance', id: 'i-a' }, state: 'active' } } };
  const main: TableRead = { routeTableId: 'rtb-m', name: 'main', isMain: true, explicitSubnetIds: [], routes: {} };
  const privateC: TableRead = { routeTableId: 'rtb-c', name: 'private-c', isMain: false, explicitSubnetIds: ['subnet-3', 'subnet-4'], routes: {} };
  const subnets = [{ subnetId: 'subnet-1' }, { subnetId: 'subnet-2', name: 'app-b' }, { subnetId: 'subnet-3', name: 'app-c' }, { subnetId: 'subnet-4' }];

  it('names the one table lacking the VIP by its Name tag and the subnets using it', () => {
    const prompt = missingRoutesPrompt(planFailover(request, [carrying, main], nodes, subnets.slice(0, 2)));
    assert.deepEqual(prompt, {
      title: '1 route table of vpc-1 lacks the VIP route',
      affected: 'Subnet app-b (subnet-2) cannot reach VIP 192.168.55.100',
      tables: 'the main table main (rtb-m), used by app-b (subnet-2)',
      routeTableIds: ['rtb-m'],
    });
  });

  it('counts only tables that serve subnets, and says every subnet that cannot reach the VIP', () => {
    const prompt = missingRoutesPrompt(planFailover(request, [carrying, main, privateC], nodes, subnets));
    assert.equal(prompt?.title, '2 route tables of vpc-1 lack the VIP route');
    assert.equal(prompt?.affected, 'Subnets app-b (subnet-2), app-c (subnet-3) and subnet-4 cannot reach VIP 192.168.55.100');
    assert.equal(prompt?.tables, 'the main table main (rtb-m), used by app-b (subnet-2); private-c (rtb-c), used by app-c (subnet-3) and subnet-4');
    assert.equal(missingRoutesPrompt(planFailover(request, [carrying, main], nodes, subnets.slice(0, 1))), undefined, 'main serves no subnet');
  });
});

describe('formatReport', () => {
  const row = (id: string, outcome: TableReport['outcome'], final: TableReport['final'], reason?: string): TableReport => ({
    routeTableId: id, cidr: VIP, from: { kind: 'instance', id: 'i-a' }, to: { kind: 'instance', id: 'i-b' }, outcome, reason, final, verified: true,
  });
  const at = (id: string, node = id) => ({ kind: 'route' as const, target: { kind: id.startsWith('eni') ? ('eni' as const) : ('instance' as const), id }, node, state: 'active' });

  it('reports a public-only pair by its Elastic IPs, with no word about routes', () => {
    const report: FailoverReport = {
      result: 'moved', vpcId: 'vpc-1', cidrs: [], toInstanceId: 'i-b', tables: [], notes: [],
      addresses: [{ allocationId: 'eipalloc-1', publicIp: '3.3.3.3', outcome: 'moved', final: at('eni-b', 'i-b'), verified: true }],
    };
    assert.equal(formatReport(report)[0], 'Failover done: all 1 Elastic IP(s) are on i-b (verified by reading each back).');
  });

  it('says where the VIP points now and what happened to each table', () => {
    const report: FailoverReport = {
      result: 'rolled-back', vpcId: 'vpc-1', cidrs: [VIP], toInstanceId: 'i-b',
      tables: [
        row('rtb-1', 'rolled-back', at('i-a')),
        row('rtb-2', 'failed', at('i-c'), 'changed by someone else: now → i-c'),
        row('rtb-3', 'skipped', at('eni-a', 'i-a'), 'not attempted: the failover stopped first'),
        row('rtb-4', 'vanished', { kind: 'vanished' }, 'the route table no longer exists'),
      ],
      notes: ['Stopped moving routes after a failure on rtb-2 (changed by someone else: now → i-c).'],
    };
    assert.deepEqual(formatReport(report), [
      'The failover failed and was rolled back: every table it had changed is verified back where it was.',
      `${VIP} now points at: i-a (1 table), i-c (1 table), i-a via eni-a (1 table), table deleted (1 table)`,
      `  rtb-1 ${VIP}: rolled back; now → i-a`,
      `  rtb-2 ${VIP}: failed (changed by someone else: now → i-c); now → i-c`,
      `  rtb-3 ${VIP}: skipped (not attempted: the failover stopped first); now → i-a via eni-a`,
      `  rtb-4 ${VIP}: vanished (the route table no longer exists); now → table deleted`,
      'Stopped moving routes after a failure on rtb-2 (changed by someone else: now → i-c).',
    ]);
    assert.deepEqual(whereabouts(report)[0].targets.map((t) => t.routeTableIds), [['rtb-1'], ['rtb-2'], ['rtb-3'], ['rtb-4']]);
  });

  it('never hides an unreadable table, and lists the checks that refused', () => {
    const unknown: FailoverReport = {
      result: 'inconsistent', vpcId: 'vpc-1', cidrs: [VIP], toInstanceId: 'i-b', notes: [],
      tables: [row('rtb-1', 'failed', { kind: 'unknown', reason: 'could not read the route tables back: RequestLimitExceeded' }, 'could not read the route tables back: RequestLimitExceeded')],
    };
    assert.match(formatReport(unknown).join('\n'), /rtb-1 .*failed \(could not read the route tables back: RequestLimitExceeded\); now → unknown \(could not read\)/);
    const refused: FailoverReport = {
      result: 'refused', vpcId: 'vpc-1', cidrs: [VIP], toInstanceId: 'i-b', tables: [], notes: [],
      refused: [{ id: 'peer-running', ok: false, overridable: false, message: 'i-b is terminated: it can never take the VIP.' }],
    };
    assert.deepEqual(formatReport(refused).slice(0, 2), ['Nothing was changed: the failover to i-b is blocked by these checks.', '  ✗ i-b is terminated: it can never take the VIP.']);
  });
});
