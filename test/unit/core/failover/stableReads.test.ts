import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_READ_TIMING, isStable, readUntilStable, type FinalRoute, type TimedRead } from '../../../../src/core/failover/stableReads';

const at = (id: string): FinalRoute => ({ kind: 'route', target: { kind: 'instance', id }, node: id, state: 'active' });
const reads = (...pairs: Array<[number, string]>): TimedRead[] => pairs.map(([ms, id]) => ({ at: ms, route: at(id) }));

describe('the stable-read rule', () => {
  const timing = { ...DEFAULT_READ_TIMING, settleMs: 1000 };

  it('needs at least two agreeing reads spanning the settle window', () => {
    assert.equal(isStable(reads([0, 'i-a']), timing), false, 'one read is never the truth');
    assert.equal(isStable(reads([0, 'i-a'], [400, 'i-a']), timing), false, 'two quick reads can both be stale');
    assert.equal(isStable(reads([0, 'i-a'], [1000, 'i-a']), timing), true);
    assert.equal(isStable(reads([0, 'i-a'], [500, 'i-a'], [1000, 'i-a']), { ...timing, agreeing: 4 }), false);
  });

  it('counts only the reads since the last change', () => {
    assert.equal(isStable(reads([0, 'i-a'], [900, 'i-b'], [1500, 'i-b']), timing), false);
    assert.equal(isStable(reads([0, 'i-a'], [900, 'i-b'], [1900, 'i-b']), timing), true);
    assert.equal(isStable([{ at: 0, route: { kind: 'unknown', reason: 'x' } }, { at: 2000, route: { kind: 'unknown', reason: 'x' } }], timing), false);
  });

  it('reads until every key is stable, and reports the ones that never are with their last reads', async () => {
    let n = 0;
    const fast = { agreeing: 2, settleMs: 60, firstDelayMs: 5, maxDelayMs: 20, deadlineMs: 400 };
    const result = await readUntilStable(['steady', 'flapping'], async () => {
      n++;
      return new Map([['steady', at(n < 3 ? 'i-old' : 'i-new')], ['flapping', at(n % 2 ? 'i-a' : 'i-b')]]);
    }, fast);
    assert.deepEqual(result.get('steady'), { final: at('i-new'), verified: true, reads: result.get('steady')?.reads });
    assert.equal(result.get('flapping')?.verified, false);
    assert.deepEqual(result.get('flapping')?.reads.slice(-2).map((r) => (r.kind === 'route' ? r.target.id : r.kind)).sort(), ['i-a', 'i-b']);
  });

  it('a failed read breaks no agreement and is retried', async () => {
    let n = 0;
    const result = await readUntilStable(['t'], async () => {
      if (++n === 2) throw new Error('RequestLimitExceeded');
      return new Map([['t', at('i-a')]]);
    }, { agreeing: 2, settleMs: 30, firstDelayMs: 5, maxDelayMs: 10, deadlineMs: 1000 });
    assert.equal(result.get('t')?.verified, true);
    assert.ok(n >= 3);
  });
});
