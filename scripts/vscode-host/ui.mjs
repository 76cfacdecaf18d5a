// Drives the code-server workbench with Debian's chromium through playwright-core (which can't
// download its own browsers offline). Used by runExtensionTests.mjs and by UI tests:
//
//   const cs = await startCodeServer({ workspace });
//   const { page, close } = await openWorkbench({ url: cs.url });
//   await openViewContainer(page, 'AWS Ops'); await screenshot(page, 'vip-routes');
//   await close(); await cs.stop();
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureHost } from './install.mjs';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

// Headless, no sandbox (we run as root), and no background traffic that would only time out offline.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches chromium with a fresh profile that close() removes.
 * @param {object} [options] extra playwright launchPersistentContext options
 * @returns {Promise<{ context: import('playwright-core').BrowserContext, close: () => Promise<void> }>}
 */
export async function launchBrowser(options = {}) {
  const host = await ensureHost();
  const { chromium } = createRequire(import.meta.url)(host.playwrightCore);
  const dir = mkdtempSync(join(tmpdir(), 'aws-ops-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: host.chromium,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 900 },
      // Else chromium's crash reporter and dconf write ~/.config/chromium and ~/.cache/dconf.
      env: { ...process.env, XDG_CONFIG_HOME: join(dir, 'xdg'), XDG_CACHE_HOME: join(dir, 'xdg') },
      ...options,
    });
    const close = async () => {
      await context.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    };
    return { context, close };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** Opens the workbench at url and waits until it has rendered. */
export async function openWorkbench({ url, timeout = 60000 }) {
  const browser = await launchBrowser();
  try {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout });
    return { page, close: browser.close };
  } catch (err) {
    await browser.close();
    throw err;
  }
}

/** Runs a command by its palette title, e.g. 'AWS Ops: Refresh'. */
export async function runCommandFromPalette(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  // The list filters asynchronously: Enter before the match is focused would run something else.
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title }).waitFor();
  await page.keyboard.press('Enter');
}

/** Shows a view container by clicking its activity-bar entry, e.g. 'AWS Ops'. */
export async function openViewContainer(page, title) {
  // The title is on the entry's link; the <li> only gets an aria-label once hovered or focused.
  const entry = page.locator(`.activitybar li.action-item:has(> a[aria-label^=${JSON.stringify(title)}])`).first();
  // Clicking the entry of the container already shown would hide the side bar instead.
  if ((await entry.getAttribute('aria-expanded')) !== 'true') await entry.click();
  await entry.and(page.locator('[aria-expanded="true"]')).waitFor();
}

/** Saves test-results/<name>.png under the repo root and returns its path. */
export async function screenshot(page, name) {
  const path = join(REPO_ROOT, 'test-results', `${name}.png`);
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path, animations: 'disabled' }); // no half-faded toasts
  return path;
}

/**
 * Reading the tree views of one view container (e.g. 'awsops', titled 'AWS Ops'):
 * paneOf(page, viewTitle) is a view's pane; rowsOf(page, viewTitle) every row's accessible label;
 * waitForRow(page, viewTitle, pattern) waits for a row matching the pattern (data loads lazily), then gives rowsOf;
 * focusRow(page, viewTitle, pattern) waits for such a row and focuses it (so it is in sight), giving its locator.
 */
export function treeViews(containerId, containerTitle) {
  const container = `[id="workbench.view.extension.${containerId}"]`;
  const paneOf = (page, viewTitle) => page.locator(`${container} .pane`, { has: page.locator('.pane-header', { hasText: viewTitle }) });

  // The tree renders only the rows in sight, so this walks it with the keyboard from the top, as a user
  // would, reading the focused row, until `stop(label)`; it returns the labels seen.
  async function walk(page, viewTitle, stop = () => false) {
    const rows = paneOf(page, viewTitle).locator('.monaco-list-row');
    if ((await rows.count()) === 0) return [];
    await runCommandFromPalette(page, `${containerTitle}: Focus on ${viewTitle} View`);
    await page.keyboard.press('Home');
    const focused = paneOf(page, viewTitle).locator('.monaco-list-row.focused');
    const seen = [];
    for (let step = 0; step < 200; step++) {
      // A row re-rendered under the walk (a poll, accounts arriving) loses focus: end this walk, the caller retries.
      const label = (await focused.count()) ? await focused.first().getAttribute('aria-label', { timeout: 2_000 }).catch(() => null) : null;
      if (label === null || label === seen[seen.length - 1]) break;
      seen.push(label);
      if (stop(label)) break;
      await page.keyboard.press('ArrowDown');
    }
    return seen;
  }

  const rowsOf = (page, viewTitle) => walk(page, viewTitle);

  async function find(page, viewTitle, pattern, timeout, stopAtMatch) {
    const deadline = Date.now() + timeout;
    let rows = [];
    while (Date.now() < deadline) {
      rows = await walk(page, viewTitle, (label) => stopAtMatch && pattern.test(label));
      if (rows.some((r) => pattern.test(r))) return rows;
      await page.waitForTimeout(250);
    }
    throw new Error(`no row matching ${pattern} in ${viewTitle}; visible: ${JSON.stringify(rows)}`);
  }

  const waitForRow = (page, viewTitle, pattern, timeout = 45_000) => find(page, viewTitle, pattern, timeout, false);

  async function focusRow(page, viewTitle, pattern, timeout = 45_000) {
    await find(page, viewTitle, pattern, timeout, true);
    return paneOf(page, viewTitle).locator('.monaco-list-row.focused').first();
  }

  return { paneOf, rowsOf, waitForRow, focusRow };
}
