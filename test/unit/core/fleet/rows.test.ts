import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accountRowLabel, fleetProgressMessage } from '../../../../src/core/fleet/rows';

describe('fleet rows', () => {
  it('says the progress until every account answered', () => {
    assert.equal(fleetProgressMessage({ answered: 17, total: 40 }), '17 of 40 accounts');
    assert.equal(fleetProgressMessage({ answered: 40, total: 40 }), undefined);
  });

  it('names the profile used when two profiles reach one account', () => {
    assert.deepEqual(accountRowLabel({ label: 'prod-a', accountId: '111111111111', profile: 'prod-a', alsoReachedBy: ['prod-a-admin'] }), {
      label: 'prod-a', description: '111111111111 · via prod-a (also prod-a-admin)',
    });
    assert.equal(accountRowLabel({ label: 'dev', accountId: '2', profile: 'dev', alsoReachedBy: [] }).description, '2');
  });
});
