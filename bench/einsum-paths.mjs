#!/usr/bin/env node
// Contraction-path benchmark (not a test): on random networks of 10, 14 and 18 operands,
// the FLOPs of optimize 'dp' against 'greedy' (and 'optimal' at 10), and the planning time
// of each; then greedy's FLOPs against an earlier build's greedy on 1800 random specs of
// 3–20 operands, when TNKIT_DIST_BEFORE names that build.
//
//   node bench/einsum-paths.mjs                     (uses the compiled ../dist)
//   TNKIT_DIST=/path/to/dist TNKIT_DIST_BEFORE=/path/to/old/dist node bench/einsum-paths.mjs
//   node bench/einsum-paths.mjs --export nets.json  (also writes 190 networks with tnkit's
//       greedy and dp FLOPs, for the optional bench/einsum_paths_opt_einsum.py, which needs
//       Python and the opt_einsum package; tnkit itself depends on neither)
//
// Networks (seeded): n operands; n + U{0..n} bonds, each joining two random distinct
// operands with a random size 2–8; with probability 0.4, 1–3 hyperedges on 3–4 operands
// (size 2–5, kept with probability 0.3); each operand gets an open (kept) leg of size 2–4
// with probability 0.3; with probability 0.25 a batch index (size 2–4) on every operand,
// kept with probability 0.7; with probability 0.2 a lone index on one operand.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const distDir = process.env.TNKIT_DIST ?? new URL('../dist', import.meta.url).pathname;
const { planContraction } = await import(pathToFileURL(join(distDir, 'einsum/path.js')).href);
const beforeDir = process.env.TNKIT_DIST_BEFORE;
const before = beforeDir ? await import(pathToFileURL(join(beforeDir, 'einsum/path.js')).href) : undefined;

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomSpec(r, n) {
  const int = (k) => Math.floor(r() * k);
  const inputs = Array.from({ length: n }, () => []);
  const sizes = new Map();
  const output = [];
  let next = 0;
  const lab = (size) => {
    const l = `L${next++}`;
    sizes.set(l, size);
    return l;
  };
  const bonds = n + int(n + 1);
  for (let b = 0; b < bonds; b++) {
    const i = int(n), j = int(n);
    if (i === j) continue;
    const l = lab(2 + int(7));
    inputs[i].push(l);
    inputs[j].push(l);
  }
  if (r() < 0.4) {
    for (let h = 0; h < 1 + int(3); h++) {
      const l = lab(2 + int(4));
      const on = new Set();
      const k = 3 + int(2);
      while (on.size < Math.min(k, n)) on.add(int(n));
      for (const o of on) inputs[o].push(l);
      if (r() < 0.3) output.push(l);
    }
  }
  for (let k = 0; k < n; k++) if (r() < 0.3) { const l = lab(2 + int(3)); inputs[k].push(l); output.push(l); }
  if (r() < 0.25) { const l = lab(2 + int(3)); for (const x of inputs) x.push(l); if (r() < 0.7) output.push(l); }
  if (r() < 0.2) { const l = lab(2 + int(3)); inputs[int(n)].push(l); }
  return { inputs, output, sizes };
}

function timed(fn) {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const geomean = (xs) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
const ratio = (a, b) => Number((a * 1000000n) / b) / 1e6;

const perSize = Number(process.env.CASES ?? 40);
for (const n of [10, 14, 18]) {
  const r = rng(1000 + n);
  const rows = [];
  for (let t = 0; t < perSize; t++) {
    const s = randomSpec(r, n);
    const g = timed(() => planContraction(s.inputs, s.output, s.sizes, 'greedy'));
    const d = timed(() => planContraction(s.inputs, s.output, s.sizes, 'dp'));
    const o = n <= 10 ? timed(() => planContraction(s.inputs, s.output, s.sizes, 'optimal')) : undefined;
    const a = timed(() => planContraction(s.inputs, s.output, s.sizes, 'auto'));
    rows.push({ g, d, o, a, ops: d.value.prep.length });
  }
  const dpOverGreedy = rows.map((x) => ratio(x.d.value.optimizedFlops, x.g.value.optimizedFlops));
  const out = {
    operands: n,
    cases: rows.length,
    dpCheaper: dpOverGreedy.filter((q) => q < 1).length,
    dpOverGreedy: { geomean: +geomean(dpOverGreedy).toFixed(4), min: Math.min(...dpOverGreedy), max: Math.max(...dpOverGreedy) },
    greedyOverDpMax: +Math.max(...dpOverGreedy.map((q) => 1 / q)).toFixed(3),
    planMs: {
      greedyMedian: +median(rows.map((x) => x.g.ms)).toFixed(2),
      dpMedian: +median(rows.map((x) => x.d.ms)).toFixed(2),
      dpMax: +Math.max(...rows.map((x) => x.d.ms)).toFixed(1),
      autoMedian: +median(rows.map((x) => x.a.ms)).toFixed(2),
      autoMax: +Math.max(...rows.map((x) => x.a.ms)).toFixed(1),
    },
    auto: {
      chose: Object.fromEntries(['optimal', 'dp', 'greedy'].map((k) => [k, rows.filter((x) => x.a.value.optimizer === k).length])),
      overGreedyGeomean: +geomean(rows.map((x) => ratio(x.a.value.optimizedFlops, x.g.value.optimizedFlops))).toFixed(4),
    },
  };
  if (n <= 10) {
    const dpOverOpt = rows.map((x) => ratio(x.d.value.optimizedFlops, x.o.value.optimizedFlops));
    out.dpOverOptimal = { equal: dpOverOpt.filter((q) => q === 1).length, geomean: +geomean(dpOverOpt).toFixed(4), max: Math.max(...dpOverOpt) };
    out.planMs.optimalMedian = +median(rows.map((x) => x.o.ms)).toFixed(2);
  }
  console.log(JSON.stringify(out));
}

if (before) {
  const r = rng(20261205);
  let better = 0, same = 0, worse = 0, logSum = 0, count = 0, worst = 1, best = 1;
  const times = { before: 0, after: 0 };
  for (let n = 3; n <= 20; n++) {
    for (let t = 0; t < 100; t++) {
      const s = randomSpec(r, n);
      const b = timed(() => before.planContraction(s.inputs, s.output, s.sizes, 'greedy'));
      const a = timed(() => planContraction(s.inputs, s.output, s.sizes, 'greedy'));
      times.before += b.ms;
      times.after += a.ms;
      const q = ratio(a.value.optimizedFlops, b.value.optimizedFlops);
      count++;
      logSum += Math.log(q);
      if (q < 1) better++; else if (q > 1) worse++; else same++;
      worst = Math.max(worst, q);
      best = Math.min(best, q);
    }
  }
  console.log(JSON.stringify({ greedyBeforeAfter: { specs: count, cheaper: better, same, costlier: worse, geomeanAfterOverBefore: +Math.exp(logSum / count).toFixed(4), best, worst, planMsTotal: { before: +times.before.toFixed(0), after: +times.after.toFixed(0) } } }));
}

const exportAt = process.argv.indexOf('--export');
if (exportAt > 0) {
  // Lone indices are dropped so that both libraries plan the same pairwise problem.
  const r = rng(4242);
  const nets = [];
  for (const n of [3, 5, 8, 10, 14, 18]) {
    for (let t = 0; t < (n >= 14 ? 15 : 40); t++) {
      const s = randomSpec(r, n);
      const count = new Map();
      for (const x of s.inputs) for (const l of new Set(x)) count.set(l, (count.get(l) ?? 0) + 1);
      const kept = new Set(s.output);
      const inputs = s.inputs.map((x) => [...new Set(x)].filter((l) => kept.has(l) || count.get(l) > 1));
      const greedy = planContraction(inputs, s.output, s.sizes, 'greedy').optimizedFlops;
      const dp = planContraction(inputs, s.output, s.sizes, 'dp').optimizedFlops;
      nets.push({ n, inputs, output: s.output, sizes: Object.fromEntries(s.sizes), greedy: String(greedy), dp: String(dp) });
    }
  }
  writeFileSync(process.argv[exportAt + 1], JSON.stringify(nets));
  console.log(`wrote ${nets.length} networks to ${process.argv[exportAt + 1]}`);
}
