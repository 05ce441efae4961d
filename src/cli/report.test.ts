import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers/run-cli.js';
import { anomalyRecord } from '../../test/helpers/report-records.js';
import { writeReport } from '../io/report-file.js';

describe('tnkit report', () => {
  it('redraws a saved run: the same record and the same page', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tnkit-report-cli-'));
    const first = await writeReport(join(root, 'a'), anomalyRecord());
    const r = await runCli('report', join(root, 'a', 'run.json'), '--out', join(root, 'b'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`report: ${join(root, 'b', 'index.html')}\n`);
    expect(readFileSync(join(root, 'b', 'run.json'), 'utf8')).toBe(readFileSync(join(root, 'a', 'run.json'), 'utf8'));
    expect(readFileSync(join(root, 'b', 'index.html'), 'utf8')).toBe(readFileSync(first, 'utf8'));
    const json = await runCli('report', join(root, 'a', 'run.json'), '--out', join(root, 'c'), '--json');
    expect(JSON.parse(json.stdout)).toEqual({ report: join(root, 'c', 'index.html') });
  });

  it('refuses a malformed record naming the file and the field, and writes nothing', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tnkit-report-cli-'));
    const bad = join(root, 'run.json');
    writeFileSync(bad, JSON.stringify({ ...anomalyRecord(), roc: { fpr: [0, 1], tpr: [0, '1'], auc: 0.5 } }));
    const r = await runCli('report', bad, '--out', join(root, 'out'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`tnkit: ${bad}: roc.tpr[1]: expected a number, got the string "1"\n`);
    expect(() => readFileSync(join(root, 'out', 'index.html'))).toThrow(/ENOENT/);
    const missing = await runCli('report', bad);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/--out <dir>/);
  });
});
