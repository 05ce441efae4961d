#!/usr/bin/env node
// Checks what `npm pack` would ship: no test file (*.test.ts and their outputs), nothing from
// test/, and no leftover test helper in dist/. Prints the file count and size, exits 1 naming
// the offending files. Lifecycle scripts are skipped, so run `npm run build` first for a
// dist/ without modules that no longer exist in src/.
//
//   node scripts/check-pack.mjs        (npm run check:pack)
import { execFileSync } from 'node:child_process';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const [pack] = JSON.parse(execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' }));
const files = pack.files.map((f) => f.path);
const bad = files.filter((f) => /\.test\.|^test\/|(^|\/)(testing|test-[a-z-]+|test-support)\.(ts|js|d\.ts|js\.map)$/.test(f));
console.log(`${pack.filename}: ${files.length} files, ${pack.size} bytes packed, ${pack.unpackedSize} unpacked`);
if (bad.length > 0) {
  console.error(`check-pack: ${bad.length} test files would ship:\n${bad.join('\n')}`);
  process.exit(1);
}
