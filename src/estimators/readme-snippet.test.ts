import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The ```ts block between `<!-- snippet:NAME -->` and `<!-- /snippet:NAME -->` in README.md. */
function snippet(name: string): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf(`<!-- snippet:${name} -->`);
  const end = readme.indexOf(`<!-- /snippet:${name} -->`);
  if (start < 0 || end < start) throw new Error(`README.md has no snippet:${name} markers`);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(start, end));
  if (!block) throw new Error(`README.md snippet:${name} holds no \`\`\`ts block`);
  return block[1]!;
}

describe('README classifier snippet', () => {
  it('is at most 6 lines and, run as written (tnkit = src/index.ts), prints an accuracy ≥ 0.9', async () => {
    const code = snippet('classifier');
    expect(code.trim().split('\n').length).toBeLessThanOrEqual(6);
    expect(code).toMatch(/from 'tnkit'/);
    const dir = mkdtempSync(join(tmpdir(), 'tnkit-readme-'));
    const file = join(dir, 'snippet.ts');
    writeFileSync(file, code.replace(/from 'tnkit'/g, `from ${JSON.stringify(pathToFileURL(join(root, 'src/index.ts')).href)}`));
    const printed: unknown[][] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args));
    const cwd = process.cwd();
    process.chdir(dir); // the snippet saves and loads its model file in the working folder
    try {
      await import(pathToFileURL(file).href);
    } finally {
      process.chdir(cwd);
      log.mockRestore();
    }
    const line = printed.find((args) => args[0] === 'accuracy');
    expect(line).toBeDefined();
    expect(line![1]).toBeGreaterThanOrEqual(0.9);
    expect(readFileSync(join(dir, 'cancer.tnk')).length).toBeGreaterThan(0);
  });
});
