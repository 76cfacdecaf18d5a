import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { TreeNode } from '../../../src/plumbing/treeNode';
import { FakeHost } from '../fakeHost';
import { filesUnder } from '../logFiles';
import { startWorld, type World } from '../world';

/** Planted on the command line of a credential_process that fails: none of it may be shown anywhere. */
const SECRETS = /hunter2|SECRET/;
const COMMAND = 'false --password hunter2-SECRET --token=t0ken-SECRET --api-key k3y-SECRET';

/** Every row's label, description and tooltip, depth first. */
function rowTexts(nodes: readonly TreeNode[]): string[] {
  return nodes.flatMap((n) => [[n.label, n.description, n.tooltip].filter(Boolean).join(' | '), ...rowTexts(n.children ?? [])]);
}

describe('No secret reaches the log, a tree row or a notification (real extension host, a failing credential_process)', () => {
  let world: World;
  const settings = () => vscode.workspace.getConfiguration('awsops');

  before(async () => {
    world = await startWorld();
    // The SDK reports a failing credential_process as "Command failed: <its whole command line>".
    fs.appendFileSync(process.env.AWS_CONFIG_FILE as string, `\n[profile failing-process]\nregion = eu-west-1\ncredential_process = ${COMMAND}\n`);
    await settings().update('profile', 'failing-process', vscode.ConfigurationTarget.Global);
    await world.api.refresh();
  });
  after(async () => {
    world.api.setHost((await import('../../../src/plumbing/host')).windowHost);
    await world?.dispose();
  });

  it('tree rows say the credential process failed, without its command line', async () => {
    await vscode.commands.executeCommand('awsops.refresh');
    await world.api.refresh();
    const rows = rowTexts([...world.api.vipRoutes.getRoots(), ...world.api.jumpboxes.getRoots(), ...world.api.pairs.getRoots()]);
    const failed = rows.filter((row) => row.includes('Command failed'));
    assert.ok(failed.length >= 3, `an error row in each view: ${JSON.stringify(rows)}`);
    assert.ok(failed.every((row) => row.includes('Command failed: [command line redacted]')), JSON.stringify(failed));
    assert.deepEqual(rows.filter((row) => SECRETS.test(row)), []);
  });

  it('notifications of every command that hits it say so, without its command line', async () => {
    const jumpbox: TreeNode = { id: 'jumpbox', label: 'jumpbox', data: { kind: 'jumpbox', region: world.region, instanceId: 'i-0123456789abcdef0', state: 'stopped' } };
    // The provision wizard asks for the name first, then reads AWS.
    const host = new FakeHost(['web']);
    world.api.setHost(host);
    await vscode.commands.executeCommand('awsops.teardownPair');
    await vscode.commands.executeCommand('awsops.provisionPair');
    await vscode.commands.executeCommand('awsops.startJumpbox', jumpbox);
    // Thrown out of the command, so shown by the guard every command runs in.
    await vscode.commands.executeCommand('awsops.syncJumpboxDns', jumpbox);
    const errors = host.messages('error');
    assert.equal(errors.length, 4, JSON.stringify(host.shown));
    assert.ok(errors.every((text) => text.includes('Command failed: [command line redacted]')), JSON.stringify(errors));
    assert.ok(errors.slice(0, 3).every((text) => text.includes('pick a profile')), `the hint after the redacted command line stays: ${JSON.stringify(errors)}`);
    assert.deepEqual(host.shown.filter((shown) => SECRETS.test(`${shown.text} ${shown.detail ?? ''}`)), []);
  });

  it('the log says it, without its command line', async () => {
    let text = '';
    for (const started = Date.now(); Date.now() - started < 10_000; await new Promise((resolve) => setTimeout(resolve, 200))) {
      text = filesUnder(world.api.logUri.fsPath).map((file) => fs.readFileSync(file, 'utf8')).join('\n');
      if (/Could not tell who you are.*Command failed/.test(text) && /\[error\] AWS Ops: Command failed|\[error\] Command failed/.test(text)) break;
    }
    assert.match(text, /Could not tell who you are \(STS GetCallerIdentity\): Command failed: \[command line redacted\]/);
    assert.match(text, /\[error\] Command failed: \[command line redacted\]/, 'the guard logged the thrown error');
    assert.deepEqual(text.split('\n').filter((line) => SECRETS.test(line)), []);
  });
});
