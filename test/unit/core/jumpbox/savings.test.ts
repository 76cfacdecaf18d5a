import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSchedule, type WorkSchedule } from '../../../../src/core/jumpbox/schedule';
import { describeMonthlyCost, formatUsd, holidayProblem, monthHours, monthlyCost } from '../../../../src/core/jumpbox/savings';

function parsed(text: string): WorkSchedule {
  const result = parseSchedule(text);
  if (!result.ok) throw new Error(result.error);
  return result.schedule;
}

const seed = parsed('Sun-Thu 08:00-18:00 Asia/Jerusalem');

describe('monthHours', () => {
  it('August 2018, Sunday–Thursday, 10 h/day: 22 work days, 220 of 744 hours (the seed figures)', () => {
    assert.deepEqual(monthHours(seed, 2018, 8), { year: 2018, month: 8, workDays: 22, hoursOn: 220, hoursInMonth: 744 });
  });

  it('excludes listed holidays only, and only those on work days of that month', () => {
    const hours = monthHours(seed, 2018, 8, ['2018-08-15', '2018-08-18', '2018-09-10']);
    assert.equal(hours.workDays, 21, 'Wednesday the 15th is excluded; Saturday the 18th and a September date change nothing');
    assert.equal(hours.hoursOn, 210);
  });

  it('counts the real length of a month with a DST change', () => {
    const berlin = parsed('Mon-Fri 08:00-18:00 Europe/Berlin');
    assert.equal(monthHours(berlin, 2024, 3).hoursInMonth, 743);
    assert.equal(monthHours(berlin, 2024, 10).hoursInMonth, 745);
    assert.equal(monthHours(berlin, 2024, 3).hoursOn, 21 * 10);
  });

  it('a start skipped by DST leaves the jumpbox off that day', () => {
    const hours = monthHours(parsed('Sun 02:30-04:00 America/New_York'), 2024, 3);
    assert.equal(hours.workDays, 5);
    assert.equal(hours.hoursOn, 4 * 1.5);
  });

  it('rejects a malformed holiday by name', () => {
    assert.throws(() => monthHours(seed, 2018, 8, ['2018-02-30']), /Holiday "2018-02-30" is not a date/);
    assert.equal(holidayProblem('2018-08-15'), undefined);
    assert.match(holidayProblem('15/08/2018') ?? '', /use YYYY-MM-DD/);
  });
});

describe('monthlyCost', () => {
  it('at $0.0464/h: $10.21 scheduled vs $34.52 always on', () => {
    const cost = monthlyCost(monthHours(seed, 2018, 8), { usdPerHour: 0.0464, source: 'setting' });
    assert.equal(cost.scheduledUsd, 10.21);
    assert.equal(cost.alwaysOnUsd, 34.52);
    assert.equal(cost.savedUsd, 24.31);
    assert.equal(describeMonthlyCost(cost), '220 of 744 h on (30%): $10.21 vs $34.52 always on');
  });

  it('an unknown price gives no number at all', () => {
    const cost = monthlyCost(monthHours(seed, 2018, 8), { source: 'unknown' });
    assert.equal(cost.scheduledUsd, undefined);
    assert.equal(cost.alwaysOnUsd, undefined);
    assert.equal(describeMonthlyCost(cost), '220 of 744 h on (30%): price unknown');
  });

  it('formats dollars with cents', () => {
    assert.equal(formatUsd(34.5), '$34.50');
  });
});
