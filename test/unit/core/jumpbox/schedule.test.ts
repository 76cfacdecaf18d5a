import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatSchedule, nextTransitions, parseSchedule, toCron, type WorkSchedule } from '../../../../src/core/jumpbox/schedule';

function parsed(text: string): WorkSchedule {
  const result = parseSchedule(text);
  if (!result.ok) throw new Error(`expected "${text}" to parse: ${result.error}`);
  return result.schedule;
}

describe('parseSchedule', () => {
  it('reads the seed schedule', () => {
    assert.deepEqual(parsed('Sun-Thu 08:00-18:00 Asia/Jerusalem'), {
      days: [0, 1, 2, 3, 4],
      startMinute: 8 * 60,
      stopMinute: 18 * 60,
      timeZone: 'Asia/Jerusalem',
    });
  });

  it('reads lists, mixed lists, wrapping ranges, full names, any case and spaced separators', () => {
    assert.deepEqual(parsed('Mon,Wed,Fri 09:30-17:15 UTC').days, [1, 3, 5]);
    assert.deepEqual(parsed('Mon-Wed,Fri 9:00-17:00 UTC').days, [1, 2, 3, 5]);
    assert.deepEqual(parsed('Fri-Mon 10:00-12:00 UTC').days, [0, 1, 5, 6]);
    assert.deepEqual(parsed('Mon-Sun 10:00-12:00 UTC').days, [0, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual(parsed('sunday-THURSDAY 08:00-18:00 asia/jerusalem'), parsed('Sun-Thu 08:00-18:00 Asia/Jerusalem'));
    assert.deepEqual(parsed('  Sun - Thu 08:00 - 18:00   Asia/Jerusalem '), parsed('Sun-Thu 08:00-18:00 Asia/Jerusalem'));
    assert.deepEqual(parsed('Mon , Wed , Fri 09:00-17:00 UTC').days, [1, 3, 5]);
    assert.equal(parsed('Mon 09:00-17:00 America/Port-au-Prince').timeZone, 'America/Port-au-Prince');
  });

  const errors: Array<[string, RegExp, string]> = [
    ['', /empty/, ''],
    ['Sun-Thu', /no time span/, 'Sun-Thu'],
    ['Sun-Thu 08:00-18:00', /no time zone/, '08:00-18:00'],
    ['Sun-Thr 08:00-18:00 UTC', /Unknown day "Thr" in "Sun-Thr"/, 'Thr'],
    ['Sun,Funday 08:00-18:00 UTC', /Unknown day "Funday"/, 'Funday'],
    ['Mon,,Wed 08:00-18:00 UTC', /Empty day in "Mon,,Wed"/, 'Mon,,Wed'],
    ['Sun- 08:00-18:00 UTC', /Bad day range "Sun-"/, 'Sun-'],
    ['Mon-Wed-Fri 08:00-18:00 UTC', /Bad day range "Mon-Wed-Fri"/, 'Mon-Wed-Fri'],
    ['Sun-Thu 8am-6pm UTC', /Bad time "8am"/, '8am'],
    ['Sun-Thu 08:00 UTC', /Bad time span "08:00"/, '08:00'],
    ['Sun-Thu 24:00-18:00 UTC', /Hour 24 in "24:00" is out of range/, '24:00'],
    ['Sun-Thu 08:00-18:60 UTC', /Minute 60 in "18:60" is out of range/, '18:60'],
    ['Sun-Thu 22:00-06:00 UTC', /Stop 06:00 is before start 22:00: overnight spans are not supported/, '22:00-06:00'],
    ['Sun-Thu 08:00-08:00 UTC', /both 08:00: the jumpbox would never run/, '08:00-08:00'],
    ['Sun-Thu 08:00-18:00 Asia/Jerusalm', /Unknown time zone "Asia\/Jerusalm"/, 'Asia/Jerusalm'],
    ['Sun-Thu 08:00-18:00 Asia/Jerusalem weekly', /Unexpected "weekly" after the time zone/, 'weekly'],
  ];
  for (const [text, message, token] of errors) {
    it(`rejects ${JSON.stringify(text)} naming ${JSON.stringify(token)}`, () => {
      const result = parseSchedule(text);
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.match(result.error, message);
      assert.equal(result.token, token);
    });
  }
});

describe('formatSchedule', () => {
  it('gives canonical text that parses back to the same schedule', () => {
    const cases: Array<[string, string]> = [
      ['sun-thu 8:00-18:00 asia/jerusalem', 'Sun-Thu 08:00-18:00 Asia/Jerusalem'],
      ['Wed,Mon,Fri,Mon 09:30-17:15 UTC', 'Mon,Wed,Fri 09:30-17:15 UTC'],
      ['Fri-Mon 10:00-12:00 Europe/Berlin', 'Fri-Mon 10:00-12:00 Europe/Berlin'],
      ['Sat,Sun 10:00-12:00 UTC', 'Sat-Sun 10:00-12:00 UTC'],
      ['Mon-Sun 00:00-23:59 UTC', 'Sun-Sat 00:00-23:59 UTC'],
    ];
    for (const [input, canonical] of cases) {
      assert.equal(formatSchedule(parsed(input)), canonical);
      assert.deepEqual(parsed(canonical), parsed(input));
    }
  });
});

describe('toCron', () => {
  it('gives EventBridge Scheduler cron expressions with day names', () => {
    assert.deepEqual(toCron(parsed('Sun-Thu 08:00-18:00 Asia/Jerusalem')), {
      start: 'cron(0 8 ? * SUN-THU *)',
      stop: 'cron(0 18 ? * SUN-THU *)',
    });
    assert.deepEqual(toCron(parsed('Mon,Wed,Fri 09:30-17:15 UTC')), {
      start: 'cron(30 9 ? * MON,WED,FRI *)',
      stop: 'cron(15 17 ? * MON,WED,FRI *)',
    });
  });

  it('never writes a range across the end of the week', () => {
    assert.equal(toCron(parsed('Fri-Mon 10:00-12:00 UTC')).start, 'cron(0 10 ? * SUN-MON,FRI-SAT *)');
    assert.equal(toCron(parsed('Mon-Sun 10:00-12:00 UTC')).start, 'cron(0 10 ? * SUN-SAT *)');
  });
});

describe('nextTransitions', () => {
  const at = (iso: string) => new Date(iso);

  it('after hours on Thursday: next start is Sunday morning (Asia/Jerusalem, UTC+3 in summer)', () => {
    const next = nextTransitions(parsed('Sun-Thu 08:00-18:00 Asia/Jerusalem'), at('2018-08-02T16:00:00Z'));
    assert.deepEqual(next, { nextStart: at('2018-08-05T05:00:00Z'), nextStop: at('2018-08-05T15:00:00Z'), withinHours: false });
  });

  it('within hours: the stop comes first; at the start instant itself the next start is the next work day', () => {
    const schedule = parsed('Sun-Thu 08:00-18:00 Asia/Jerusalem');
    const next = nextTransitions(schedule, at('2018-08-05T05:00:00Z'));
    assert.deepEqual(next, { nextStart: at('2018-08-06T05:00:00Z'), nextStop: at('2018-08-05T15:00:00Z'), withinHours: true });
  });

  it('follows the spring DST change (Europe/Berlin, 31 March 2024: UTC+1 → UTC+2)', () => {
    const next = nextTransitions(parsed('Mon-Fri 08:00-18:00 Europe/Berlin'), at('2024-03-29T12:00:00Z'));
    assert.deepEqual(next, { nextStart: at('2024-04-01T06:00:00Z'), nextStop: at('2024-03-29T17:00:00Z'), withinHours: true });
  });

  it('follows the autumn DST change (Europe/Berlin, 27 October 2024: UTC+2 → UTC+1)', () => {
    const next = nextTransitions(parsed('Mon-Fri 08:00-18:00 Europe/Berlin'), at('2024-10-25T17:00:00Z'));
    assert.deepEqual(next, { nextStart: at('2024-10-28T07:00:00Z'), nextStop: at('2024-10-28T17:00:00Z'), withinHours: false });
  });

  it('a repeated local time fires once, at its first occurrence (America/New_York, 3 November 2024)', () => {
    const next = nextTransitions(parsed('Sun 01:30-03:00 America/New_York'), at('2024-11-02T12:00:00Z'));
    assert.equal(next?.nextStart.toISOString(), '2024-11-03T05:30:00.000Z');
    assert.equal(next?.nextStop.toISOString(), '2024-11-03T08:00:00.000Z');
  });

  it('a local time skipped by DST is skipped, as EventBridge Scheduler does (America/New_York, 10 March 2024)', () => {
    const next = nextTransitions(parsed('Sun 02:30-04:00 America/New_York'), at('2024-03-09T12:00:00Z'));
    assert.equal(next?.nextStop.toISOString(), '2024-03-10T08:00:00.000Z');
    assert.equal(next?.nextStart.toISOString(), '2024-03-17T06:30:00.000Z');
  });

  it('never throws in the week before a DST change skips the only start (Europe/Berlin, 31 March 2024)', () => {
    const schedule = parsed('Sun 02:30-18:00 Europe/Berlin');
    // From Monday on, the one Sunday within a week has no 02:30: the start after it is a week later.
    for (const now of ['2024-03-24T17:00:00Z', '2024-03-25T08:00:00Z', '2024-03-31T00:59:00Z', '2024-03-31T01:00:00Z']) {
      assert.deepEqual(nextTransitions(schedule, at(now)), { nextStart: at('2024-04-07T00:30:00Z'), nextStop: at('2024-03-31T16:00:00Z'), withinHours: true }, now);
    }
    assert.equal(nextTransitions(schedule, at('2024-03-31T16:00:00Z'))?.nextStop.toISOString(), '2024-04-07T16:00:00.000Z');
  });

  it('has no next start or stop for a schedule without days, rather than throwing', () => {
    assert.equal(nextTransitions({ ...parsed('Mon 08:00-18:00 UTC'), days: [] }, at('2024-03-25T08:00:00Z')), undefined);
  });
});
