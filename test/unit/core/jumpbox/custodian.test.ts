import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeCustodian, parseCustodianTag } from '../../../../src/core/jumpbox/custodian';

function described(tag: string): string {
  const result = parseCustodianTag(tag);
  if (!result.ok) throw new Error(result.error);
  return describeCustodian(result.schedule);
}

describe('parseCustodianTag', () => {
  it('reads the documented single-rule form with a time zone alias', () => {
    assert.deepEqual(parseCustodianTag('off=(M-F,19);on=(M-F,7);tz=pt'), {
      ok: true,
      schedule: {
        kind: 'custom',
        off: [{ days: [1, 2, 3, 4, 5], hour: 19 }],
        on: [{ days: [1, 2, 3, 4, 5], hour: 7 }],
        timeZone: 'America/Los_Angeles',
      },
    });
    assert.equal(described('off=(M-F,19);on=(M-F,7);tz=pt'), 'Cloud Custodian: On Mon–Fri 07:00, off Mon–Fri 19:00 (America/Los_Angeles)');
  });

  it('reads lists, single days, wrapping ranges, IANA zones, quotes and upper case', () => {
    assert.equal(
      described('off=[(M-F,21),(U,18)];on=[(M-F,6),(U,10)];tz=pt'),
      'Cloud Custodian: On Mon–Fri 06:00, on Sun 10:00, off Mon–Fri 21:00, off Sun 18:00 (America/Los_Angeles)',
    );
    assert.equal(described('"OFF=(F-M,20);ON=(F-M,8);TZ=Asia/Jerusalem"'), 'Cloud Custodian: On Fri–Mon 08:00, off Fri–Mon 20:00 (Asia/Jerusalem)');
    assert.equal(described('off=(M-F,19);'), "Cloud Custodian: Off Mon–Fri 19:00 (the policy's time zone)");
  });

  it('knows the opt-out and policy-default values', () => {
    assert.equal(described('off'), 'Opted out of Cloud Custodian offhours');
    assert.equal(described(''), "Cloud Custodian offhours with the policy's default hours (the policy's time zone)");
    assert.equal(described('on'), "Cloud Custodian offhours with the policy's default hours (the policy's time zone)");
    assert.equal(described('tz=utc'), "Cloud Custodian offhours with the policy's default hours (Etc/UTC)");
  });

  const bad: Array<[string, RegExp]> = [
    ['off=(M-F,25)', /"\(m-f,25\)" should be \(days,hour\) with an hour 0-23/],
    ['off=(X-F,19)', /"x-f" in "\(x-f,19\)" is not a day letter/],
    ['off=M-F,19', /should look like \(M-F,19\)/],
    ['start=(M-F,7)', /unknown key "start"/],
  ];
  for (const [tag, message] of bad) {
    it(`rejects ${tag}`, () => {
      const result = parseCustodianTag(tag);
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.error, message);
    });
  }
});
