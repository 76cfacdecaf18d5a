import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activeOverride, formatOverride, formatResult, parseOverride, parseResult } from '../../../../src/core/jumpbox/agentTags';
import { parseSchedule, type WorkSchedule } from '../../../../src/core/jumpbox/schedule';
import { overrideEndAction, scheduledStateAt, upcomingActions } from '../../../../src/core/jumpbox/upcoming';
import { parseUntil } from '../../../../src/core/jumpbox/untilTime';

const schedule = (text: string): WorkSchedule => {
  const parsed = parseSchedule(text);
  assert.ok(parsed.ok);
  return parsed.schedule;
};
const NONE = new Set<string>();
const brief = (actions: ReturnType<typeof upcomingActions>) => actions.map((a) => `${a.kind} ${a.at.toISOString()}${a.cause === 'override-end' ? ' (override end)' : ''}${a.skipped ? ` skipped: ${a.skipped}` : ''}`);

describe('upcoming jumpbox actions', () => {
  const berlin = schedule('Mon-Fri 08:00-18:00 Europe/Berlin');

  it('lists the next starts and stops, correct across the end of DST', () => {
    // Sunday 25 Oct 2026: Berlin goes from UTC+2 to UTC+1 at 03:00.
    const actions = upcomingActions(berlin, new Date('2026-10-23T12:00:00Z'), { holidays: NONE });
    assert.deepEqual(brief(actions), ['stop 2026-10-23T16:00:00.000Z', 'start 2026-10-26T07:00:00.000Z', 'stop 2026-10-26T17:00:00.000Z', 'start 2026-10-27T07:00:00.000Z']);
  });

  it('marks a start on a holiday (a date in the schedule’s zone) skipped, but not the stop', () => {
    const actions = upcomingActions(berlin, new Date('2026-12-24T12:00:00Z'), { holidays: new Set(['2026-12-25']) });
    assert.deepEqual(brief(actions), ['stop 2026-12-24T17:00:00.000Z', 'start 2026-12-25T07:00:00.000Z skipped: holiday 2026-12-25', 'stop 2026-12-25T17:00:00.000Z', 'start 2026-12-28T07:00:00.000Z']);
  });

  it('marks the stops a Keep Running Until… holds off skipped, and adds the stop at its end when the schedule has the box off', () => {
    const override = { kind: 'running' as const, until: new Date('2026-12-03T20:00:00Z') };
    const actions = upcomingActions(berlin, new Date('2026-12-03T12:00:00Z'), { holidays: NONE, override, count: 3 });
    assert.deepEqual(brief(actions), [
      'stop 2026-12-03T17:00:00.000Z skipped: keep running until 2026-12-03 20:00 UTC',
      'stop 2026-12-03T20:00:00.000Z (override end)',
      'start 2026-12-04T07:00:00.000Z',
    ]);
  });

  it('marks the starts a Keep Stopped Until… holds off, and starts at its end only inside work hours', () => {
    const inside = { kind: 'stopped' as const, until: new Date('2026-12-07T10:00:00Z') };
    assert.deepEqual(brief(upcomingActions(berlin, new Date('2026-12-03T12:00:00Z'), { holidays: NONE, override: inside })), [
      'stop 2026-12-03T17:00:00.000Z',
      'start 2026-12-04T07:00:00.000Z skipped: keep stopped until 2026-12-07 10:00 UTC',
      'stop 2026-12-04T17:00:00.000Z',
      'start 2026-12-07T07:00:00.000Z skipped: keep stopped until 2026-12-07 10:00 UTC',
    ]);
    assert.equal(overrideEndAction(inside, berlin, NONE), 'start');
    assert.equal(overrideEndAction({ kind: 'stopped', until: new Date('2026-12-05T10:00:00Z') }, berlin, NONE), undefined, 'a Saturday: the schedule has it off');
    assert.equal(overrideEndAction({ kind: 'stopped', until: new Date('2026-12-07T10:00:00Z') }, berlin, new Set(['2026-12-07'])), undefined, 'a holiday');
    assert.equal(overrideEndAction({ kind: 'running', until: new Date('2026-12-07T10:00:00Z') }, berlin, NONE), undefined, 'work hours go on');
    assert.equal(overrideEndAction({ kind: 'running', until: new Date('2026-12-07T10:00:00Z') }, undefined, NONE), 'stop', 'no schedule: it ends in a stop');
  });

  it('knows the scheduled state at any instant, holidays off', () => {
    assert.equal(scheduledStateAt(berlin, new Date('2026-12-07T10:00:00Z'), NONE), 'running');
    assert.equal(scheduledStateAt(berlin, new Date('2026-12-07T17:00:00Z'), NONE), 'stopped', 'the stop itself');
    assert.equal(scheduledStateAt(berlin, new Date('2026-12-07T10:00:00Z'), new Set(['2026-12-07'])), 'stopped');
  });

  it('shows nothing without a schedule or override, and only the end of an override without a schedule', () => {
    assert.deepEqual(upcomingActions(undefined, new Date('2026-12-03T12:00:00Z'), { holidays: NONE }), []);
    const override = { kind: 'running' as const, until: new Date('2026-12-03T20:00:00Z') };
    assert.deepEqual(brief(upcomingActions(undefined, new Date('2026-12-03T12:00:00Z'), { holidays: NONE, override })), ['stop 2026-12-03T20:00:00.000Z (override end)']);
  });
});

describe('agent tags', () => {
  it('reads back the overrides it writes, and ignores anything else', () => {
    const override = { kind: 'running' as const, until: new Date('2026-12-03T21:00:00Z') };
    assert.equal(formatOverride(override), 'running-until=2026-12-03T21:00:00Z');
    assert.deepEqual(parseOverride('running-until=2026-12-03T21:00:00Z'), override);
    for (const bad of ['', 'running-until=tomorrow', 'paused-until=2026-12-03T21:00:00Z', 'running-until=2026-13-03T21:00:00Z', undefined]) assert.equal(parseOverride(bad), undefined, String(bad));
    assert.equal(activeOverride('running-until=2026-12-03T21:00:00Z', new Date('2026-12-03T21:00:00Z')), undefined, 'ended at its time');
    assert.deepEqual(activeOverride('stopped-until=2026-12-03T21:00:00Z', new Date('2026-12-03T20:59:59Z'))?.kind, 'stopped');
  });

  it('keeps results within the 256 characters of a tag value, with their time', () => {
    const at = new Date('2026-12-03T08:00:01.500Z');
    assert.equal(formatResult({ at, text: 'scheduled start:\n started' }), '2026-12-03T08:00:01Z scheduled start: started');
    const long = formatResult({ at, text: 'x'.repeat(400) });
    assert.equal(long.length, 256);
    assert.ok(long.endsWith('…'));
    assert.deepEqual(parseResult('2026-12-03T08:00:01Z scheduled start: started'), { at: new Date('2026-12-03T08:00:01Z'), text: 'scheduled start: started' });
    assert.equal(parseResult('started'), undefined);
  });
});

describe('override end as typed', () => {
  const now = new Date('2026-12-03T12:00:00Z'); // 14:00 in Jerusalem
  const until = (text: string, zone = 'Asia/Jerusalem') => {
    const parsed = parseUntil(text, now, zone);
    return parsed.ok ? parsed.until.toISOString() : parsed.error;
  };

  it('reads today, tomorrow, a date and an ISO time, in the jumpbox’s zone', () => {
    assert.equal(until('21:00'), '2026-12-03T19:00:00.000Z');
    assert.equal(until('tomorrow 09:00'), '2026-12-04T07:00:00.000Z');
    assert.equal(until('2026-12-24 9:30'), '2026-12-24T07:30:00.000Z');
    assert.equal(until('2026-12-24T07:30:00Z'), '2026-12-24T07:30:00.000Z');
  });

  it('refuses a time that has passed, does not exist, is too far, or is not a time', () => {
    assert.equal(until('13:00'), '"13:00" (Asia/Jerusalem) has passed: give a later time, e.g. "tomorrow 13:00".');
    assert.equal(until('2027-03-28 02:30', 'Europe/Berlin'), '02:30 does not exist that day in Europe/Berlin (a DST change skips it).');
    assert.match(until('2027-06-01 09:00'), /more than 90 days ahead/);
    assert.match(until('25:00'), /not a time of day/);
    assert.match(until('soon'), /^Write a time such as/);
  });
});
