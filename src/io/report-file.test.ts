import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../report/run-record.js';
import { readRunRecord, writeReport } from './report-file.js';

const record: RunRecord = {
  version: 1,
  kind: 'decompose',
  title: 'A small run',
  summary: { rse: 0.05, cr: 12.5 },
  networks: [{ label: 'TR', dims: [4, 4, 4], ranks: [[0, 2, 3], [2, 0, 2], [3, 2, 0]] }],
};

describe('writeReport / readRunRecord', () => {
  it('writes index.html and run.json into a new folder and reads the record back', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tnkit-report-')), 'a', 'b');
    const index = await writeReport(dir, record);
    expect(index).toBe(join(dir, 'index.html'));
    const html = readFileSync(index, 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('A small run');
    expect(readRunRecord(join(dir, 'run.json'))).toEqual(record);
  });

  it('names the file and the bad field of a malformed record', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tnkit-report-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...record, networks: [{ label: 'x', dims: [2, 2], ranks: [[0, 2], [3, 0]] }] }));
    expect(() => readRunRecord(bad)).toThrow(`${bad}: networks[0].ranks[0][1]: not symmetric`);
    writeFileSync(bad, JSON.stringify({ ...record, version: 99 }));
    expect(() => readRunRecord(bad)).toThrow(/version: 99 is newer/);
    writeFileSync(bad, '{ "version": 1, ');
    expect(() => readRunRecord(bad)).toThrow(`${bad}: not JSON`);
    expect(() => readRunRecord(join(dir, 'missing.json'))).toThrow(/missing\.json: cannot read: ENOENT/);
  });

  it('refuses a folder that cannot be created, naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tnkit-report-'));
    const file = join(dir, 'file');
    writeFileSync(file, 'x');
    await expect(writeReport(join(file, 'sub'), record)).rejects.toThrow(`${join(file, 'sub')}: cannot create the folder`);
  });
});
