/**
 * A report opened offline in headless Chromium: no request leaves file:// and data:, no
 * console error, every chart, network drawing and image shown; the screenshot is kept in
 * build/screenshots/report.png. (The demo's own report gets the same check in
 * src/cli/demo.test.ts.)
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../src/io/report-file.js';
import { recordCharts } from '../src/report/charts.js';
import type { RunRecord } from '../src/report/run-record.js';
import { launchChromium, noBrowser, openOffline } from './helpers/offline-browser.js';
import { anomalyRecord, decomposeRecord, trainRecord } from './helpers/report-records.js';

if (noBrowser) console.warn(`report browser check skipped: ${noBrowser}`);

describe.skipIf(noBrowser !== undefined)('report in headless Chromium, offline', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows every chart, network drawing and image of a demo-like record with no error or request', async () => {
    const sections = [trainRecord(), anomalyRecord(), decomposeRecord()];
    const record: RunRecord = { version: 1, kind: 'demo', title: 'tnkit report check', summary: { sections: sections.length }, sections };
    const index = await writeReport(mkdtempSync(join(tmpdir(), 'tnkit-report-browser-')), record);
    const seen = await openOffline(browser, index, 'report.png');
    expect(seen.problems).toEqual([]);
    const svgs = sections.reduce((n, s) => n + recordCharts(s).length + (s.networks?.length ?? 0) + (s.spectra?.length ?? 0), 0);
    expect(seen.svgs).toBe(svgs);
    expect(seen.images).toBe(2);
    expect(seen.runTitle).toBe('tnkit report check');
    expect(existsSync(seen.screenshot)).toBe(true);
  });

  it('reports a page that reaches out: the check can fail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tnkit-report-browser-'));
    const index = await writeReport(dir, { version: 1, kind: 'train', title: 'x', summary: {} });
    const { readFileSync, writeFileSync } = await import('node:fs');
    writeFileSync(index, readFileSync(index, 'utf8').replace('</main>', '<img src="https://example.invalid/x.png"></main>'));
    const seen = await openOffline(browser, index, 'report-negative.png');
    expect(seen.problems.some((p) => p.includes('blocked request https://example.invalid/x.png'))).toBe(true);
  });
});
