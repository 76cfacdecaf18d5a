// UI test: the page the browser is really asked to open by "Open AWS Console…" and "Open in AWS Console".
// VS Code re-encodes a URL handed to env.openExternal as a Uri (microsoft/vscode #85930): a test behind the
// host seam cannot see that, so this one reads code-server's "open the external website?" dialog and the URL of
// the page the browser then opens, for each sign-in route (plain, federation, aws-vault) and for console
// pages whose URL has a query and a fragment.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openViewContainer, openWorkbench, runCommandFromPalette, screenshot, treeViews } from '../../scripts/vscode-host/ui.mjs';
import { launchProduct, vsixPath } from '../../scripts/world/launchProduct.mjs';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const support = (name) => require(join(REPO_ROOT, 'out/test/support', name));
const { startSigninGateway, SIGNIN_HOST } = support('signinGateway.js');
const { FAKE_AWS_VAULT, TEST_SECRET_MARK } = support('fakeAwsVault.js');
const { motoPool } = support('moto.js');
const { WORLD_AMI } = support('seedVipWorld.js');
const { CreateStackCommand } = require('@aws-sdk/client-cloudformation');

const { focusRow } = treeViews('awsops', 'AWS Ops');

/** A pair "edge" made by this CloudFormation stack, which tags its instances with the stack's name. */
const STACK = 'edge-pair';

/**
 * The pages opened, each as a user opens it, with the console URL AWS serves for it (written out here, not
 * built by the product's code). Each URL has a fragment; all but Route 53's have a query.
 */
const PAGES = [
  {
    what: 'EC2, from "Open AWS Console…"',
    open: (page, profile) => openConsole(page, 'eu-west-1', 'EC2', profile),
    url: () => 'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Home:',
  },
  {
    what: 'a route table row of VIP Routes',
    open: (page, _profile, world) => openRowInConsole(page, 'VIP Routes', /^rt-00 /, `Route table ${world.api.routeTableIds[0]}`),
    url: (world) => `https://us-east-1.console.aws.amazon.com/vpcconsole/home?region=us-east-1#RouteTableDetails:RouteTableId=${world.api.routeTableIds[0]}`,
  },
  {
    what: 'the CloudFormation stack of a pair row',
    open: (page) => openRowInConsole(page, 'HAProxy Pairs', /^edge /),
    url: () => `https://us-east-1.console.aws.amazon.com/cloudformation/home?region=us-east-1#/stacks/stackinfo?stackId=${STACK}`,
  },
  {
    what: "a jumpbox's Route 53 record row",
    open: (page, _profile, world) => openRowInConsole(page, 'Jumpboxes', new RegExp(`^${escape(world.jumpboxDns)} `)),
    url: (world) => `https://console.aws.amazon.com/route53/v2/hostedzones#ListRecordSets/${world.zoneId}`,
  },
];

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Answers the quick pick titled `title` with the item labelled `label`, typed as a user would. */
async function answerPick(page, title, label) {
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.quick-input-title', { hasText: title }).waitFor();
  await widget.locator('input').fill(label);
  await widget.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${escape(label)}$`) }) }).first().click();
}

async function openConsole(page, region, service, profile) {
  await runCommandFromPalette(page, 'AWS Ops: Open AWS Console…');
  await answerPick(page, 'region', region);
  await answerPick(page, 'service', service);
  await answerPick(page, 'profile', profile);
}

/** The row's inline "Open in AWS Console" button; when it names several pages, the one labelled `choice`. */
async function openRowInConsole(page, view, row, choice) {
  const focused = await focusRow(page, view, row);
  await focused.hover();
  await focused.locator('.action-label[aria-label^="Open in AWS Console"]').click();
  if (choice) await answerPick(page, 'Open in Console', choice);
}

/**
 * Runs `action` and follows what it opens: code-server asks "Do you want Code to open the external website?",
 * then, on Open, the browser opens the URL in a new page. Returns the dialog's text and the new page's URL.
 */
async function browserOpens(page, action) {
  const popup = page.context().waitForEvent('page', { timeout: 60_000 });
  await action();
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 60_000 });
  const asked = (await dialog.locator('.dialog-message-detail').innerText()).trim();
  await dialog.getByRole('button', { name: 'Open', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  const opened = await popup;
  await opened.waitForLoadState('domcontentloaded');
  const url = opened.url();
  await opened.close();
  return { asked, url };
}

/**
 * What the browser opened is the intended console page: as it is (plain), or as the Destination of a sign-in
 * URL decoded once, as the sign-in endpoint reads it.
 */
function assertOpens({ asked, url }, route, intended) {
  if (route === 'plain') {
    assert.equal(url, intended);
  } else {
    const signin = new URL(url);
    assert.equal(signin.searchParams.get('Destination'), intended, `Destination of ${url}`);
    assert.equal(`${signin.origin}${signin.pathname}`, `https://${SIGNIN_HOST}/federation`);
    assert.equal(signin.searchParams.get('Action'), 'login');
    assert.equal(signin.searchParams.get('Issuer'), route === 'aws-vault' ? 'aws-vault' : 'aws-ops');
    assert.ok(signin.searchParams.get('SigninToken')?.includes(TEST_SECRET_MARK), 'a token of the stand-in');
  }
  // Only its site: the dialog names the first URL opened at a site for every later one (the workbench caches
  // resolved URIs by scheme and authority), so it cannot tell what is opened now.
  assert.ok(asked.startsWith(new URL(url).origin), `the dialog asks about ${new URL(url).origin}: ${asked}`);
}

describe('Console links in the real workbench: the browser opens exactly the page built', () => {
  let gateway;
  let product;
  let workbench;

  before(async () => {
    gateway = await startSigninGateway();
    product = await launchProduct({
      vsix: vsixPath(),
      env: gateway.env,
      // "federated" has temporary keys (federation); "dev" is one the fake aws-vault knows.
      profiles: { federated: { region: 'eu-west-1', sessionToken: `${TEST_SECRET_MARK}-session` }, dev: { region: 'eu-west-1' } },
    });
    const pool = motoPool();
    try {
      const node = { Type: 'AWS::EC2::Instance', Properties: { ImageId: WORLD_AMI, InstanceType: 't3.micro', Tags: [{ Key: 'awsops:pair', Value: 'edge' }] } };
      const cloudformation = pool.get({ region: 'us-east-1', endpointUrl: product.motoUrl }).client('cloudformation');
      await cloudformation.send(new CreateStackCommand({ StackName: STACK, TemplateBody: JSON.stringify({ Resources: { A: node, B: node } }) }));
    } finally {
      pool.clear();
    }
    workbench = await openWorkbench({ url: product.url });
    // Offline, a page on an AWS host gets a stub instead of an error page, so the page keeps the URL it was opened at.
    await workbench.page.context().route(/^https:\/\/[^/]*\.(amazon\.com|amazonaws\.com|amazonaws\.cn)\//, (route) =>
      route.fulfill({ contentType: 'text/html', body: '<title>AWS</title>' }),
    );
    await openViewContainer(workbench.page, 'AWS Ops');
  });
  after(async () => {
    await workbench?.close();
    await product?.stop();
    await gateway?.stop();
  });

  /** The status bar names the profile once the views have read AWS with it. */
  const profileShown = (profile) => workbench.page.locator('.statusbar-item', { hasText: `${profile} · ` }).waitFor({ timeout: 45_000 });

  /** Picks the profile as a user would. */
  async function selectProfile(profile) {
    await runCommandFromPalette(workbench.page, 'AWS Ops: Select Profile');
    await answerPick(workbench.page, 'Select Profile', profile);
    await profileShown(profile);
  }

  const ROUTES = [
    { route: 'plain', profile: 'demo', how: 'with static keys: the plain page, the user signs in', use: () => profileShown('demo') },
    { route: 'federation', profile: 'federated', how: 'with temporary keys: federation', use: () => selectProfile('federated') },
    {
      route: 'aws-vault',
      profile: 'dev',
      how: 'through aws-vault login',
      // A machine setting, as the server's administrator sets it; the workbench reads the file while the
      // profile is being picked.
      use: async () => {
        product.setMachineSettings({ 'awsops.awsVault.path': FAKE_AWS_VAULT });
        await selectProfile('dev');
      },
    },
  ];

  for (const { route, profile, how, use } of ROUTES) {
    it(`profile "${profile}", ${how}`, () => use());
    for (const [index, { what, open, url }] of PAGES.entries()) {
      it(`${route}: ${what}`, async () => {
        const { page } = workbench;
        try {
          const opened = await browserOpens(page, () => open(page, profile, product.world));
          assertOpens(opened, route, url(product.world));
        } catch (error) {
          await screenshot(page, `console-${route}-${index}`);
          throw error;
        }
      });
    }
  }

  it('aws-vault: a profile aws-vault keeps no credentials for signs in through federation', async () => {
    const { page } = workbench;
    const [ec2] = PAGES;
    const opened = await browserOpens(page, () => ec2.open(page, 'federated', product.world));
    assertOpens(opened, 'federation', ec2.url(product.world));
  });
});
