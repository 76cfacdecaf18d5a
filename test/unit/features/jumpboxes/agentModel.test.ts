import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JumpboxInfo } from '../../../../src/core/jumpbox/model';
import { parseSchedule } from '../../../../src/core/jumpbox/schedule';
import { agentNode, lastActionNode, nextActionNodes } from '../../../../src/features/jumpboxes/agentModel';
import { renderedText } from '../../../support/markdown';

const jumpbox = (tags: Record<string, string> = {}): JumpboxInfo => ({ region: 'eu-west-1', instanceId: 'i-0abc', state: 'stopped', dnsName: 'jump.example.com', tags });
const schedule = (() => {
  const parsed = parseSchedule('Mon-Fri 09:00-17:00 Europe/Berlin');
  assert.ok(parsed.ok);
  return parsed.schedule;
})();
const NOW = new Date('2026-12-24T12:00:00Z');

describe('jumpbox agent rows', () => {
  it('says what goes stale without the agent, naming the records, and offers Install', () => {
    const row = agentNode('eu-west-1', { ok: true, status: { region: 'eu-west-1', installed: false, version: 0 } }, [jumpbox()], false);
    assert.deepEqual([row.label, row.description, row.contextValue], ['Jumpbox agent not installed', 'DNS goes stale after starts and stops outside VS Code', 'jumpboxAgent jumpboxAgent.missing']);
    assert.match(renderedText(row.tooltip ?? ''), /the EC2 console or the CLI, jump\.example\.com points at last session's released IP; after such a stop it stays at an address someone else can acquire/);
  });

  it('shows the installed version, offers an update for an older one, and removal for a failed stack', () => {
    const installed = agentNode('eu-west-1', { ok: true, status: { region: 'eu-west-1', installed: true, version: 1 } }, [], true);
    assert.deepEqual([installed.description, installed.contextValue], ['v1 · DNS, holidays and overrides handled in AWS · eu-west-1', 'jumpboxAgent jumpboxAgent.installed']);
    const old = agentNode('eu-west-1', { ok: true, status: { region: 'eu-west-1', installed: true, version: 0 } }, [], false);
    assert.match(old.contextValue ?? '', /jumpboxAgent\.outdated/);
    const failed = agentNode('eu-west-1', { ok: true, status: { region: 'eu-west-1', installed: false, version: 1, stackStatus: 'ROLLBACK_COMPLETE' } }, [], false);
    assert.deepEqual([failed.description, failed.contextValue], ['stack ROLLBACK_COMPLETE', 'jumpboxAgent jumpboxAgent.failed']);
  });

  it('lists the next actions with the holiday skipped by the agent, or flagged as going ahead without it', () => {
    const input = { jumpbox: jumpbox(), schedule, now: NOW, holidays: ['2026-12-25'] };
    const withAgent = nextActionNodes('p', { ...input, agentInstalled: true }).map((n) => `${n.label} ${n.description}`);
    assert.deepEqual(withAgent, ['Thu 2026-12-24 17:00 stop', 'Fri 2026-12-25 09:00 start · skipped: holiday 2026-12-25', 'Fri 2026-12-25 17:00 stop', 'Mon 2026-12-28 09:00 start']);
    const without = nextActionNodes('p', { ...input, agentInstalled: false }).map((n) => n.description);
    assert.equal(without[1], 'start · holiday, but starts: no jumpbox agent');
  });

  it('shows the last action, and the error while no later action succeeded', () => {
    const ok = lastActionNode('a', jumpbox({ 'awsops:last-action': '2026-12-24T07:00:02Z scheduled start: started' }), 'Europe/Berlin');
    assert.equal(ok?.description, 'Thu 2026-12-24 08:00: scheduled start: started');
    const failed = lastActionNode('a', jumpbox({ 'awsops:last-action': '2026-12-24T07:00:02Z x', 'awsops:last-error': '2026-12-24T07:00:02Z scheduled start failed: UnauthorizedOperation: no' }));
    assert.equal(failed?.description, 'failed Thu 2026-12-24 07:00: scheduled start failed: UnauthorizedOperation: no');
    assert.equal(failed?.icon?.id, 'error');
    const recovered = lastActionNode('a', jumpbox({ 'awsops:last-action': '2026-12-24T08:00:00Z running at 1.2.3.4', 'awsops:last-error': '2026-12-24T07:00:02Z old' }));
    assert.equal(recovered?.icon?.id, 'history');
    assert.equal(lastActionNode('a', jumpbox()), undefined);
  });
});
