import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clockTime, detectChanges } from '../../../../src/core/vip/changes';
import { diagnoseVip } from '../../../../src/core/vip/diagnostics';
import type { InstanceInfo, RegionResult, RegionSnapshot, VipRoute } from '../../../../src/core/vip/model';

const TABLES = ['rtb-1', 'rtb-2', 'rtb-3'];
const SEEN = new Date(2026, 7, 14, 3, 12, 40);

const node = (instanceId: string, name: string, state = 'running', pair: string | null = 'web'): InstanceInfo => ({
  instanceId, name, state, sourceDestCheck: false, tags: { Name: name, ...(pair ? { 'awsops:pair': pair } : {}) },
});

/** One region, one VPC whose three tables route each VIP to the instance listed per table; diagnostics as discovery gives them. */
function world(vips: Record<string, string[]>, instances: InstanceInfo[] = [node('i-a', 'web-a'), node('i-b', 'web-b')]): RegionResult {
  const snapshot: RegionSnapshot = {
    region: 'eu-west-1',
    instances: Object.fromEntries(instances.map((i) => [i.instanceId, i])),
    enis: {},
    subnets: {},
    vpcs: [],
  };
  const vpc = {
    vpcId: 'vpc-1',
    cidrs: ['10.0.0.0/16'],
    routeTables: TABLES.map((routeTableId, i) => ({ routeTableId, isMain: false, subnetIds: [`subnet-${i}`] })),
    vips: Object.entries(vips).map(([cidr, targets]) => {
      const routes: VipRoute[] = targets.map((id, i) => ({ routeTableId: TABLES[i], availabilityZones: [], isMain: false, state: 'active', target: { kind: 'instance', id, instanceId: id } }));
      return { cidr, routes, diagnostics: [] as ReturnType<typeof diagnoseVip> };
    }),
  };
  snapshot.vpcs.push(vpc);
  for (const vip of vpc.vips) vip.diagnostics = diagnoseVip(vip, vpc, snapshot);
  return { region: 'eu-west-1', ok: true, snapshot };
}

const changes = (before: RegionResult, after: RegionResult) => detectChanges([before], [after], { pairTagKey: 'awsops:pair', seenAt: SEEN });
const VIP = '172.16.250.10/32';

describe('detectChanges', () => {
  it('says a VIP moved, from which node to which, and when it was seen', () => {
    const [change, ...rest] = changes(world({ [VIP]: ['i-a', 'i-a', 'i-a'] }), world({ [VIP]: ['i-b', 'i-b', 'i-b'] }));
    assert.deepEqual(rest, []);
    assert.equal(change.kind, 'moved');
    assert.equal(change.message, '172.16.250.10 moved from web-a to web-b (seen 03:12:40)');
    assert.deepEqual(change.vip, { vpcId: 'vpc-1', cidr: VIP });
    assert.equal(change.severity, 'warning');
  });

  it('reports nothing when nothing changed', () => {
    assert.deepEqual(changes(world({ [VIP]: ['i-a', 'i-a', 'i-a'] }), world({ [VIP]: ['i-a', 'i-a', 'i-a'] })), []);
  });

  it('reports a split brain appearing, with the sides, and clearing, with the winner', () => {
    const whole = world({ [VIP]: ['i-a', 'i-a', 'i-a'] });
    const split = world({ [VIP]: ['i-a', 'i-a', 'i-b'] });
    const [appeared] = changes(whole, split);
    assert.equal(appeared.kind, 'split-brain');
    assert.equal(appeared.message, 'Split brain on 172.16.250.10: route tables disagree (2 → web-a, 1 → web-b) (seen 03:12:40)');
    const [cleared] = changes(split, world({ [VIP]: ['i-b', 'i-b', 'i-b'] }));
    assert.equal(cleared.kind, 'split-brain-cleared');
    assert.equal(cleared.severity, 'info');
    assert.equal(cleared.message, 'Split brain on 172.16.250.10 cleared: every table → web-b (seen 03:12:40)');
  });

  it('reports a blackhole when the node the VIP points at stops, and the pair losing that node; both clear again', () => {
    const running = world({ [VIP]: ['i-a', 'i-a', 'i-a'] });
    const stopped = world({ [VIP]: ['i-a', 'i-a', 'i-a'] }, [node('i-a', 'web-a', 'stopped'), node('i-b', 'web-b')]);
    assert.deepEqual(
      changes(running, stopped).map((c) => [c.kind, c.message]),
      [
        ['blackhole', 'Blackhole on 172.16.250.10: Instance web-a (i-a) is stopped, so rtb-1, rtb-2, rtb-3 drop the VIP\'s traffic. (seen 03:12:40)'],
        ['node-lost', 'Pair web lost node web-a (i-a): it is stopped (seen 03:12:40)'],
      ],
    );
    assert.deepEqual(
      changes(stopped, running).map((c) => [c.kind, c.severity]),
      [['blackhole-cleared', 'info'], ['node-back', 'info']],
    );
  });

  it('says a pair node vanished or left the pair, and leaves untagged instances alone', () => {
    const before = world({}, [node('i-a', 'web-a'), node('i-b', 'web-b'), node('i-c', 'other', 'running', null)]);
    const after = world({}, [node('i-a', 'web-a', 'running', 'api')]);
    assert.deepEqual(
      changes(before, after).map((c) => c.message),
      [
        'Pair web lost node web-a (i-a): it left the pair (awsops:pair changed) (seen 03:12:40)',
        'Pair web lost node web-b (i-b): it no longer exists or lost its awsops:pair tag (seen 03:12:40)',
      ],
    );
  });

  it('skips regions that failed in either discovery, and VIPs that are new', () => {
    const failed: RegionResult = { region: 'eu-west-1', ok: false, error: { code: 'Throttling', message: 'slow down', hint: '' } };
    const moved = world({ [VIP]: ['i-b', 'i-b', 'i-b'] });
    assert.deepEqual(changes(failed, moved), []);
    assert.deepEqual(changes(moved, failed), []);
    assert.deepEqual(changes(world({}), moved), []);
  });

  it('writes the time it was seen as local HH:MM:SS', () => {
    assert.equal(clockTime(new Date(2026, 0, 1, 0, 5, 9)), '00:05:09');
  });
});
