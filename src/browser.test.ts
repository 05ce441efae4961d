import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Static value imports of a source file (type-only imports are erased by the compiler). */
function valueImports(source: string): string[] {
  const specs: string[] = [];
  const re = /^\s*(import|export)\s+(?!type\b)[^'";]*?from\s+'([^']+)'/gm;
  for (const m of source.matchAll(re)) specs.push(m[2]!);
  for (const m of source.matchAll(/^\s*import\s+'([^']+)'/gm)) specs.push(m[1]!);
  return specs;
}

describe('the browser entry point', () => {
  it('reaches no Node built-in through static imports', () => {
    const root = resolve(dirname(fileURLToPath(import.meta.url)), 'browser.ts');
    const seen = new Set<string>();
    const offenders: string[] = [];
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of valueImports(readFileSync(file, 'utf8'))) {
        if (spec.startsWith('node:')) offenders.push(`${file} imports ${spec}`);
        else if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      }
    };
    visit(root);
    expect(seen.size).toBeGreaterThan(50);
    expect(offenders).toEqual([]);
  });
});
