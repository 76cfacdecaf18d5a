// UI tests: the packaged .vsix installed into real VS Code (code-server), driven through Debian chromium.
// They click the workbench as a user would and compare what is visible with the seeded world.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openViewContainer, openWorkbench, runCommandFromPalette, screenshot, treeViews } from '../../scripts/vscode-host/ui.mjs';
import { launchProduct, vsixPath } from '../../scripts/world/launchProduct.mjs';

const { paneOf, waitForRow } = treeViews('awsops', 'AWS Ops');
const REPO_ROOT = join(fileURLToPath(import.meta.url), '..', '..', '..');
const require = createRequire(import.meta.url);

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
    product = await launchProduct({ vsix: vsixPath() });
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
});
