import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PriceFilter } from '../../../../src/core/jumpbox/pricing';
import { PriceListCache } from '../../../../src/features/jumpboxes/priceCache';

const FILTERS: PriceFilter[] = [{ Type: 'TERM_MATCH', Field: 'instanceType', Value: 't3.micro' }];
const signal = new AbortController().signal;

describe('Price List answer cache', () => {
  it('asks once per scope and filters, and keeps a failure only for a few minutes', async () => {
    let calls = 0;
    let fail = true;
    let clock = 0;
    const fetch = async () => {
      calls++;
      if (fail) throw new Error('HTTP 500');
      return ['{}'];
    };
    const cache = new PriceListCache();
    const fetcher = cache.wrap('profile|', fetch, () => clock);
    await assert.rejects(fetcher(FILTERS, signal), /HTTP 500/);
    await assert.rejects(fetcher(FILTERS, signal), /HTTP 500/);
    assert.equal(calls, 1, 'a fresh failure is not asked again');
    fail = false;
    clock += 5 * 60_000;
    assert.deepEqual(await fetcher(FILTERS, signal), ['{}']);
    clock += 24 * 3_600_000;
    assert.deepEqual(await fetcher(FILTERS, signal), ['{}']);
    assert.equal(calls, 2, 'an answer is kept');
    await cache.wrap('other|', fetch, () => clock)(FILTERS, signal);
    assert.equal(calls, 3, 'another account or endpoint asks again');
  });
});
