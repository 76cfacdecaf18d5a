import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { startMoto } from '../../support/moto';

describe('the test world\'s moto_server', () => {
  it('keeps answering while the process that started it is blocked (its request log does not fill a pipe)', async () => {
    const moto = await startMoto();
    try {
      // 1,500 requests (~150 KB of request log, over twice a pipe's 64 KB) from a child, while this process's
      // event loop waits in spawnSync as the benchmark does: with stderr on a pipe, moto stopped answering here.
      const client = `(async () => { for (let i = 0; i < 1500; i++) { const r = await fetch(${JSON.stringify(`${moto.url}/moto-api/`)}); await r.arrayBuffer(); } })().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });`;
      const run = spawnSync(process.execPath, ['-e', client], { encoding: 'utf8', timeout: 120_000 });
      assert.equal(run.status, 0, `the client did not finish: ${run.signal ?? ''} ${run.stderr.slice(-300)}`);
    } finally {
      await moto.stop();
    }
  });
});
