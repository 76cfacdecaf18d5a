import { DEFAULT_READ_TIMING, type ReadTiming } from '../../src/core/failover/stableReads';

/**
 * The read-back timing of the product (4 s of agreeing reads) scaled to a test's stale windows: the agreeing
 * reads must span well over the longest window, as the product's 4 s span EC2's usual few seconds. The deadline
 * is not scaled down: it bounds reads slowed by faults and load (hung requests, adaptive retry backing off after
 * throttles), not the stale window, and a shorter one made loaded runs end honestly "unverified" (CI, Dec 2026).
 */
export function testReads(maxStaleMs: number): Partial<ReadTiming> {
  return {
    settleMs: 2 * maxStaleMs + 100,
    firstDelayMs: 20 + maxStaleMs / 10,
    maxDelayMs: 50 + maxStaleMs / 2,
    deadlineMs: Math.max(DEFAULT_READ_TIMING.deadlineMs, 5000 + 10 * maxStaleMs),
  };
}
