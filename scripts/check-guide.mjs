#!/usr/bin/env node
// Checks the code in the user guide: every ```ts block of docs/guide/*.md is a complete
// program; each is type-checked against the current source (src/, through the `tnkit` name)
// and then run against the compiled package (dist/, so `npm run build` first) from the
// repository root. Not part of `npm test` (the blocks train and search: about two minutes);
// run it after changing the guide or an API it shows:
//   node scripts/check-guide.mjs [PAGE-PREFIX]     (npm run check:guide)
// Exit status 0 when every block type-checks and runs; the first lines each block printed
// are shown, so the figures quoted beside it can be compared.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(join(root, 'dist/index.js'))) {
  console.error('check-guide: dist/index.js is missing; run npm run build first');
  process.exit(2);
}
const out = join(root, 'build/guide-snippets');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const prefix = process.argv[2] ?? '';
const pages = readdirSync(join(root, 'docs/guide')).filter((f) => f.endsWith('.md') && f.startsWith(prefix)).sort();
const blocks = [];
for (const page of pages) {
  const text = readFileSync(join(root, 'docs/guide', page), 'utf8');
  let k = 0;
  for (const m of text.matchAll(/```ts\n([\s\S]*?)```/g)) {
    const name = `${page.replace(/\.md$/, '')}-${++k}`;
    writeFileSync(join(out, `${name}.ts`), m[1]);
    blocks.push(name);
  }
}
console.log(`${blocks.length} blocks in ${pages.length} pages`);

// Type-check: the blocks as TypeScript modules, `tnkit` mapped to the source entries.
writeFileSync(join(out, 'tsconfig.json'), JSON.stringify({
  extends: '../../tsconfig.json',
  compilerOptions: {
    noEmit: true, rootDir: '../..', noUnusedLocals: false,
    paths: { tnkit: ['../../src/index.ts'], 'tnkit/browser': ['../../src/browser.ts'] },
  },
  include: ['*.ts'],
  exclude: [],
}));
const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(out, 'tsconfig.json')], { encoding: 'utf8' });
let failed = tsc.status !== 0;
if (failed) console.log(`type errors:\n${tsc.stdout}${tsc.stderr}`);

// Run: each block with its types stripped, from the repository root (paths such as
// data/images/camera.png are relative to it); `tnkit` resolves to this package's dist/.
for (const name of blocks) {
  const source = readFileSync(join(out, `${name}.ts`), 'utf8');
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  writeFileSync(join(out, `${name}.mjs`), js);
  const t0 = performance.now();
  const run = spawnSync(process.execPath, [join(out, `${name}.mjs`)], { encoding: 'utf8', cwd: root, timeout: 600_000 });
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  const ok = run.status === 0;
  failed ||= !ok;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name} (${seconds} s)`);
  const text = (run.stdout + (ok ? '' : run.stderr)).trimEnd();
  if (text) console.log(text.split('\n').slice(0, ok ? 6 : 30).map((l) => `     ${l}`).join('\n'));
}
process.exit(failed ? 1 : 0);
