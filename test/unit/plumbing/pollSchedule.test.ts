import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FAST_WINDOW_MS, nextPollDelay, pollSchedule } from '../../../src/plumbing/pollSchedule';

describe('pollSchedule', () => {
  it('takes the settings in seconds, with defaults for missing or nonsense values', () => {
    assert.deepEqual(pollSchedule(30, 3), { intervalMs: 30_000, fastIntervalMs: 3_000 });
    assert.deepEqual(pollSchedule(undefined, undefined), { intervalMs: 60_000, fastIntervalMs: 5_000 });
    assert.deepEqual(pollSchedule('often', -1), { intervalMs: 60_000, fastIntervalMs: 5_000 });
  });

  it('turns polling off at 0, and keeps the normal pace after mutations with a fast interval of 0', () => {
    assert.deepEqual(pollSchedule(0, 5), { intervalMs: 0, fastIntervalMs: 0 });
    assert.deepEqual(pollSchedule(30, 0), { intervalMs: 30_000, fastIntervalMs: 30_000 });
  });

  it('puts a floor under intervals a (possibly untrusted) workspace sets, and never lets fast be slower', () => {
    assert.deepEqual(pollSchedule(0.1, 0.1), { intervalMs: 5_000, fastIntervalMs: 2_000 });
    assert.deepEqual(pollSchedule(10, 60), { intervalMs: 10_000, fastIntervalMs: 10_000 });
  });
});

describe('nextPollDelay', () => {
  const schedule = { intervalMs: 60_000, fastIntervalMs: 5_000 };

  it('waits a whole interval from the last poll, and polls at once when that is overdue', () => {
    assert.equal(nextPollDelay(schedule, 100_000, undefined, undefined), 60_000);
    assert.equal(nextPollDelay(schedule, 100_000, 80_000, undefined), 40_000);
    assert.equal(nextPollDelay(schedule, 500_000, 80_000, undefined), 0);
  });

  it('uses the fast interval for a few minutes after a mutation, then the normal one again', () => {
    assert.equal(nextPollDelay(schedule, 100_000, 99_000, 98_000), 4_000);
    assert.equal(nextPollDelay(schedule, 98_000 + FAST_WINDOW_MS + 1, 98_000 + FAST_WINDOW_MS, 98_000), 59_999);
  });

  it('never polls when polling is off', () => {
    assert.equal(nextPollDelay({ intervalMs: 0, fastIntervalMs: 0 }, 1, undefined, 1), undefined);
  });
});
