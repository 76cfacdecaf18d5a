// UI tests: the packaged .vsix installed into real VS Code (code-server), driven through Debian chromium.
// They click the workbench as a user would and compare what is visible with the seeded world.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openViewContainer, openWorkbench, runCommandFromPalette, screenshot, treeViews } from '../../scripts/vscode-host/ui.mjs';
import { launchProduct, vsixPath } from '../../scripts/world/launchProduct.mjs';

const { paneOf, rowsOf, waitForRow, focusRow } = treeViews('awsops', 'AWS Ops');
const REPO_ROOT = join(fileURLToPath(import.meta.url), '..', '..', '..');
const require = createRequire(import.meta.url);
const POLL_SECONDS = 5;

/** Points a VIP at another instance in every table, straight in moto: a failover the product did not make. */
async function moveVip(motoUrl, region, tables, cidr, instanceId) {
  const { ReplaceRouteCommand } = require('@aws-sdk/client-ec2');
  const { motoPool } = require(join(import.meta.dirname, '../../out/test/support/moto.js'));
  const pool = motoPool();
  try {
    const ec2 = pool.get({ region, endpointUrl: motoUrl }).client('ec2');
    await Promise.all(tables.map((RouteTableId) => ec2.send(new ReplaceRouteCommand({ RouteTableId, DestinationCidrBlock: cidr, InstanceId: instanceId }))));
  } finally {
    pool.clear();
  }
}

/** Drags the side bar's edge so tree rows are readable in the screenshots. */
async function widenSideBar(page, width) {
  const sidebar = await page.locator('.part.sidebar').boundingBox();
  const edge = sidebar.x + sidebar.width;
  // The sash that resizes the side bar is the vertical one on its right edge.
  const sashes = await page.locator('.monaco-sash.vertical').evaluateAll((nodes) => nodes.map((n) => n.getBoundingClientRect().toJSON()));
  const sash = sashes.filter((r) => r.width > 0).sort((a, b) => Math.abs(a.x + a.width / 2 - edge) - Math.abs(b.x + b.width / 2 - edge))[0];
  const y = sidebar.y + sidebar.height / 2;
  await page.mouse.move(sash.x + sash.width / 2, y);
  await page.mouse.down();
  await page.mouse.move(sidebar.x + width, y, { steps: 10 });
  await page.mouse.up();
}

describe('AWS Ops in the real workbench', () => {
  let product;
  let workbench;

  before(async () => {
    product = await launchProduct({ vsix: vsixPath(), settings: { 'awsops.poll.interval': POLL_SECONDS } });
    workbench = await openWorkbench({ url: product.url });
  });
  after(async () => {
    await workbench?.close();
    await product?.stop();
  });

  it('activates from the .vsix and shows the VIP Routes tree of the seeded world, problems flagged', async () => {
    const { page } = workbench;
    await openViewContainer(page, 'AWS Ops');
    const { vips } = product.world;
    await widenSideBar(page, 760);
    await waitForRow(page, 'VIP Routes', /Split brain/);
    // The tree expands regions, VPCs and VIPs with problems by itself.
    const rows = await waitForRow(page, 'VIP Routes', /Blackhole/);
    await page.keyboard.press('Home');
    await screenshot(page, 'vip-routes');
    const text = rows.join('\n');
    for (const expected of ['eu-west-1', 'us-east-1', 'prod-lb', vips.vips.healthy.replace('/32', ''), vips.vips.splitBrain.replace('/32', ''), vips.vips.eni.replace('/32', '')]) {
      assert.ok(text.includes(expected), `"${expected}" not visible in:\n${text}`);
    }
    assert.match(text, /Split brain/);
    assert.match(text, /Blackhole/);
    // The split shows as counts per target on the VIP row.
    assert.match(text, /192\.168\.55\.101.*×2.*×1|192\.168\.55\.101.*×1.*×2/s);
  });

  it('shows the healthy pair with its MASTER node and the split pair flagged', async () => {
    const { page } = workbench;
    const rows = await waitForRow(page, 'HAProxy Pairs', /^api .*MASTER api-a/);
    assert.ok(rows.some((r) => /^web .*/.test(r)), `pair web missing: ${rows}`);
    assert.ok(rows.some((r) => /^Split /.test(r)), `split not flagged: ${rows}`);
  });

  it('shows the public pair with its Elastic IP on node a, and fails it over to node b from the row', async () => {
    const { page } = workbench;
    const { edge } = product.world;
    const ip = edge.publicIp.replace(/\./g, '\\.');
    await waitForRow(page, 'HAProxy Pairs', new RegExp(`^edge ${ip} · MASTER edge-a`));
    await waitForRow(page, 'HAProxy Pairs', new RegExp(`^${ip} Elastic IP → edge-a \\(10\\.20\\.1\\.\\d+\\) · ${edge.allocationId}`));
    const row = await focusRow(page, 'HAProxy Pairs', new RegExp(`^edge ${ip}`));
    await row.hover();
    await row.locator('.action-label[aria-label^="Fail Over"]').click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 60_000 });
    assert.match(await dialog.locator('.dialog-message-detail').innerText(), new RegExp(`Elastic IP ${ip} \\(${edge.allocationId}\\): edge-a .*→ edge-b`));
    await screenshot(page, 'public-pair-failover');
    await dialog.getByRole('button', { name: 'Fail over (roll back on partial failure)', exact: true }).click();
    await waitForRow(page, 'HAProxy Pairs', new RegExp(`^${ip} Elastic IP → edge-b `), 60_000);
    await waitForRow(page, 'HAProxy Pairs', new RegExp(`^edge ${ip} · MASTER edge-b`));
  });

  it('shows the stopped jumpbox', async () => {
    const { page } = workbench;
    const rows = await waitForRow(page, 'Jumpboxes', /jumpbox-ops/);
    await screenshot(page, 'jumpboxes');
    assert.ok(rows.some((r) => /stopped/.test(r)), `jumpbox row not stopped: ${rows}`);
  });

  it('starts the jumpbox with its inline Start button: the new public IP shows and the DNS record follows', async () => {
    const { page } = workbench;
    const row = paneOf(page, 'Jumpboxes').locator('.monaco-list-row', { hasText: 'jumpbox-ops' }).first();
    await row.hover();
    await row.locator('.action-label[aria-label^="Start Jumpbox"]').click();
    const rows = await waitForRow(page, 'Jumpboxes', /^jumpbox-ops running · t2\.medium · \d+\.\d+\.\d+\.\d+/);
    const ip = rows.find((r) => r.startsWith('jumpbox-ops running')).match(/(\d+\.\d+\.\d+\.\d+)/)[1];
    // Its rows show once expanded, as a user would click it open.
    const started = paneOf(page, 'Jumpboxes').locator('.monaco-list-row', { hasText: 'jumpbox-ops' }).first();
    if ((await started.getAttribute('aria-expanded')) !== 'true') await started.locator('.monaco-tl-twistie').click();
    await waitForRow(page, 'Jumpboxes', new RegExp(`^jump\\.demo\\.example\\.com → ${ip.replace(/\./g, '\\.')} · in sync`));
    await screenshot(page, 'jumpbox-started');
  });

  it('shows VIP health: a badge on the AWS Ops container and a status-bar item that reveals the first problem', async () => {
    const { page } = workbench;
    // What the regions' rows count ("eu-west-1 7 VIPs · 5 with problems"), summed: the badge and the item say the same.
    const rows = await rowsOf(page, 'VIP Routes');
    const problems = rows.reduce((sum, row) => sum + Number(/^[a-z]+-[a-z]+-\d+ .*· (\d+) with problems?\b/.exec(row)?.[1] ?? 0), 0);
    assert.ok(problems > 0, `no region row counts problems: ${rows.slice(0, 3)}`);
    const badge = page.locator('.activitybar li.action-item:has(> a[aria-label^="AWS Ops"]) .badge-content');
    await badge.filter({ hasText: /^\d+$/ }).waitFor();
    // The keyboard walk reads only the rows the tree shows; the badge counts every region's VIPs.
    const count = Number(await badge.textContent());
    assert.ok(count >= problems, `badge ${count}, region rows count ${problems}`);
    const item = page.locator('.statusbar-item', { hasText: `${count} VIPs with problems` });
    await item.waitFor();
    await screenshot(page, 'vip-health');
    await item.click();
    const selected = paneOf(page, 'VIP Routes').locator('.monaco-list-row.selected');
    await selected.waitFor();
    // The first VIP with an error in the view's order: the one inside the VPC CIDR.
    assert.match(await selected.getAttribute('aria-label'), /^10\.0\.99\.100\b/);
  });

  it('goes straight to a VIP typed into "Go to…", revealing and selecting its row', async () => {
    const { page } = workbench;
    await runCommandFromPalette(page, 'AWS Ops: Go to…');
    await page.locator('.quick-input-widget input').fill('198.51.100.10');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: '198.51.100.10' }).waitFor();
    await screenshot(page, 'go-to');
    await page.keyboard.press('Enter');
    const selected = paneOf(page, 'VIP Routes').locator('.monaco-list-row.selected');
    await selected.filter({ hasText: '198.51.100.10' }).waitFor();
    assert.match(await selected.getAttribute('aria-label'), /^198\.51\.100\.10.*api-a/);
  });

  it('keeps that row expanded when a poll shows its route moved behind the product\'s back', async () => {
    const { page } = workbench;
    const vipRow = paneOf(page, 'VIP Routes').locator('.monaco-list-row[aria-label^="198.51.100.10"]');
    if ((await vipRow.getAttribute('aria-expanded')) !== 'true') await vipRow.locator('.monaco-tl-twistie').click();
    await vipRow.and(page.locator('[aria-expanded="true"]')).waitFor();
    // Which rows does VS Code render again (this runs in the page)? Only the moved VIP's own should be: no flicker elsewhere.
    await paneOf(page, 'VIP Routes').locator('.monaco-list-rows').evaluate((rows) => {
      globalThis.awsopsRendered = new Set();
      new globalThis.MutationObserver((records) => {
        for (const { target } of records) {
          const row = (target.nodeType === 1 ? target : target.parentElement)?.closest('.monaco-list-row');
          if (row) globalThis.awsopsRendered.add(row.getAttribute('aria-label'));
        }
      }).observe(rows, { subtree: true, childList: true, characterData: true });
    });
    const { api } = product.world;
    const moved = Date.now();
    await moveVip(product.motoUrl, 'us-east-1', api.routeTableIds, api.cidr, api.nodeB);
    await vipRow.filter({ hasText: 'api-b' }).waitFor({ timeout: (POLL_SECONDS + 5) * 1000 });
    const seconds = (Date.now() - moved) / 1000;
    assert.ok(seconds <= POLL_SECONDS + 3, `shown after ${seconds.toFixed(1)} s`);
    assert.equal(await vipRow.getAttribute('aria-expanded'), 'true');
    const rendered = await page.evaluate(() => [...globalThis.awsopsRendered]);
    const subtree = /^(198\.51\.100\.10 |Partial coverage |rt-0\d )/;
    assert.deepEqual(rendered.filter((label) => !subtree.test(label ?? '')), [], `rows rendered again: ${rendered.join(' | ')}`);
    assert.ok(await vipRow.evaluate((row) => row.classList.contains('selected')), 'the row is still selected');
    // The change notice itself is proven in the extension-host suite; here its toast does not show after the
    // VIP-health test has revealed a problem (under investigation, see the closing note of session 2).
  });

  it('runs "AWS Ops: Show Log" from the command palette and shows the AWS calls made', async () => {
    const { page } = workbench;
    await runCommandFromPalette(page, 'AWS Ops: Show Log');
    const output = page.locator('.part.panel .monaco-editor .view-lines');
    await output.filter({ hasText: /\b(ec2|route53)\.[A-Z]/ }).first().waitFor({ timeout: 20_000 });
    await screenshot(page, 'log');
    // Monaco renders spaces as no-break spaces and may wrap long lines.
    const text = (await output.first().innerText()).replace(/[\s\u00a0]+/g, ' ');
    // The output editor renders only the lines in sight (the last refresh's DNS reads); any call proves the log works.
    assert.match(text, /\b(ec2|route53)\.[A-Z]\w+ (eu-west-1|us-east-1) ok \d+ ms/);
    assert.doesNotMatch(text, /aws_secret_access_key|testing\s*$/m);
  });

  it('installs the jumpbox agent from its warning row; a start outside VS Code, delivered as EventBridge does, shows the record in sync', async () => {
    const { page } = workbench;
    const region = 'us-east-1';
    const agentRow = paneOf(page, 'Jumpboxes').locator('.monaco-list-row', { hasText: 'Jumpbox agent not installed' }).first();
    await waitForRow(page, 'Jumpboxes', /^Jumpbox agent not installed DNS goes stale after starts and stops outside VS Code · us-east-1/);
    await agentRow.hover();
    await agentRow.locator('.action-label[aria-label^="Install Jumpbox Agent"]').click();
    // The change set is reviewed in a modal before anything is created.
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 60_000 });
    assert.match(await dialog.locator('.dialog-message-detail').innerText(), /add {2}AgentFunction {2}\(AWS::Lambda::Function\)/);
    await screenshot(page, 'jumpbox-agent-review');
    await dialog.getByRole('button', { name: 'Install', exact: true }).click();
    await waitForRow(page, 'Jumpboxes', /^Jumpbox agent v1 · DNS, holidays and overrides handled in AWS · us-east-1/, 90_000);

    // Restarted from outside VS Code (SDK straight to moto): a new public IP, then EventBridge's event to the handler.
    const { EC2Client, StopInstancesCommand, StartInstancesCommand, DescribeInstancesCommand } = require('@aws-sdk/client-ec2');
    const { Route53Client, ListHostedZonesByNameCommand } = require('@aws-sdk/client-route-53');
    const { stateChangeEvent } = require(join(REPO_ROOT, 'out/test/support/agentEvents.js'));
    const { MOTO_CREDENTIALS } = require(join(REPO_ROOT, 'out/test/support/moto.js'));
    const clientConfig = { region, endpoint: product.motoUrl, credentials: MOTO_CREDENTIALS };
    const ec2 = new EC2Client(clientConfig);
    const id = product.world.jumpboxId;
    await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    const ip = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations[0].Instances[0].PublicIpAddress;
    const zone = (await new Route53Client(clientConfig).send(new ListHostedZonesByNameCommand({ DNSName: 'demo.example.com' }))).HostedZones[0];
    Object.assign(process.env, { AWS_ENDPOINT_URL: product.motoUrl, AWS_REGION: region, AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey, DNS_ZONES: zone.Id.replace('/hostedzone/', ''), DNS_WAIT_SECONDS: '30' });
    const outcome = await require(join(REPO_ROOT, 'dist/agent.js')).handler(stateChangeEvent(region, id, 'running'));
    assert.equal(outcome.outcome, 'done', outcome.message);

    await runCommandFromPalette(page, 'AWS Ops: Refresh');
    const escaped = ip.replace(/\./g, '\\.');
    await waitForRow(page, 'Jumpboxes', new RegExp(`^jump\\.demo\\.example\\.com → ${escaped} · in sync`));
    await waitForRow(page, 'Jumpboxes', new RegExp(`^Agent \\w{3} \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d: running at ${escaped}; jump\\.demo\\.example\\.com → ${escaped}`));
    await screenshot(page, 'jumpbox-agent');
  });

  it('groups VIP Routes by account when several profiles are chosen (awsops.profiles: demo, demo-*)', async () => {
    const { page } = workbench;
    product.setMachineSettings({ 'awsops.poll.interval': POLL_SECONDS, 'awsops.profiles': ['demo', 'demo-*'] });
    // Each account row: its name, then its id; the demo-* profiles assume a role in their own moto account.
    await waitForRow(page, 'VIP Routes', /^demo-staging 222222222222/, 60_000);
    const rows = await waitForRow(page, 'VIP Routes', /^demo-dev 333333333333/, 60_000);
    assert.ok(rows.some((r) => /^demo 123456789012/.test(r)), `the demo profile's own account:\n${rows.join('\n')}`);
    await page.keyboard.press('Home');
    await screenshot(page, 'fleet');
    product.setMachineSettings({ 'awsops.poll.interval': POLL_SECONDS });
  });
});
