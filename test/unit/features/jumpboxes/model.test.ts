import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DnsCheck } from '../../../../src/core/jumpbox/dns';
import type { JumpboxInfo } from '../../../../src/core/jumpbox/model';
import { buildJumpboxTree, jumpboxRefOf, type JumpboxRegionView, type JumpboxTreeInput, type JumpboxView } from '../../../../src/features/jumpboxes/model';
import type { TreeNode } from '../../../../src/plumbing/treeNode';
import { inertTooltips, renderedText, renderMarkdown } from '../../../support/markdown';

// Wednesday 15 January 2025, 12:00 UTC. January 2025 has 23 weekdays and 744 hours.
const NOW = new Date('2025-01-15T12:00:00Z');
const ZONE = { id: 'Z1', name: 'example.com', privateZone: false };

function jumpbox(overrides: Partial<JumpboxInfo> = {}): JumpboxInfo {
  return {
    region: 'eu-west-1',
    instanceId: 'i-0abc',
    name: 'jump',
    state: 'stopped',
    instanceType: 't3.micro',
    tags: {},
    scheduleText: 'Mon-Fri 09:00-17:00 UTC',
    ...overrides,
  };
}

function view(overrides: Partial<JumpboxView> = {}, info: Partial<JumpboxInfo> = {}): JumpboxView {
  return {
    jumpbox: jumpbox(info),
    scheduler: { ok: true, state: { viaAgent: false, status: 'in-sync', message: 'Applied in AWS: Mon-Fri 09:00-17:00 UTC.' } },
    price: { usdPerHour: 0.0104, source: 'setting' },
    ...overrides,
  };
}

function tree(views: JumpboxView[], input: Partial<JumpboxTreeInput> = {}): TreeNode[] {
  const regions: JumpboxRegionView[] = [{ region: 'eu-west-1', ok: true, jumpboxes: views }];
  return buildJumpboxTree({ regions, now: NOW, holidays: [], ...input });
}

const child = (row: TreeNode, suffix: string) => row.children?.find((c) => c.id === `${row.id}/${suffix}`);

describe('jumpboxes tree model', () => {
  it('shows a stopped jumpbox with its schedule, next stop/start, and the month cost scheduled vs always on', () => {
    const [row] = tree([view()]);
    assert.equal(row.label, 'jump');
    assert.equal(row.description, 'stopped · t3.micro');
    assert.equal(row.contextValue, 'jumpbox jumpbox.stopped');
    assert.deepEqual(row.console, { region: 'eu-west-1', resource: { kind: 'instance', id: 'i-0abc' } });
    assert.equal(row.expanded, false);
    assert.deepEqual(row.children?.map((c) => c.label), ['Mon-Fri 09:00-17:00 UTC', 'Cost in January']);
    const schedule = child(row, 'schedule');
    // Wednesday noon is within hours: the next event is today's stop.
    assert.equal(schedule?.description, 'stops Wed 17:00 · starts Thu 09:00 · applied in AWS');
    assert.equal(schedule?.contextValue, 'jumpboxSchedule');
    // 23 weekdays × 8 h = 184 h; 184 × 0.0104 = 1.91, 744 × 0.0104 = 7.74.
    assert.equal(child(row, 'cost')?.description, '184 of 744 h on (25%): $1.91 vs $7.74 always on');
    assert.match(renderedText(child(row, 'cost')?.tooltip ?? ''), /awsops\.hourlyPrices setting/);
  });

  it('shows a running jumpbox with its public IP and a stale DNS record as a fixable warning, expanded', () => {
    const dns: DnsCheck = { name: 'jump.example.com', status: 'stale', zone: ZONE, recordIps: ['9.9.9.9'], publicIp: '1.2.3.4', managed: true, message: 'stale' };
    const [row] = tree([view({ dns }, { state: 'running', publicIp: '1.2.3.4', dnsName: 'jump.example.com' })]);
    assert.equal(row.description, 'running · t3.micro · 1.2.3.4');
    assert.equal(row.contextValue, 'jumpbox jumpbox.running');
    assert.equal(row.icon?.id, 'vm-running');
    assert.equal(row.expanded, true);
    const dnsRow = child(row, 'dns');
    assert.equal(dnsRow?.label, 'jump.example.com');
    assert.equal(dnsRow?.description, '→ 9.9.9.9 · stale: the public IP is 1.2.3.4');
    assert.equal(dnsRow?.contextValue, 'jumpboxDns jumpboxDns.stale');
    assert.equal(dnsRow?.icon?.id, 'warning');
    assert.deepEqual(dnsRow?.console && !Array.isArray(dnsRow.console) ? dnsRow.console.resource : undefined, { kind: 'route53-record', hostedZoneId: 'Z1', name: 'jump.example.com' });
    // Every row of the jumpbox hands it to the commands, so the fix knows which instance to act on.
    assert.deepEqual(jumpboxRefOf(dnsRow), { kind: 'jumpbox', region: 'eu-west-1', instanceId: 'i-0abc', name: 'jump', state: 'running' });
  });

  it('shows DNS in sync, and a stopped box without a public IP as neutral', () => {
    const inSync: DnsCheck = { name: 'jump.example.com', status: 'in-sync', zone: ZONE, recordIps: ['1.2.3.4'], publicIp: '1.2.3.4', managed: true, message: '' };
    const noIp: DnsCheck = { name: 'jump.example.com', status: 'no-public-ip', zone: ZONE, recordIps: ['1.2.3.4'], managed: false, message: '' };
    const [running, stopped] = tree([
      view({ dns: inSync }, { instanceId: 'i-1', state: 'running', publicIp: '1.2.3.4', dnsName: 'jump.example.com' }),
      view({ dns: noIp }, { instanceId: 'i-2', dnsName: 'jump.example.com' }),
    ]);
    assert.equal(child(running, 'dns')?.description, '→ 1.2.3.4 · in sync');
    assert.equal(child(running, 'dns')?.contextValue, 'jumpboxDns jumpboxDns.in-sync');
    assert.equal(child(stopped, 'dns')?.description, 'no public IP · record → 1.2.3.4 · not managed by AWS Ops');
    assert.equal(stopped.expanded, false);
  });

  it('says who manages a record, offers to delete one left at a released IP, and warns of a refused name', () => {
    const base = { name: 'jump.example.com', zone: ZONE, message: 'why' };
    const checks: DnsCheck[] = [
      { ...base, status: 'stale', recordIps: ['9.9.9.9'], publicIp: '1.2.3.4', managed: false, owner: 'i-other' },
      { ...base, status: 'released', recordIps: ['9.9.9.9'], managed: true },
      { ...base, status: 'refused', recordIps: [], managed: false, zone: undefined, message: '"*.example.com" is a wildcard name: AWS Ops only writes plain host names.' },
    ];
    const rows = tree(checks.map((dns, i) => view({ dns }, { instanceId: `i-${i}`, dnsName: 'jump.example.com' }))).map((row) => child(row, 'dns'));
    assert.deepEqual(rows.map((row) => [row?.description, row?.icon?.id, row?.contextValue]), [
      ['→ 9.9.9.9 · stale: the public IP is 1.2.3.4 · managed by AWS Ops for i-other', 'warning', 'jumpboxDns jumpboxDns.stale'],
      ['→ 9.9.9.9 · a released IP: no public IP now', 'warning', 'jumpboxDns jumpboxDns.released'],
      ['"*.example.com" is a wildcard name: AWS Ops only writes plain host names.', 'warning', 'jumpboxDns jumpboxDns.refused'],
    ]);
    assert.match(renderedText(rows[0]?.tooltip ?? ''), /Update DNS Record points it at the current public IP \(TTL 60\)\. AWS Ops does not manage it, so it asks first\./);
    assert.match(renderedText(rows[1]?.tooltip ?? ''), /Update DNS Record deletes it and its ownership record\./);
    assert.doesNotMatch(renderedText(rows[2]?.tooltip ?? ''), /Update DNS Record/);
  });

  it('says "price unknown" rather than a number, and "looking up" while the price is pending', () => {
    const [unknown, pending] = tree([
      view({ price: { source: 'unknown', note: 'Price List API failed: HTTP 500' } }, { instanceId: 'i-1' }),
      view({ price: undefined }, { instanceId: 'i-2' }),
    ]);
    assert.equal(child(unknown, 'cost')?.description, '184 of 744 h on (25%): price unknown');
    assert.match(renderedText(child(unknown, 'cost')?.tooltip ?? ''), /Price List API failed: HTTP 500.*awsops\.hourlyPrices/s);
    assert.doesNotMatch(child(unknown, 'cost')?.description ?? '', /\$/);
    assert.equal(child(pending, 'cost')?.description, 'looking up the price…');
  });

  it('keeps the awsops.hourlyPrices hint and its settings link whole after a price error that looks like HTML', () => {
    const note = `Price List API failed: Unexpected token '<', "<!DOCTYPE "... is not valid JSON; no awsops.hourlyPrices entry for t3.micro`;
    const [row] = tree([view({ price: { source: 'unknown', note } })]);
    const cost = child(row, 'cost');
    assert.equal(
      renderedText(cost?.tooltip ?? '').split('\n')[0],
      `The price of t3.micro is unknown (${note}). Add it to the awsops.hourlyPrices setting, as { "t3.micro": <USD per hour> }.`,
    );
    assert.match(renderMarkdown(cost?.tooltip ?? ''), /<a href="command:workbench\.action\.openSettings\?%5B%22awsops\.hourlyPrices%22%5D">Open the awsops\.hourlyPrices setting<\/a>/);
    assert.deepEqual(cost?.tooltipCommands, ['workbench.action.openSettings'], 'the link may run that command, and only it');
    assert.equal(child(tree([view()])[0], 'cost')?.tooltipCommands, undefined, 'a known price trusts no command');
  });

  it('shows tags and AWS text in every tooltip as written: no link, image or markup', () => {
    const hostile = '[x](command:workbench.action.terminal.new) ![i](http://evil/i.png) <img src=x> **b** `c` # h';
    const dns: DnsCheck = { name: hostile, status: 'error', recordIps: [], message: hostile, managed: false };
    const rows = tree([
      view({ dns, scheduler: { ok: false, message: hostile }, price: { source: 'unknown', note: hostile } }, { name: hostile, scheduleText: hostile, custodianText: hostile }),
    ]);
    const texts = inertTooltips(rows, /<a href="command:workbench\.action\.openSettings[^>]*>Open the awsops\.hourlyPrices setting<\/a>/);
    assert.equal(texts.size, 5);
    for (const [id, text] of texts) assert.ok(text.includes(hostile), `${id}: ${text}`);
  });

  it('counts listed holidays as off days and flags a malformed one', () => {
    const [row] = tree([view()], { holidays: ['2025-01-01', '2025-01-15'] });
    // Two weekdays fewer: 21 × 8 = 168 h.
    assert.equal(child(row, 'cost')?.description, '168 of 744 h on (23%): $1.75 vs $7.74 always on');
    const [bad] = tree([view()], { holidays: ['2025-13-01'] });
    assert.equal(child(bad, 'cost')?.icon?.id, 'warning');
    assert.match(child(bad, 'cost')?.description ?? '', /Holiday "2025-13-01" is not a date/);
  });

  it('shows an unreadable schedule tag with the parser message, and expands the row', () => {
    const [row] = tree([view({ scheduler: { ok: true, state: { viaAgent: false, status: 'absent', message: 'No schedule in AWS.' } } }, { scheduleText: 'Sun-Thr 08:00-18:00 UTC' })]);
    const schedule = child(row, 'schedule');
    assert.equal(schedule?.label, 'Sun-Thr 08:00-18:00 UTC');
    assert.match(schedule?.description ?? '', /Unknown day "Thr"/);
    assert.equal(schedule?.icon?.id, 'warning');
    assert.equal(row.expanded, true);
    // Without a valid schedule the cost is the always-on cost.
    assert.equal(child(row, 'cost')?.description, '744 h always on (no schedule): $7.74');
  });

  it('explains a missing schedule tag, and warns when AWS still holds schedules for it', () => {
    const [plain, leftover] = tree([
      view({ scheduler: { ok: true, state: { viaAgent: false, status: 'absent', message: 'No schedule in AWS.' } } }, { instanceId: 'i-1', scheduleText: undefined }),
      view({ scheduler: { ok: true, state: { viaAgent: false, status: 'differs', message: 'Schedules exist in AWS but…' } } }, { instanceId: 'i-2', scheduleText: undefined }),
    ]);
    assert.equal(child(plain, 'schedule')?.label, 'No schedule');
    assert.match(child(plain, 'schedule')?.description ?? '', /add tag awsops:schedule, e\.g\. Sun-Thu 08:00-18:00 Asia\/Jerusalem/);
    assert.equal(child(leftover, 'schedule')?.description, 'AWS differs');
    assert.equal(child(leftover, 'schedule')?.icon?.id, 'warning');
  });

  it('says when the schedule is not applied in AWS, or differs there', () => {
    const [absent, differs] = tree([
      view({ scheduler: { ok: true, state: { viaAgent: false, status: 'absent', message: 'No schedule in AWS.' } } }, { instanceId: 'i-1' }),
      view({ scheduler: { ok: true, state: { viaAgent: false, status: 'differs', message: 'AWS runs …' } } }, { instanceId: 'i-2' }),
    ]);
    assert.match(child(absent, 'schedule')?.description ?? '', / · not applied in AWS$/);
    assert.match(child(differs, 'schedule')?.description ?? '', / · AWS differs$/);
    assert.equal(child(differs, 'schedule')?.icon?.id, 'warning');
  });

  it('shows a Cloud Custodian offhours tag read-only', () => {
    const [row] = tree([view({}, { custodianText: 'off=(M-F,19);on=(M-F,7);tz=pt' })]);
    const custodian = child(row, 'custodian');
    assert.equal(custodian?.label, 'Cloud Custodian offhours');
    assert.equal(custodian?.description, 'Cloud Custodian: On Mon–Fri 07:00, off Mon–Fri 19:00 (America/Los_Angeles)');
  });

  it('shows a failed region as an error row and names regions when several are shown', () => {
    const roots = buildJumpboxTree({
      now: NOW,
      holidays: [],
      regions: [
        { region: 'eu-west-1', ok: true, jumpboxes: [view({}, { state: 'running', publicIp: '1.2.3.4' })] },
        { region: 'us-east-1', ok: false, error: { code: 'AccessDenied', message: 'not allowed', hint: 'ask for it' } },
      ],
    });
    assert.equal(roots[0].description, 'running · t3.micro · 1.2.3.4 · eu-west-1');
    assert.equal(roots[1].label, 'us-east-1: AccessDenied: not allowed');
    assert.equal(roots[1].description, 'ask for it');
    assert.equal(roots[1].contextValue, 'error');
  });

  it('shows a schedule whose only start a DST change skips this week, beside the other jumpboxes', () => {
    // Monday 25 March 2024: Sunday 31 March has no 02:30 in Berlin, so the next start is 7 April.
    const now = new Date('2024-03-25T08:00:00Z');
    const [berlin, other] = tree([view({}, { instanceId: 'i-1', scheduleText: 'Sun 02:30-18:00 Europe/Berlin' }), view({}, { instanceId: 'i-2', name: 'other' })], { now });
    assert.equal(child(berlin, 'schedule')?.description, 'stops Sun 18:00 · starts Sun 02:30 · applied in AWS');
    assert.match(renderedText(child(berlin, 'schedule')?.tooltip ?? ''), /Next start 2024-04-07T00:30:00.000Z, next stop 2024-03-31T16:00:00.000Z/);
    assert.equal(other.label, 'other');
    assert.equal(child(other, 'schedule')?.description, 'starts Mon 09:00 · stops Mon 17:00 · applied in AWS');
  });

  it('turns a jumpbox whose row cannot be built into an error row on that jumpbox; the others still show', () => {
    const broken = view({}, { instanceId: 'i-bad', name: 'bad', state: 'running' });
    Object.defineProperty(broken.jumpbox, 'scheduleText', { get: () => { throw new RangeError('Invalid time zone specified: Mars/Olympus'); } });
    const [bad, good] = tree([broken, view({}, { instanceId: 'i-good', name: 'good' })]);
    assert.equal(bad.id, 'jumpbox:eu-west-1/i-bad');
    assert.equal(bad.icon?.id, 'error');
    assert.equal(bad.description, 'This jumpbox cannot be shown: Invalid time zone specified: Mars/Olympus');
    // Start/stop still work on it.
    assert.equal(bad.contextValue, 'jumpbox jumpbox.running');
    assert.deepEqual(jumpboxRefOf(bad), { kind: 'jumpbox', region: 'eu-west-1', instanceId: 'i-bad', name: 'bad', state: 'running' });
    assert.equal(good.label, 'good');
    assert.deepEqual(good.children?.map((c) => c.label), ['Mon-Fri 09:00-17:00 UTC', 'Cost in January']);
  });

  it('leaves the cost out for a terminated instance and names an unnamed one by id', () => {
    const [row] = tree([view({}, { name: undefined, state: 'terminated' })]);
    assert.equal(row.label, 'i-0abc');
    assert.equal(row.contextValue, 'jumpbox jumpbox.terminated');
    assert.equal(child(row, 'cost'), undefined);
  });
});
