import type { ReadTiming } from '../../src/core/failover/stableReads';

/**
 * The read-back timing of the product (4 s of agreeing reads) scaled to a test's stale windows: the agreeing
 * reads must span well over the longest window, as the product's 4 s span EC2's usual few seconds.
 */
export function testReads(maxStaleMs: number): Partial<ReadTiming> {
  return { settleMs: 2 * maxStaleMs + 100, firstDelayMs: 20 + maxStaleMs / 10, maxDelayMs: 50 + maxStaleMs / 2, deadlineMs: 5000 + 10 * maxStaleMs };
}
