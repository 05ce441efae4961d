/**
 * Opens an HTML file in headless Chromium (Debian's /usr/bin/chromium) with every request
 * that is not file:// or data: blocked and counted as a problem, collects console errors,
 * page errors and failed requests, and saves a full-page screenshot in build/screenshots/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = resolve('build/screenshots');
/** Why the browser checks are skipped here, or undefined when Chromium is installed. */
export const noBrowser = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is not installed (apt-get install chromium)`;

/** What the page showed. */
export interface OfflineView {
  /** Blocked or failed requests, console and page errors. */
  problems: string[];
  /** `<svg>` drawings inside figures, at least 100 px wide. */
  svgs: number;
  /** Images decoded (natural width > 0). */
  images: number;
  /** The title of the run record embedded in the page. */
  runTitle: string;
  screenshot: string;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export async function openOffline(browser: Browser, html: string, shot: string): Promise<OfflineView> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, offline: true });
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
    svgs: Array.from(document.querySelectorAll('figure > svg')).filter((s) => s.getBoundingClientRect().width >= 100).length,
    images: Array.from(document.querySelectorAll('img')).filter((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0).length,
    runTitle: (JSON.parse(document.getElementById('tnkit-run')?.textContent ?? '{}') as { title?: string }).title ?? '',
  }));
  mkdirSync(SCREENSHOTS, { recursive: true });
  const screenshot = join(SCREENSHOTS, shot);
  await page.screenshot({ path: screenshot, fullPage: true });
  await context.close();
  return { problems, ...shown, screenshot };
}
