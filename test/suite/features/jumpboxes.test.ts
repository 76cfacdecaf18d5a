import assert from 'node:assert/strict';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import * as vscode from 'vscode';
import type { AwsSession } from '../../../src/core/session/session';
import type { TreeNode } from '../../../src/plumbing/treeNode';
import { createZone, launch, putARecord, readARecord } from '../../support/jumpboxSeed';
import { renderedText, renderMarkdown } from '../../support/markdown';
import { FakeHost, type Answer } from '../fakeHost';
import { startWorld, type World } from '../world';

const DNS_NAME = 'jump.example.com';
const SCHEDULE = 'Sun-Thu 08:00-18:00 Asia/Jerusalem';

describe('Jumpboxes view (real extension host, moto)', () => {
  let world: World;
  let session: AwsSession;
  let zoneId: string;
  let instanceId: string;
  let label: string;

  const settings = () => vscode.workspace.getConfiguration('awsops');
  const row = (): TreeNode => {
    const roots = world.api.jumpboxes.getRoots();
    const found = roots.find((node) => node.id === `jumpbox:${world.region}/${instanceId}`);
    assert.ok(found, `no row for ${instanceId} among ${JSON.stringify(roots.map((n) => n.label))}`);
    return found;
  };
  const child = (name: 'dns' | 'schedule' | 'cost'): TreeNode => {
    const found = row().children?.find((node) => node.id.endsWith(`/${name}`));
    assert.ok(found, `no ${name} row under ${instanceId}`);
    return found;
  };
  const refreshView = async () => {
    await vscode.commands.executeCommand('awsops.refresh');
    await world.api.refresh();
  };
  const useHost = (answers: Answer[] = [], clicks: string[] = []) => {
    const host = new FakeHost(answers, clicks);
    world.api.setHost(host);
    return host;
  };
  const publicIp = async () =>
    (await session.client('ec2').send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations?.[0]?.Instances?.[0]?.PublicIpAddress;

  before(async () => {
    world = await startWorld();
    session = world.pool.get({ region: world.region, endpointUrl: world.moto.url });
    zoneId = await createZone(session, 'example.com');
    instanceId = await launch(session, { Name: 'jump-e2e', 'awsops:jumpbox': '', 'awsops:dns': DNS_NAME, 'awsops:schedule': SCHEDULE }, 'stopped');
    label = `jump-e2e (${instanceId})`;
    await putARecord(session, zoneId, DNS_NAME, '198.51.100.7');
    // moto has no Price List API: the price comes from the setting, as it would behind a firewall.
    await settings().update('hourlyPrices', { 't2.medium': 0.0464 }, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await settings().update('hourlyPrices', undefined, vscode.ConfigurationTarget.Global);
    await world?.dispose();
  });

  it('lists the stopped jumpbox with its DNS name, schedule and monthly cost', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.awsops');
    await refreshView();
    assert.equal(row().description, 'stopped · t2.medium');
    assert.match(row().contextValue ?? '', /\bjumpbox\.stopped\b/);
    assert.equal(child('dns').label, DNS_NAME);
    assert.equal(child('dns').description, 'no public IP · record → 198.51.100.7');
    assert.equal(child('schedule').label, SCHEDULE);
    assert.match(child('schedule').description ?? '', /^(starts|stops) \w{3} \d\d:00 · (starts|stops) \w{3} \d\d:00 · not applied in AWS$/);
    assert.match(child('cost').description ?? '', /^[\d.]+ of [\d.]+ h on \(\d+%\): \$\d+\.\d\d vs \$\d+\.\d\d always on$/);
    assert.match(renderedText(child('cost').tooltip ?? ''), /\$0\.0464\/h, from the awsops\.hourlyPrices setting/);
  });

  it('starts it from its row: progress, then running with the new public IP, DNS in sync, ssh command copied', async () => {
    const host = useHost([], ['Copy SSH command']);
    const jump = row();
    await vscode.commands.executeCommand('awsops.startJumpbox', jump, [jump]);
    const ip = await publicIp();
    assert.ok(ip, 'the started instance has a public IP');
    assert.equal(row().description, `running · t2.medium · ${ip}`);
    assert.match(row().contextValue ?? '', /\bjumpbox\.running\b/);
    assert.equal(child('dns').description, `→ ${ip} · in sync`);
    assert.match(child('dns').contextValue ?? '', /jumpboxDns\.in-sync/);
    assert.deepEqual(await readARecord(session, zoneId, DNS_NAME), { ips: [ip], ttl: 60 });
    assert.ok(host.progress.some((p) => p.endsWith('waiting until running')), host.progress.join('\n'));
    assert.deepEqual(host.messages(), [`${label} is running at ${ip}; ${DNS_NAME} → ${ip}.`]);
    assert.deepEqual(host.clipboard, [`ssh ec2-user@${DNS_NAME}`]);
    assert.deepEqual(host.unexpected, []);
  });

  it('flags a stale A record and fixes it with one click on the DNS row', async () => {
    await putARecord(session, zoneId, DNS_NAME, '203.0.113.9');
    await refreshView();
    const ip = await publicIp();
    const dns = child('dns');
    assert.equal(dns.description, `→ 203.0.113.9 · stale: the public IP is ${ip}`);
    assert.match(dns.contextValue ?? '', /jumpboxDns\.stale/);
    assert.equal(row().expanded, true, 'a row with a warning opens by itself');

    const host = useHost();
    await vscode.commands.executeCommand('awsops.syncJumpboxDns', dns);
    assert.equal(child('dns').description, `→ ${ip} · in sync`);
    assert.deepEqual(await readARecord(session, zoneId, DNS_NAME), { ips: [ip], ttl: 60 });
    assert.deepEqual(host.messages(), [`${DNS_NAME} → ${ip} (TTL 60): Route53 is in sync.`]);
  });

  it('applies the schedule of its tag after a confirm that lists what is created, then again as unchanged', async () => {
    const host = useHost(['Apply', 'Apply']);
    await vscode.commands.executeCommand('awsops.applySchedule', row());
    const confirm = host.shown.find((s) => s.kind === 'confirm');
    assert.equal(confirm?.text, `Apply "${SCHEDULE}" to ${label}?`);
    assert.match(confirm?.detail ?? '', new RegExp(`IAM role /awsops/awsops-jumpbox-${instanceId}:`));
    assert.match(confirm?.detail ?? '', /: cron\(0 8 \? \* SUN-THU \*\) in Asia\/Jerusalem\./);
    assert.deepEqual(host.messages(), [`Schedule "${SCHEDULE}" of ${label}: role created, start schedule created, stop schedule created.`]);
    assert.match(child('schedule').description ?? '', / · applied in AWS$/);

    const again = useHost(['Apply', 'Apply']);
    await vscode.commands.executeCommand('awsops.applySchedule', child('schedule'));
    assert.deepEqual(again.messages(), [`Schedule "${SCHEDULE}" of ${label}: role unchanged, start schedule unchanged, stop schedule unchanged.`]);
  });

  it('removes the schedule from AWS after a confirm', async () => {
    const host = useHost(['Remove', 'Remove']);
    await vscode.commands.executeCommand('awsops.applySchedule', row());
    assert.deepEqual(host.messages(), [
      `Removed from ${label}: schedule awsops-${instanceId}-start, schedule awsops-${instanceId}-stop, role awsops-jumpbox-${instanceId}.`,
    ]);
    assert.match(child('schedule').description ?? '', / · not applied in AWS$/);
  });

  it('stops it from the command palette: pick, confirm naming the box, wait until stopped', async () => {
    const host = useHost([['jump-e2e'], 'Stop']);
    await vscode.commands.executeCommand('awsops.stopJumpbox');
    const confirm = host.shown.find((s) => s.kind === 'confirm');
    assert.equal(confirm?.text, `Stop ${label}?`);
    assert.ok(confirm?.detail?.startsWith(`• ${label}: running in ${world.region}\n`), confirm?.detail);
    assert.equal(row().description, 'stopped · t2.medium');
    assert.deepEqual(host.messages(), [`${label} is stopped.`]);
    assert.deepEqual(host.unexpected, []);
  });

  it('does nothing but say so when asked to stop a stopped jumpbox', async () => {
    const host = useHost();
    const jump = row();
    await vscode.commands.executeCommand('awsops.stopJumpbox', jump, [jump]);
    assert.deepEqual(host.messages(), [`${label} is already stopped.`]);
    assert.deepEqual(host.unexpected, [], 'no confirm for a no-op');
  });

  it('without a price, the cost tooltip says the Price List API is not at the endpoint and links to the setting', async () => {
    await settings().update('hourlyPrices', {}, vscode.ConfigurationTarget.Global);
    await refreshView();
    // What the hover gets: the MarkdownString VS Code renders, trusted for one command only, no HTML.
    const tooltip = world.api.jumpboxes.getTreeItem(child('cost')).tooltip as vscode.MarkdownString;
    assert.deepEqual([tooltip.isTrusted, tooltip.supportHtml], [{ enabledCommands: ['workbench.action.openSettings'] }, false]);
    const text = renderedText(tooltip.value);
    assert.ok(text.includes(`The price of t2.medium is unknown (the Price List API is not available at ${world.moto.url}; no awsops.hourlyPrices entry for t2.medium).`), text);
    assert.ok(text.includes('Add it to the awsops.hourlyPrices setting, as { "t2.medium": <USD per hour> }.'), text);
    assert.doesNotMatch(text, /JSON|Unexpected token|Deserialization/);

    // Following the link opens the Settings editor.
    const href = /<a href="command:([^"?]+)\?([^"]+)">Open the awsops\.hourlyPrices setting<\/a>/.exec(renderMarkdown(tooltip.value));
    assert.ok(href, renderMarkdown(tooltip.value));
    await vscode.commands.executeCommand(href[1], ...(JSON.parse(decodeURIComponent(href[2])) as unknown[]));
    assert.equal(vscode.window.tabGroups.activeTabGroup.activeTab?.label, 'Settings');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
