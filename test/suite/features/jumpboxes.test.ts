import assert from 'node:assert/strict';
import { DescribeInstancesCommand, StartInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import * as vscode from 'vscode';
import type { AwsSession } from '../../../src/core/session/session';
import type { TreeNode } from '../../../src/plumbing/treeNode';
import { KEEP_RECORD, REPLACE_RECORD } from '../../../src/features/jumpboxes/commands';
import { createZone, launch, putARecord, readARecord, readOwnershipRecord } from '../../support/jumpboxSeed';
import { renderedText, renderMarkdown } from '../../support/markdown';
import { FakeHost, type Answer } from '../fakeHost';
import { startWorld, type World } from '../world';

const DNS_NAME = 'jump.example.com';
const SCHEDULE = 'Sun-Thu 08:00-18:00 Asia/Jerusalem';
/** Where every confirmation of a change says it acts, first. */
const ACTING_AS = 'profile moto · account 123456789012 · region eu-west-1\n\n';

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
    await settings().update('dnsZones', ['example.com'], vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await settings().update('hourlyPrices', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('dnsZones', undefined, vscode.ConfigurationTarget.Global);
    await world?.dispose();
  });

  it('lists the stopped jumpbox with its DNS name, schedule and monthly cost', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.awsops');
    await refreshView();
    assert.equal(row().description, 'stopped · t2.medium');
    assert.match(row().contextValue ?? '', /\bjumpbox\.stopped\b/);
    assert.equal(child('dns').label, DNS_NAME);
    assert.equal(child('dns').description, 'no public IP · record → 198.51.100.7 · not managed by AWS Ops');
    assert.equal(child('schedule').label, SCHEDULE);
    assert.match(child('schedule').description ?? '', /^(starts|stops) \w{3} \d\d:00 · (starts|stops) \w{3} \d\d:00 · not applied in AWS$/);
    assert.match(child('cost').description ?? '', /^[\d.]+ of [\d.]+ h on \(\d+%\): \$\d+\.\d\d vs \$\d+\.\d\d always on$/);
    assert.match(renderedText(child('cost').tooltip ?? ''), /\$0\.0464\/h, from the awsops\.hourlyPrices setting/);
  });

  it('starts it from its row, but leaves a record AWS Ops does not manage unless the modal is answered Replace', async () => {
    const host = useHost([undefined], ['Copy SSH command']);
    const jump = row();
    await vscode.commands.executeCommand('awsops.startJumpbox', jump, [jump]);
    const ip = await publicIp();
    assert.ok(ip, 'the started instance has a public IP');
    assert.equal(row().description, `running · t2.medium · ${ip}`);
    assert.match(row().contextValue ?? '', /\bjumpbox\.running\b/);
    assert.ok(host.progress.some((p) => p.endsWith('waiting until running')), host.progress.join('\n'));
    // The modal: both values, who manages it, and the harmless answer first (the one Enter picks).
    const confirm = host.shown.find((s) => s.kind === 'confirm');
    assert.equal(confirm?.text, `${DNS_NAME} is not managed by AWS Ops. Point it at ${label}?`);
    assert.deepEqual(confirm?.options, [KEEP_RECORD, REPLACE_RECORD]);
    assert.ok(confirm?.detail?.startsWith(ACTING_AS), confirm?.detail);
    assert.match(confirm?.detail ?? '', new RegExp(`^Now: A 198\\.51\\.100\\.7$`, 'm'));
    assert.match(confirm?.detail ?? '', new RegExp(`^New: A ${ip.replace(/\./g, '\\.')} \\(TTL 60\\), owned by ${label.replace(/[()]/g, '\\$&')} through TXT _awsops\\.${DNS_NAME.replace(/\./g, '\\.')}$`, 'm'));
    assert.deepEqual(await readARecord(session, zoneId, DNS_NAME), { ips: ['198.51.100.7'], ttl: 300 });
    // The command is shown before "Copy SSH command" copies it.
    assert.deepEqual(host.messages(), [`${label} is running at ${ip}; DNS not updated: ${DNS_NAME} is not managed by AWS Ops: it still points at 198.51.100.7. SSH: ssh ec2-user@${ip}`]);
    assert.deepEqual(host.clipboard, [`ssh ec2-user@${ip}`]);
    assert.equal(child('dns').description, `→ 198.51.100.7 · stale: the public IP is ${ip} · not managed by AWS Ops`);
    assert.deepEqual(host.unexpected, []);

    const replace = useHost([REPLACE_RECORD]);
    await vscode.commands.executeCommand('awsops.syncJumpboxDns', child('dns'));
    assert.equal(child('dns').description, `→ ${ip} · in sync`);
    assert.deepEqual(await readARecord(session, zoneId, DNS_NAME), { ips: [ip], ttl: 60 });
    assert.deepEqual(await readOwnershipRecord(session, zoneId, DNS_NAME), [`"heritage=aws-ops,aws-ops/owner=${instanceId}"`]);
    assert.deepEqual(replace.messages(), [`${DNS_NAME} → ${ip} (TTL 60): Route53 is in sync.`]);
    assert.deepEqual(replace.unexpected, []);
  });

  it('flags the record it manages as stale after a restart outside AWS Ops, and fixes it with one click, without asking', async () => {
    // As its schedule in AWS would: stopped and started again, with a new public IP.
    const before = await publicIp();
    const ec2 = session.client('ec2');
    await ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
    await ec2.send(new StartInstancesCommand({ InstanceIds: [instanceId] }));
    await refreshView();
    const ip = await publicIp();
    assert.notEqual(ip, before);
    const dns = child('dns');
    assert.equal(dns.description, `→ ${before} · stale: the public IP is ${ip}`);
    assert.match(dns.contextValue ?? '', /jumpboxDns\.stale/);
    assert.equal(row().expanded, true, 'a row with a warning opens by itself');

    const host = useHost();
    await vscode.commands.executeCommand('awsops.syncJumpboxDns', dns);
    assert.equal(child('dns').description, `→ ${ip} · in sync`);
    assert.deepEqual(await readARecord(session, zoneId, DNS_NAME), { ips: [ip], ttl: 60 });
    assert.deepEqual(host.messages(), [`${DNS_NAME} → ${ip} (TTL 60): Route53 is in sync.`]);
    assert.deepEqual(host.unexpected, []);
  });

  it('applies the schedule of its tag after a confirm that lists what is created, then again as unchanged', async () => {
    const host = useHost(['Apply', 'Apply']);
    await vscode.commands.executeCommand('awsops.applySchedule', row());
    const confirm = host.shown.find((s) => s.kind === 'confirm');
    assert.equal(confirm?.text, `Apply "${SCHEDULE}" to ${label}?`);
    assert.ok(confirm?.detail?.startsWith(ACTING_AS), confirm?.detail);
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
    assert.ok(host.shown.find((s) => s.kind === 'confirm')?.detail?.startsWith(ACTING_AS));
    assert.deepEqual(host.messages(), [
      `Removed from ${label}: schedule awsops-${instanceId}-start, schedule awsops-${instanceId}-stop, role awsops-jumpbox-${instanceId}.`,
    ]);
    assert.match(child('schedule').description ?? '', / · not applied in AWS$/);
  });

  it('stops it from the command palette: pick, confirm naming the box, wait until stopped, its DNS record deleted', async () => {
    const ip = await publicIp();
    const host = useHost([['jump-e2e'], 'Stop']);
    await vscode.commands.executeCommand('awsops.stopJumpbox');
    const confirm = host.shown.find((s) => s.kind === 'confirm');
    assert.equal(confirm?.text, `Stop ${label}?`);
    assert.ok(confirm?.detail?.startsWith(`${ACTING_AS}• ${label}: running in ${world.region}\n`), confirm?.detail);
    assert.equal(row().description, 'stopped · t2.medium');
    assert.deepEqual(host.messages(), [`${label} is stopped; ${DNS_NAME} deleted (it pointed at the released IP ${ip}).`]);
    assert.equal(await readARecord(session, zoneId, DNS_NAME), undefined);
    assert.equal(await readOwnershipRecord(session, zoneId, DNS_NAME), undefined);
    assert.equal(child('dns').description, 'no public IP');
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

  it('shows a jumpbox with bad tags with what is wrong on its own rows; the other jumpbox still shows', async () => {
    const bad = await launch(session, { Name: 'jump-bad', 'awsops:jumpbox': '', 'awsops:dns': '\\052.example.com', 'awsops:schedule': 'Sun 02:30-18:00 Europe/Berlin' }, 'stopped');
    await refreshView();
    const badRow = world.api.jumpboxes.getRoots().find((node) => node.id === `jumpbox:${world.region}/${bad}`);
    assert.ok(badRow, 'the jumpbox with bad tags has a row');
    const badDns = badRow.children?.find((node) => node.id.endsWith('/dns'));
    assert.equal(badDns?.description, '"\\052.example.com" contains an escape (\\ddd): AWS Ops only writes plain host names.');
    assert.match(badDns?.contextValue ?? '', /jumpboxDns\.refused/);
    assert.equal(badRow.children?.find((node) => node.id.endsWith('/schedule'))?.label, 'Sun 02:30-18:00 Europe/Berlin');
    assert.equal(row().description, 'stopped · t2.medium');
    assert.equal(child('schedule').label, SCHEDULE);
  });
});
