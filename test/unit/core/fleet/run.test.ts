import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FleetTarget } from '../../../../src/core/fleet/model';
import { runFleet, type FleetOutcome, type FleetRunOptions } from '../../../../src/core/fleet/run';

const target = (label: string, accountId?: string): FleetTarget => ({ label, profile: label, accountId, credentials: async () => ({ accessKeyId: 'k', secretAccessKey: 's' }) });
const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve, reject) => {
  const timer = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(timer); reject(signal.reason); }, { once: true });
});
const options = (extra: Partial<FleetRunOptions> = {}): FleetRunOptions => ({
  regions: ['r1', 'r2'], concurrency: 8, accountTimeoutMs: 5_000, identify: async (t) => `id-${t.label}`, ...extra,
});

describe('runFleet', () => {
  it('delivers each account as it answers: a slow account does not hold the fast ones', async () => {
    const order: string[] = [];
    await runFleet([target('slow'), target('fast1'), target('fast2')], async (a) => {
      await sleep(a.label === 'slow' ? 200 : 10);
      return a.label;
    }, options(), (o) => order.push(o.kind === 'account' ? o.account.label : o.kind));
    assert.deepEqual(order, ['fast1', 'fast2', 'slow']);
  });

  it('never has more accounts in flight than the concurrency setting', async () => {
    let inFlight = 0;
    let peak = 0;
    const targets = Array.from({ length: 20 }, (_, i) => target(`a${i}`));
    await runFleet(targets, async () => {
      peak = Math.max(peak, ++inFlight);
      await sleep(5);
      inFlight--;
    }, options({ concurrency: 3, regions: ['r1'] }), () => undefined);
    assert.equal(peak, 3);
  });

  it('reports an account past its deadline as a timeout and goes on with the others', async () => {
    const outcomes: Array<FleetOutcome<string>> = [];
    const started = Date.now();
    await runFleet([target('hung'), target('ok')], async (a, _r, signal) => {
      await sleep(a.label === 'hung' ? 60_000 : 1, signal);
      return 'rows';
    }, options({ accountTimeoutMs: 100 }), (o) => outcomes.push(o));
    assert.ok(Date.now() - started < 2_000);
    const hung = outcomes.find((o) => o.kind === 'failed');
    assert.ok(hung?.kind === 'failed');
    assert.equal(hung.problem.kind, 'timeout');
    assert.ok(outcomes.some((o) => o.kind === 'account' && o.account.label === 'ok'));
  });

  it('counts the deadline from an account\'s start, not from its wait for a slot', async () => {
    const outcomes: Array<FleetOutcome<string>> = [];
    await runFleet([target('a'), target('b'), target('c')], async (_a, _r, signal) => {
      await sleep(60, signal);
      return 'rows';
    }, options({ concurrency: 1, regions: ['r1'], accountTimeoutMs: 120 }), (o) => outcomes.push(o));
    assert.deepEqual(outcomes.map((o) => o.kind), ['account', 'account', 'account']);
  });

  it('shows two profiles into one account once, naming the other profile', async () => {
    const outcomes: Array<FleetOutcome<string>> = [];
    await runFleet([target('a'), target('b')], async () => 'rows', options({ identify: async () => '111' }), (o) => outcomes.push(o));
    const accounts = outcomes.filter((o) => o.kind === 'account');
    assert.equal(accounts.length, 1);
    assert.ok(accounts[0].kind === 'account');
    assert.deepEqual(accounts[0].account.alsoReachedBy, ['b']);
    assert.ok(outcomes.some((o) => o.kind === 'duplicate' && o.usedProfile === 'a'));
  });

  it('uses the profile listed first for an account two profiles reach, whichever answers first', async () => {
    const outcomes: Array<FleetOutcome<string>> = [];
    const slowFirst = options({ identify: async (t) => (await sleep(t.label === 'a' ? 40 : 1), '111') });
    await runFleet([target('a'), target('b'), target('c')], async () => 'rows', slowFirst, (o) => outcomes.push(o));
    const account = outcomes.find((o) => o.kind === 'account');
    assert.ok(account?.kind === 'account');
    assert.equal(account.account.profile, 'a');
    assert.deepEqual(account.account.alsoReachedBy, ['b', 'c']);
  });

  it('delivers nothing more once a newer refresh aborts it', async () => {
    const controller = new AbortController();
    const delivered: string[] = [];
    const summary = await runFleet([target('first'), target('late')], async (a, _r, signal) => {
      await sleep(a.label === 'first' ? 1 : 300, signal);
      return 'rows';
    }, options({ signal: controller.signal }), (o) => {
      delivered.push(o.kind);
      controller.abort();
    });
    assert.deepEqual(delivered, ['account']);
    assert.equal(summary.cancelled, true);
  });

  it('one failing account is an error row with the fix; the others show', async () => {
    const outcomes: Array<FleetOutcome<string>> = [];
    await runFleet([target('sso'), target('ok')], async (a) => {
      if (a.label === 'sso') throw Object.assign(new Error('The SSO session associated with this profile has expired or is otherwise invalid.'), { name: 'CredentialsProviderError' });
      return 'rows';
    }, options(), (o) => outcomes.push(o));
    const sso = outcomes.find((o) => o.kind === 'failed');
    assert.ok(sso?.kind === 'failed');
    assert.equal(sso.problem.command, 'aws sso login --profile sso');
    assert.ok(outcomes.some((o) => o.kind === 'account'));
  });
});
