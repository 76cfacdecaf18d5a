import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RenderThrottle } from '../../../src/plumbing/renderThrottle';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('RenderThrottle', () => {
  it('renders the first update at once and the burst after it together, once, at the end of the window', async () => {
    let renders = 0;
    const throttle = new RenderThrottle(() => renders++, 40);
    throttle.request();
    assert.equal(renders, 1, 'the first rows are not delayed');
    for (let i = 0; i < 10; i++) throttle.request();
    assert.equal(renders, 1);
    await sleep(60);
    assert.equal(renders, 2);
  });

  it('flush renders now and drops the render waiting; cancel drops it without rendering', async () => {
    let renders = 0;
    const throttle = new RenderThrottle(() => renders++, 40);
    throttle.request();
    throttle.request();
    throttle.flush();
    assert.equal(renders, 2);
    throttle.request();
    throttle.cancel();
    await sleep(60);
    assert.equal(renders, 2);
  });
});
