// Wall-clock time of `tnkit demo` (the README's first command: four jobs on the shipped
// data, one report), which the test suite no longer asserts: tests check what the demo
// does; how fast it is belongs here. Runs the built CLI (bin/tnkit.js → dist/) in a child
// process and prints one JSON line per run with the 1-minute load average, then the median.
// usage: npm run build && node bench/demo.mjs [--runs 3] [--max-seconds S] (exit 1 when the median exceeds S)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, 'max-seconds': { type: 'string' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${values.runs}`);
const bin = new URL('../bin/tnkit.js', import.meta.url).pathname;
const seconds = [];
for (let k = 0; k < runs; k++) {
  const dir = mkdtempSync(join(tmpdir(), 'tnkit-bench-demo-'));
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [bin, 'demo', '--out', join(dir, 'report')], { encoding: 'utf8' });
  const s = (performance.now() - t0) / 1000;
  rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`tnkit demo exited with ${r.status}: ${r.stderr.trim()}`);
  seconds.push(s);
  console.log(JSON.stringify({ run: k + 1, seconds: +s.toFixed(2), load1: +loadavg()[0].toFixed(2) }));
}
const median = [...seconds].sort((a, b) => a - b)[Math.floor(runs / 2)];
console.log(JSON.stringify({ median_seconds: +median.toFixed(2) }));
if (values['max-seconds'] !== undefined && median > Number(values['max-seconds'])) {
  console.error(`tnkit demo: median ${median.toFixed(2)} s is over --max-seconds ${values['max-seconds']}`);
  process.exit(1);
}
