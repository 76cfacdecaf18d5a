import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planFailover, requestForPair, pairOfVip, type FailoverRequest } from '../../../../src/core/failover/plan';
import { blockingFailures, preflight } from '../../../../src/core/failover/preflight';
import type { NodeRead, TableRead, TargetRef } from '../../../../src/core/failover/reads';
import type { Pair } from '../../../../src/core/pairs/pairs';

const VIP = '192.168.55.100/32';
const ok = { state: 'running', system: 'ok', instance: 'ok' };
const node = (id: string, extra: Partial<NodeRead> = {}): NodeRead => ({
  instanceId: id, state: 'running', vpcId: 'vpc-1', sourceDestCheck: false, primaryEniId: `eni-${id}`, eniIds: [`eni-${id}`, `eni-${id}-2`], status: ok, ...extra,
});
const NODES = { 'i-a': node('i-a'), 'i-b': node('i-b') };
/** Each table is associated with a subnet of its own ("subnet-" + its id), unless `subnets` says otherwise. */
const table = (id: string, target?: TargetRef, state = 'active', name?: string, subnets = [`subnet-${id}`]): TableRead => ({
  routeTableId: id, name, isMain: false, explicitSubnetIds: subnets, routes: target ? { [VIP]: { target, state } } : {},
});
const subnetsOf = (tables: readonly TableRead[]) => tables.flatMap((t) => t.explicitSubnetIds).map((subnetId) => ({ subnetId }));
const planOf = (req: FailoverRequest, tables: TableRead[], nodes: Record<string, NodeRead> = NODES) => planFailover(req, tables, nodes, subnetsOf(tables));
const request = (extra: Partial<FailoverRequest> = {}): FailoverRequest => ({ vpcId: 'vpc-1', cidrs: [VIP], nodeIds: ['i-a', 'i-b'], toInstanceId: 'i-b', ...extra });

describe('planFailover', () => {
  it('keeps instance routes instance-targeted and moves ENI routes to the peer primary ENI', () => {
    const plan = planOf(request(), [table('rtb-1', { kind: 'instance', id: 'i-a' }), table('rtb-2', { kind: 'eni', id: 'eni-i-a-2' })]);
    assert.deepEqual(plan.steps.map((s) => [s.routeTableId, s.action, s.from, s.fromNode, s.to]), [
      ['rtb-1', 'replace', { kind: 'instance', id: 'i-a' }, 'i-a', { kind: 'instance', id: 'i-b' }],
      ['rtb-2', 'replace', { kind: 'eni', id: 'eni-i-a-2' }, 'i-a', { kind: 'eni', id: 'eni-i-b' }],
    ]);
  });

  it('marks routes already delivering to the peer (by instance or any of its ENIs) as nothing to do', () => {
    const plan = planOf(request(), [table('rtb-1', { kind: 'eni', id: 'eni-i-b-2' }), table('rtb-2', { kind: 'instance', id: 'i-b' })]);
    assert.deepEqual(plan.steps.map((s) => s.action), ['none', 'none']);
    assert.deepEqual(plan.steps[0].to, { kind: 'eni', id: 'eni-i-b-2' }, 'left as it is');
  });

  it('lists tables lacking the VIP, and adds to the chosen ones with the kind most routes use', () => {
    const tables = [table('rtb-1', { kind: 'eni', id: 'eni-i-a' }), table('rtb-2'), table('rtb-3')];
    const offered = planOf(request(), tables);
    assert.deepEqual(offered.missing.map((m) => m.routeTableId), ['rtb-2', 'rtb-3']);
    const chosen = planOf(request({ addToTableIds: ['rtb-3'] }), tables);
    assert.deepEqual(chosen.missing.map((m) => m.routeTableId), ['rtb-2']);
    const create = chosen.steps.find((s) => s.action === 'create');
    assert.deepEqual([create?.routeTableId, create?.from, create?.to], ['rtb-3', undefined, { kind: 'eni', id: 'eni-i-b' }]);
  });

  it('offers only tables some subnet uses: a main table serving no subnet is neither offered nor counted', () => {
    const toA: TargetRef = { kind: 'instance', id: 'i-a' };
    const main = { ...table('rtb-main', undefined, 'active', 'main', []), isMain: true };
    const tables = [table('rtb-1', toA), table('rtb-2', toA), main, table('rtb-idle', undefined, 'active', 'idle', [])];
    const explicitOnly = planOf(request(), tables);
    assert.deepEqual(explicitOnly.missing, []);
    assert.deepEqual(explicitOnly.steps.map((s) => s.routeTableId), ['rtb-1', 'rtb-2']);
    // A subnet without an explicit association uses the main table, which then lacks the VIP for it.
    const implicit = planFailover(request(), tables, NODES, [...subnetsOf(tables), { subnetId: 'subnet-9', name: 'app-c' }]);
    assert.deepEqual(implicit.missing, [{ routeTableId: 'rtb-main', routeTableName: 'main', cidr: VIP, isMain: true, subnets: [{ subnetId: 'subnet-9', name: 'app-c' }] }]);
  });

  it('orders steps by table name and plans every VIP of a pair', () => {
    const second = '192.168.55.101/32';
    const tables = [
      { routeTableId: 'rtb-z', name: 'a-private', isMain: false, explicitSubnetIds: ['subnet-z'], routes: { [VIP]: { target: { kind: 'instance', id: 'i-a' }, state: 'active' }, [second]: { target: { kind: 'instance', id: 'i-a' }, state: 'active' } } },
      table('rtb-a', { kind: 'instance', id: 'i-a' }, 'active', 'b-public'),
    ] satisfies TableRead[];
    const planned = planOf(request({ cidrs: [VIP, second] }), tables);
    assert.deepEqual(planned.steps.map((s) => `${s.routeTableName} ${s.cidr}`), [`a-private ${VIP}`, `b-public ${VIP}`, `a-private ${second}`]);
    assert.deepEqual(planned.missing.map((m) => `${m.routeTableId} ${m.cidr}`), [`rtb-a ${second}`]);
  });
});

describe('preflight', () => {
  const checksFor = (nodes: Record<string, NodeRead>, tables = [table('rtb-1', { kind: 'instance', id: 'i-a' })], req = request()) =>
    preflight(planOf(req, tables, nodes));
  const failed = (checks: ReturnType<typeof preflight>) => checks.filter((c) => !c.ok).map((c) => `${c.id}${c.overridable ? '' : '!'}`);

  it('passes a healthy peer', () => {
    assert.deepEqual(failed(checksFor(NODES)), []);
  });

  it('explains a stopped peer (overridable) and a terminated one (not)', () => {
    const stopped = checksFor({ ...NODES, 'i-b': node('i-b', { state: 'stopped', status: { state: 'stopped', system: 'not-applicable', instance: 'not-applicable' } }) });
    assert.deepEqual(failed(stopped), ['peer-running', 'peer-status-checks']);
    assert.match(stopped.find((c) => c.id === 'peer-running')?.message ?? '', /i-b is stopped: it cannot forward the VIP's traffic until it runs/);
    const terminated = checksFor({ ...NODES, 'i-b': node('i-b', { state: 'terminated', status: undefined }) });
    assert.deepEqual(failed(terminated), ['peer-running!', 'peer-status-checks']);
  });

  it('explains source/dest check, another VPC and a missing peer', () => {
    assert.deepEqual(failed(checksFor({ ...NODES, 'i-b': node('i-b', { sourceDestCheck: true }) })), ['source-dest-check']);
    assert.deepEqual(failed(checksFor({ ...NODES, 'i-b': node('i-b', { vpcId: 'vpc-2' }) })), ['same-vpc!']);
    assert.deepEqual(failed(checksFor({ 'i-a': NODES['i-a'] })), ['peer-exists!']);
  });

  it('refuses a one-node pair and a VIP without routes', () => {
    assert.deepEqual(failed(checksFor(NODES, undefined, request({ nodeIds: ['i-a'], toInstanceId: 'i-a' }))), ['pair-complete!']);
    const routeless = checksFor(NODES, [table('rtb-1')]);
    assert.deepEqual(failed(routeless), ['routes-exist!']);
    assert.match(routeless.find((c) => !c.ok)?.message ?? '', /has no route in any route table of vpc-1/);
  });

  it('flags active routes to a third instance, but not blackholes', () => {
    const foreign = checksFor(NODES, [table('rtb-1', { kind: 'instance', id: 'i-c' })]);
    assert.deepEqual(failed(foreign), ['foreign-targets']);
    assert.match(foreign.find((c) => !c.ok)?.message ?? '', /rtb-1 sends 192\.168\.55\.100\/32 to i-c, which is not in this pair/);
    assert.deepEqual(failed(checksFor(NODES, [table('rtb-1', { kind: 'eni', id: 'eni-gone' }, 'blackhole')])), []);
  });

  it('lets the user override only overridable checks', () => {
    const checks = checksFor({ ...NODES, 'i-b': node('i-b', { sourceDestCheck: true, vpcId: 'vpc-2' }) });
    assert.deepEqual(blockingFailures(checks).map((c) => c.id), ['source-dest-check', 'same-vpc']);
    assert.deepEqual(blockingFailures(checks, new Set(['source-dest-check', 'same-vpc'])).map((c) => c.id), ['same-vpc']);
  });
});

describe('requestForPair', () => {
  const instance = (id: string, state = 'running') => ({ instanceId: id, state, tags: {} });
  const pair = (extra: Partial<Pair> = {}): Pair => ({
    name: 'web',
    nodes: [{ instance: instance('i-a'), role: 'MASTER' }, { instance: instance('i-b'), role: 'BACKUP' }],
    vips: [{ vpcId: 'vpc-1', cidr: VIP, routes: [], masterInstanceId: 'i-a', foreignRouteTableIds: [] }],
    publicVips: [],
    masterInstanceId: 'i-a',
    flags: [],
    health: { severity: 'ok', summary: '' },
    ...extra,
  });

  it('fails over to the node that does not hold the VIP', () => {
    assert.deepEqual(requestForPair(pair()), { vpcId: 'vpc-1', cidrs: [VIP], nodeIds: ['i-a', 'i-b'], toInstanceId: 'i-b' });
  });

  it('explains why there is nothing sensible to do', () => {
    const problem = (p: Pair, choice = {}) => (requestForPair(p, choice) as { problem: string }).problem;
    assert.match(problem(pair({ nodes: [pair().nodes[0]] })), /only one node \(i-a\): there is no peer/);
    assert.match(problem(pair({ vips: [] })), /has no VIP routes/);
    assert.match(problem(pair(), { cidr: '10.9.9.9/32' }), /VIP 10\.9\.9\.9\/32 has no route to a node of pair "web"/);
    assert.match(problem(pair({ vips: [{ ...pair().vips[0], masterInstanceId: undefined }] })), /disagree.*choose the node/);
    assert.match(problem(pair(), { toInstanceId: 'i-z' }), /i-z is not a node of pair "web"/);
  });

  it('prefers a live peer over a terminated leftover with the same tag', () => {
    const nodes = [...pair().nodes, { instance: instance('i-0old', 'terminated'), role: 'BACKUP' as const }];
    assert.equal((requestForPair(pair({ nodes })) as FailoverRequest).toInstanceId, 'i-b');
  });

  it('finds the pair of a VIP', () => {
    assert.equal(pairOfVip([pair()], 'vpc-1', VIP)?.name, 'web');
    assert.equal(pairOfVip([pair()], 'vpc-2', VIP), undefined);
  });
});
