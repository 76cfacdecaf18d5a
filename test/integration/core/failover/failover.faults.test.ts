import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EC2Client } from '@aws-sdk/client-ec2';
import { runFaultyFailovers } from '../../../support/faultRuns';
import { MOTO_CREDENTIALS } from '../../../support/moto';
import { testReads } from '../../../support/testReads';
import { useMoto } from '../../../support/useMoto';

/** Stale windows a tenth of the benchmark's 0–3 s, with the read-back scaled alike, so that 300 runs stay quick. */
const STALE_MS = 300;

describe('failover through a proxy injecting 20% faults, stale reads and a third party', () => {
  const moto = useMoto({ reset: false });
  let direct: EC2Client;

  before(() => {
    direct = new EC2Client({ region: 'us-east-1', endpoint: moto.url, credentials: MOTO_CREDENTIALS });
  });
  after(() => direct.destroy());

  it('300 failovers each end moved, rolled back or converged, verified, never reversed, with a report that matches moto', async () => {
    // 3 SDK attempts instead of the product's 5, so that some calls fail through and the rollback path runs too.
    // A 3 s request timeout: 16 lanes on one moto process can take over 1 s to answer on a loaded machine.
    const summary = await runFaultyFailovers({
      motoUrl: moto.url, direct, runs: 300, lanes: 16, tables: 3, rate: 0.2, seed: 20, timeoutMs: 3000, maxAttempts: 3,
      staleMs: STALE_MS, thirdParty: 0.3, reads: testReads(STALE_MS),
    });
    console.log(`fault runs: ${JSON.stringify({ ...summary, inconsistent: summary.inconsistent.slice(0, 1), reversed: summary.reversed.slice(0, 1), falseVerified: summary.falseVerified.slice(0, 1), ms: Math.round(summary.ms) })}`);
    assert.deepEqual([summary.inconsistent.length, summary.reversed.length, summary.falseVerified.length], [0, 0, 0], 'inconsistent, reversed, falsely verified');
    assert.equal(summary.runs, 300);
    assert.equal(summary.moved + summary.rolledBack + summary.converged + summary.notStarted, 300);
    assert.ok(summary.notStarted < 100, `most runs got past planning (${summary.notStarted} did not)`);
    assert.ok(summary.requests > 1000 && Object.values(summary.faults).reduce((a, b) => a + (b ?? 0), 0) > 150, 'faults were really injected');
    assert.ok(summary.staleAnswers > 100, `stale reads were really served (${summary.staleAnswers})`);
    const moves = summary.thirdPartyMoves;
    assert.ok((moves.foreign ?? 0) > 5 && (moves.to ?? 0) > 5 && (moves.from ?? 0) > 5, `the third party really moved tables: ${JSON.stringify(moves)}`);
  });
});
