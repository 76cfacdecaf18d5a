import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { profilePicks } from '../../../../src/core/fleet/profilePicks';
import type { ProfileInfo } from '../../../../src/core/session/profiles';

const profile = (name: string, source: ProfileInfo['source'] = 'assume-role', region?: string): ProfileInfo => ({ name, source, region });

describe('profilePicks', () => {
  it('offers the chosen patterns first with their match counts, then every profile, the chosen names picked', () => {
    const picks = profilePicks([profile('prod-a', 'sso', 'eu-west-1'), profile('prod-b'), profile('dev')], ['prod-*', 'dev']);
    assert.deepEqual(picks, [
      { label: 'prod-*', description: 'pattern · matches 2', picked: true },
      { label: 'prod-a', description: 'sso · eu-west-1', picked: false },
      { label: 'prod-b', description: 'assume-role', picked: false },
      { label: 'dev', description: 'assume-role', picked: true },
    ]);
  });
});
