import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { RegionSnapshot } from '../../../src/core/vip/model';
import { TargetHintStore } from '../../../src/plumbing/targetHintStore';

const routedTo = (instanceId: string): RegionSnapshot => ({
  region: 'eu-west-1',
  subnets: {},
  enis: {},
  instances: {},
  vpcs: [{ vpcId: 'vpc-1', cidrs: [], routeTables: [], vips: [{ cidr: '192.168.0.1/32', diagnostics: [], routes: [{ routeTableId: 'rtb-1', availabilityZones: [], isMain: false, target: { kind: 'instance', id: instanceId, instanceId }, state: 'active' }] }] }],
});
const A = 'i-0aaaaaaaaaaaaaaaa';
const B = 'i-0bbbbbbbbbbbbbbbb';

describe('TargetHintStore', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hints-'));
    // The global storage folder does not exist before the extension's first write.
    file = path.join(dir, 'globalStorage', 'target-hints.json');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps each profile, role, region and endpoint apart, and the next session reads them back from a file only its user reads', async () => {
    const store = new TargetHintStore(file);
    assert.equal(store.get({ region: 'eu-west-1' }), undefined);
    store.remember({ profile: 'prod', region: 'eu-west-1' }, routedTo(A));
    store.remember({ profile: 'prod', roleArn: 'arn:aws:iam::111111111111:role/ops', region: 'eu-west-1' }, routedTo(B));
    await store.flushed();
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['target-hints.json'], 'no temporary file is left behind');

    const next = new TargetHintStore(file);
    assert.deepEqual(next.get({ profile: 'prod', region: 'eu-west-1' }), { instanceIds: [A], eniIds: [] });
    assert.deepEqual(next.get({ profile: 'prod', roleArn: 'arn:aws:iam::111111111111:role/ops', region: 'eu-west-1' }), { instanceIds: [B], eniIds: [] });
    assert.equal(next.get({ profile: 'prod', region: 'us-east-1' }), undefined);
    assert.equal(next.get({ profile: 'prod', region: 'eu-west-1', endpointUrl: 'http://127.0.0.1:5000' }), undefined);
  });

  it('writes only when what the routes name changed (a poll of an unchanged world writes nothing)', async () => {
    const store = new TargetHintStore(file);
    const spec = { region: 'eu-west-1' };
    store.remember(spec, routedTo(A));
    await store.flushed();
    const written = fs.statSync(file).mtimeMs;
    fs.utimesSync(file, 0, 0);
    store.remember(spec, routedTo(A));
    await store.flushed();
    assert.equal(fs.statSync(file).mtimeMs, 0, 'unchanged: not written');
    store.remember(spec, routedTo(B));
    await store.flushed();
    assert.ok(fs.statSync(file).mtimeMs >= written);
    assert.deepEqual(new TargetHintStore(file).get(spec), { instanceIds: [B], eniIds: [] });
  });

  it('keeps the 500 regions discovered last', async () => {
    const store = new TargetHintStore(file);
    for (let i = 0; i < 505; i++) store.remember({ profile: `p${i}`, region: 'eu-west-1' }, routedTo(A));
    await store.flushed();
    assert.equal(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')) as object).length, 500);
    const next = new TargetHintStore(file);
    assert.equal(next.get({ profile: 'p4', region: 'eu-west-1' }), undefined);
    assert.ok(next.get({ profile: 'p5', region: 'eu-west-1' }));
  });

  it('a damaged or foreign file is no hint, and the next discovery replaces it', async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    for (const content of ['{"', '"i-0aaaaaaaaaaaaaaaa"', 'null', JSON.stringify({ '["x"]': { instanceIds: ['$(reboot)'] } })]) {
      fs.writeFileSync(file, content);
      const store = new TargetHintStore(file);
      assert.equal(store.get({ region: 'eu-west-1' }), undefined);
      store.remember({ region: 'eu-west-1' }, routedTo(A));
      await store.flushed();
      assert.deepEqual(new TargetHintStore(file).get({ region: 'eu-west-1' }), { instanceIds: [A], eniIds: [] });
    }
  });

  it('without a file, hints last as long as the window', () => {
    const store = new TargetHintStore(undefined);
    store.remember({ region: 'eu-west-1' }, routedTo(A));
    assert.deepEqual(store.get({ region: 'eu-west-1' }), { instanceIds: [A], eniIds: [] });
    assert.equal(new TargetHintStore(undefined).get({ region: 'eu-west-1' }), undefined);
  });
});
