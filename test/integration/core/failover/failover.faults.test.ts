import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EC2Client } from '@aws-sdk/client-ec2';
import { runFaultyFailovers } from '../../../support/faultRuns';
import { MOTO_CREDENTIALS } from '../../../support/moto';
import { useMoto } from '../../../support/useMoto';

describe('failover through a proxy injecting 20% faults', () => {
  const moto = useMoto({ reset: false });
  let direct: EC2Client;

  before(() => {
    direct = new EC2Client({ region: 'us-east-1', endpoint: moto.url, credentials: MOTO_CREDENTIALS });
  });
  after(() => direct.destroy());

  it('200 failovers each end all moved or all rolled back, verified, with a report that matches moto', async () => {
    // 3 SDK attempts instead of the product's 5, so that some calls fail through and the rollback path runs too.
    const summary = await runFaultyFailovers({ motoUrl: moto.url, direct, runs: 200, lanes: 8, tables: 3, rate: 0.2, seed: 20, timeoutMs: 300, maxAttempts: 3 });
    console.log(`fault runs: ${JSON.stringify({ ...summary, ms: Math.round(summary.ms) })}`);
    assert.deepEqual(summary.inconsistent, []);
    assert.equal(summary.runs, 200);
    assert.equal(summary.moved + summary.rolledBack + summary.notStarted, 200);
    assert.ok(summary.requests > 1000 && Object.values(summary.faults).reduce((a, b) => a + (b ?? 0), 0) > 150, 'faults were really injected');
  });
});
