import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InstanceInfo, RegionSnapshot, RouteTarget } from '../../../../src/core/vip/model';
import { MAX_HINT_IDS, parseTargetHint, targetHintOf } from '../../../../src/core/vip/targetHints';

const A = 'i-0aaaaaaaaaaaaaaaa';
const B = 'i-0bbbbbbbbbbbbbbbb';
const OLD = 'i-0cccccccccccccccc';
const ENI_B = 'eni-0bbbbbbbbbbbbbbbb';

const instance = (instanceId: string, tags: Record<string, string> = {}): InstanceInfo => ({ instanceId, state: 'running', tags });
const snapshot = (targets: RouteTarget[], instances: InstanceInfo[]): RegionSnapshot => ({
  region: 'eu-west-1',
  subnets: {},
  enis: {},
  instances: Object.fromEntries(instances.map((i) => [i.instanceId, i])),
  vpcs: [{
    vpcId: 'vpc-1',
    cidrs: ['10.0.0.0/16'],
    routeTables: [],
    vips: targets.map((target, n) => ({ cidr: `192.168.0.${n}/32`, diagnostics: [], routes: [{ routeTableId: 'rtb-1', availabilityZones: [], isMain: false, target, state: 'active' }] })),
  }],
});

describe('targetHintOf', () => {
  const world = snapshot(
    [
      { kind: 'instance', id: A, instanceId: A },
      { kind: 'eni', id: ENI_B, eniId: ENI_B, instanceId: B },
      { kind: 'instance', id: OLD, instanceId: OLD },
      { kind: 'instance', id: A, instanceId: A },
    ],
    [instance(A, { 'awsops:pair': 'web' }), instance(B, { 'awsops:pair': 'web' }), instance(OLD)],
  );

  it('names every ENI and every instance behind a route (also through its ENI), each once, sorted', () => {
    assert.deepEqual(targetHintOf(world), { instanceIds: [A, B, OLD], eniIds: [ENI_B] });
  });

  it('leaves out the pair nodes the tag listing returns anyway, so an unchanged region makes no extra call', () => {
    assert.deepEqual(targetHintOf(world, 'awsops:pair'), { instanceIds: [OLD], eniIds: [ENI_B] });
  });

  it('keeps an instance it could not describe: only a tagged one is listed anyway', () => {
    const unknownNode = snapshot([{ kind: 'eni', id: ENI_B, eniId: ENI_B, instanceId: B }], []);
    assert.deepEqual(targetHintOf(unknownNode, 'awsops:pair'), { instanceIds: [B], eniIds: [ENI_B] });
  });
});

describe('parseTargetHint (what the global state holds is not trusted)', () => {
  it('reads back what targetHintOf wrote', () => {
    assert.deepEqual(parseTargetHint(JSON.parse(JSON.stringify({ instanceIds: [A, OLD], eniIds: [ENI_B] }))), { instanceIds: [A, OLD], eniIds: [ENI_B] });
  });

  it('drops anything that is not an id of its kind, and caps each list', () => {
    const parsed = parseTargetHint({
      instanceIds: [A, 'i-0aaaa aaaa', ENI_B, 42, 'i-0aaaaaaaaaaaaaaaa,i-0bbbbbbbbbbbbbbbb', '--dry-run', ...Array.from({ length: MAX_HINT_IDS + 5 }, () => B)],
      eniIds: [A, ENI_B, { id: ENI_B }],
    });
    assert.deepEqual(parsed?.eniIds, [ENI_B]);
    assert.equal(parsed?.instanceIds.length, MAX_HINT_IDS);
    assert.ok(parsed?.instanceIds.every((id) => id === A || id === B));
  });

  it('is no hint at all when the value is not an object; missing lists are empty', () => {
    for (const value of [undefined, null, 'i-0aaaaaaaaaaaaaaaa', 7]) assert.equal(parseTargetHint(value), undefined);
    assert.deepEqual(parseTargetHint({ instanceIds: 'i-0aaaaaaaaaaaaaaaa' }), { instanceIds: [], eniIds: [] });
  });
});
