import { mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeStaleTemps, writeFileAtomic, writeFileAtomicAsync } from './atomic-write.js';

describe('writeFileAtomic', () => {
  it('replaces a file whole and leaves no temporary file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tnkit-atomic-'));
    const path = join(dir, 'a.bin');
    writeFileSync(path, 'old');
    writeFileAtomic(path, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    writeFileAtomic(path, 'text');
    expect(readFileSync(path, 'utf8')).toBe('text');
    expect(readdirSync(dir)).toEqual(['a.bin']);
  });

  it('names the path when the folder does not exist', () => {
    expect(() => writeFileAtomic('/nonexistent-tnkit/x.npy', 'x')).toThrow(/cannot write \/nonexistent-tnkit\/x\.npy/);
  });
});

describe('writeFileAtomicAsync', () => {
  it('replaces a file whole, leaves no temporary file, and keeps the old file when the write fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tnkit-atomic-async-'));
    const path = join(dir, 'a.bin');
    writeFileSync(path, 'old');
    await writeFileAtomicAsync(path, new Uint8Array([4, 5, 6]));
    expect([...readFileSync(path)]).toEqual([4, 5, 6]);
    await writeFileAtomicAsync(path, 'text');
    expect(readFileSync(path, 'utf8')).toBe('text');
    expect(readdirSync(dir)).toEqual(['a.bin']);
    // Renaming over a folder fails: the temporary file goes and the folder is untouched.
    mkdirSync(join(dir, 'sub'));
    await expect(writeFileAtomicAsync(join(dir, 'sub'), 'x')).rejects.toThrow(/cannot write .*sub/);
    expect(readdirSync(dir).sort()).toEqual(['a.bin', 'sub']);
  });

  it('names the path when the folder does not exist', async () => {
    await expect(writeFileAtomicAsync('/nonexistent-tnkit/x.npy', 'x')).rejects.toThrow(/cannot write \/nonexistent-tnkit\/x\.npy/);
  });

  it('gives each of many concurrent writes of one file its own temporary file; one of them wins whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tnkit-atomic-many-'));
    const path = join(dir, 'c.bin');
    const payloads = Array.from({ length: 20 }, (_, k) => new Uint8Array(50_000).fill(k));
    await Promise.all(payloads.map((p) => writeFileAtomicAsync(path, p)));
    const got = readFileSync(path);
    expect(got.length).toBe(50_000);
    expect(got.every((b) => b === got[0])).toBe(true);
    expect(readdirSync(dir)).toEqual(['c.bin']);
  });
});

describe('removeStaleTemps', () => {
  it("removes a dead writer's old temporary file of the same name only", () => {
    const dir = mkdtempSync(join(tmpdir(), 'tnkit-atomic-stale-'));
    const path = join(dir, 'ck.tnk');
    // A pid above the kernel's pid_max is never a live process.
    const dead = join(dir, '.ck.tnk.4194399.abc123.tmp');
    const young = join(dir, '.ck.tnk.4194398.abc124.tmp');
    const live = join(dir, `.ck.tnk.${process.pid}.abc125.tmp`);
    const other = join(dir, '.other.tnk.4194399.abc126.tmp');
    for (const f of [dead, young, live, other]) writeFileSync(f, 'partial');
    const old = new Date(Date.now() - 3_600_000);
    for (const f of [dead, live, other]) utimesSync(f, old, old);
    writeFileAtomic(path, 'new');
    expect(readdirSync(dir).sort()).toEqual(['.ck.tnk.4194398.abc124.tmp', `.ck.tnk.${process.pid}.abc125.tmp`, '.other.tnk.4194399.abc126.tmp', 'ck.tnk'].sort());
    // A minute later the young one goes too.
    removeStaleTemps(path, Date.now() + 120_000);
    expect(readdirSync(dir).sort()).toEqual([`.ck.tnk.${process.pid}.abc125.tmp`, '.other.tnk.4194399.abc126.tmp', 'ck.tnk'].sort());
  });
});
