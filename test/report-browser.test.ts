/**
 * The report opened offline in headless Chromium: every request that is not file:// or data:
 * is blocked and counted as a failure; the page must load without console errors, show its
 * charts and network drawings, and a full-page screenshot is kept in build/screenshots/.
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../src/io/report-file.js';
import { recordCharts } from '../src/report/charts.js';
import type { RunRecord } from '../src/report/run-record.js';
import { anomalyRecord, decomposeRecord, trainRecord } from './helpers/report-records.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = resolve('build/screenshots');
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`report browser check skipped: ${CHROMIUM} is not installed (apt-get install chromium)`);

/** Opens `html` offline, returns what went wrong and what the page shows, and saves a screenshot. */
async function openOffline(browser: Browser, html: string, shot: string): Promise<{ problems: string[]; svgs: number; images: number; figures: number }> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, offline: true });
  const page = await context.newPage();
  const problems: string[] = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file://') || url.startsWith('data:')) return route.continue();
    problems.push(`blocked request ${url}`);
    return route.abort();
  });
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`failed request ${r.url()}: ${r.failure()?.errorText}`));
  await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
  const shown = await page.evaluate(() => ({
    svgs: [...document.querySelectorAll('figure > svg')].filter((s) => s.getBoundingClientRect().width > 100).length,
    images: [...document.querySelectorAll('img')].filter((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0).length,
    figures: document.querySelectorAll('figure').length,
    run: JSON.parse(document.getElementById('tnkit-run')!.textContent!).title as string,
  }));
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, shot), fullPage: true });
  await context.close();
  return { problems, svgs: shown.svgs, images: shown.images, figures: shown.figures };
}

describe.skipIf(!haveChromium)('report in headless Chromium, offline', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows every chart, network drawing and image of a demo-like record with no error or request', async () => {
    const sections = [trainRecord(), anomalyRecord(), decomposeRecord()];
    const record: RunRecord = { version: 1, kind: 'demo', title: 'tnkit report check', summary: { sections: sections.length }, sections };
    const dir = mkdtempSync(join(tmpdir(), 'tnkit-report-browser-'));
    const index = await writeReport(dir, record);
    const seen = await openOffline(browser, index, 'report.png');
    expect(seen.problems).toEqual([]);
    const svgs = sections.reduce((n, s) => n + recordCharts(s).length + (s.networks?.length ?? 0) + (s.spectra?.length ?? 0), 0);
    expect(seen.svgs).toBe(svgs);
    expect(seen.images).toBe(2);
    expect(existsSync(join(SHOTS, 'report.png'))).toBe(true);
  });
});
