import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

describe('loadAws', () => {
  it('requires a bundle only when one of its exports is first read, and times each', async () => {
    // What scripts/build.mjs writes in; here the bundles are the entries tsc compiled next to load.js.
    (globalThis as { AWS_BUNDLE_EXPORTS?: unknown }).AWS_BUNDLE_EXPORTS = { 'index.js': ['listProfiles', 'explainError'], 'ssm.js': ['checkServices'] };
    const { bundleLoadMs, loadAws } = await import('../../../src/aws/load');
    const aws = loadAws();
    assert.deepEqual(Object.keys(bundleLoadMs()), []);
    assert.deepEqual(Object.keys(aws).sort(), ['checkServices', 'explainError', 'listProfiles'], 'every export is there before any is loaded');
    assert.equal(typeof aws.explainError, 'function');
    assert.deepEqual(Object.keys(bundleLoadMs()), ['index.js']);
    assert.equal(aws.explainError(new Error('x')).message, 'x');
    assert.equal(typeof aws.checkServices, 'function');
    assert.deepEqual(Object.keys(bundleLoadMs()).sort(), ['index.js', 'ssm.js']);
    assert.equal(loadAws(), aws);
  });
});
