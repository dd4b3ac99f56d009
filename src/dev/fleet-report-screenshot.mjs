#!/usr/bin/env node
/**
 * Regenerates docs/fleet-report.png, the screenshot of the example fleet's
 * HTML report that the README shows: `npm run docs:screenshot` (after
 * `npm run build`). Uses Debian's chromium (/usr/bin/chromium, or
 * $CHROMIUM) through playwright-core, headless, with a throw-away profile;
 * nothing is downloaded.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tmp = mkdtempSync(path.join(tmpdir(), 'hostlint-screenshot-'));
try {
  const report = path.join(tmp, 'fleet.html');
  try {
    execFileSync(process.execPath, [path.join(root, 'bin/hostlint'), 'audit', '--format', 'html', '-o', report, 'fixtures/examples/fleet'], { cwd: root, env: { ...process.env, CI: 'true' }, stdio: 'inherit' });
  } catch (error) {
    if (error.status !== 1) throw error; // 1: the example fleet has errors, as it should
  }
  const context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1100, height: 1250 },
  });
  const page = await context.newPage();
  await page.goto(pathToFileURL(report).href);
  await page.click('#host-table a[data-host="1"]'); // node01's findings
  await page.evaluate(() => window.scrollTo(0, 0));
  const out = path.join(root, 'docs/fleet-report.png');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, await page.screenshot({ fullPage: false }));
  await context.close();
  console.log(`wrote ${path.relative(root, out)}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
