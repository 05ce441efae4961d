import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anomalyRecord, decomposeRecord, pngBase64, trainRecord } from '../../test/helpers/report-records.js';
import { Tensor } from '../tensor/tensor.js';
import { recordCharts } from './charts.js';
import { escapeHtml, formatValue, pngSize, scriptJson } from './html.js';
import { renderReportHtml } from './index.js';
import type { RunRecord } from './run-record.js';

/** Every http(s) URL in the page that is not an XML namespace declaration inside an SVG. */
function externalUrls(html: string): string[] {
  const withoutNamespaces = html.replace(/\sxmlns(?::\w+)?="https?:\/\/[^"]*"/g, '');
  return withoutNamespaces.match(/https?:\/\/[^\s"'<>)]+/g) ?? [];
}

function embeddedRecord(html: string): unknown {
  const m = /<script type="application\/json" id="tnkit-run">([\s\S]*?)<\/script>/.exec(html);
  return m ? JSON.parse(m[1]!) : undefined;
}

function svgCount(html: string): number {
  return html.match(/<svg[\s>]/g)?.length ?? 0;
}

describe('renderReportHtml', () => {
  it('draws a demo record: a heading per section, an <svg> per chart, network and spectrum, images as data: URIs, no external URL', async () => {
    const sections = [trainRecord(), anomalyRecord(), decomposeRecord()];
    const demo: RunRecord = { version: 1, kind: 'demo', title: 'tnkit demo', summary: { sections: 3 }, sections };
    const html = await renderReportHtml(demo);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    for (const s of sections) expect(html).toContain(`<h2>${escapeHtml(s.title)}</h2>`);
    const expected = sections.reduce((n, s) => n + recordCharts(s).length + (s.networks?.length ?? 0) + (s.spectra?.length ?? 0), 0);
    expect(expected).toBeGreaterThanOrEqual(10);
    expect(svgCount(html)).toBe(expected);
    expect(html.match(/<img [^>]*src="data:image\/png;base64,/g)).toHaveLength(2);
    expect(externalUrls(html)).toEqual([]);
    expect(html).not.toMatch(/<link\b|<script\b[^>]*\bsrc=|@import|url\(\s*['"]?https?:/i);
    expect(embeddedRecord(html)).toEqual(JSON.parse(JSON.stringify(demo)));
    // The summary of the anomaly run appears as a row of its table.
    expect(html).toMatch(/<th scope="row">auc<\/th><td>0\.\d{1,4}<\/td>/);
  });

  it('the URL check catches a link that is not a namespace', () => {
    expect(externalUrls('<svg xmlns="http://www.w3.org/2000/svg"><a href="https://example.org/x">')).toEqual(['https://example.org/x']);
  });

  it('escapes text from the record, and no title or JSON can close the script element', async () => {
    const evil = '</script><script>alert(1)</script>';
    const record: RunRecord = { version: 1, kind: 'search', title: evil, command: `tnkit search "${evil}"`, summary: { note: evil } };
    const html = await renderReportHtml(record);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(embeddedRecord(html)).toEqual(record);
    expect(scriptJson('<!-- \u2028')).toBe('"\\u003c!-- \\u2028"');
  });

  it('keeps any text from the record inside its element (property)', async () => {
    await fc.assert(fc.asyncProperty(
      fc.string({ maxLength: 30, unit: 'grapheme-ascii' }), fc.string({ maxLength: 30 }), fc.string({ maxLength: 30, unit: 'grapheme-ascii' }),
      async (title, key, value) => {
        const record: RunRecord = {
          version: 1, kind: 'demo', title, summary: { [key || 'k']: value }, command: value,
          sections: [{ version: 1, kind: 'train', title: value, summary: {}, images: [{ label: title, items: [{ caption: value, png: '' }] }] }],
        };
        const html = await renderReportHtml(record);
        expect(html.match(/<script/gi)).toHaveLength(1);
        expect(html.match(/<\/script/gi)).toHaveLength(1);
        expect(externalUrls(html)).toEqual([]);
        expect(embeddedRecord(html)).toEqual(record);
      },
    ), { numRuns: 60 });
  });

  it('reads a PNG\'s size from its header and shows small images scaled by a whole factor', async () => {
    expect(pngSize(decomposeRecord().images![0]!.items[0]!.png)).toEqual({ width: 512, height: 512 });
    const digit = pngBase64(new Tensor(new Float64Array(14 * 10).fill(128), [10, 14]));
    expect(pngSize(digit)).toEqual({ width: 14, height: 10 });
    expect(pngSize('bm90IGEgcG5nIGF0IGFsbCwgbm90IGEgcG5nIGF0IGFsbA==')).toBeUndefined();
    const html = await renderReportHtml({ version: 1, kind: 'anomaly', title: 'd', summary: {}, images: [{ label: 'digits', items: [{ caption: 'a zero', png: digit }] }] });
    expect(html).toContain('<img alt="a zero" class="pixels" style="width:238px" src="data:image/png;base64,');
  });

  it('formats summary values briefly', () => {
    expect(formatValue(0.123456789)).toBe('0.1235');
    expect(formatValue(1.5e-7)).toBe('1.500e-7');
    expect(formatValue(42)).toBe('42');
    expect(formatValue([[1, 4], [4, 1]])).toBe('[[1, 4], [4, 1]]');
    expect(formatValue(null)).toBe('—');
  });
});
