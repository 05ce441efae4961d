// Breast-cancer results for docs/experiments/results.md: tn4ml protocol (364/91/114 split, min-max,
// 30 sites, class index at site 15, polynomial degree 2 with bias, Adam 1e-3, batch 32,
// ≤100 epochs, patience 10), 5 seeds, a bond-dimension sweep and an L2 check.
// Run after `npm run build`: node bench/train-breast-cancer.mjs   (TNKIT_DIST=dir to use another build)
const dist = process.env.TNKIT_DIST ?? new URL('../dist/', import.meta.url).href;
const { runTrain } = await import(`${dist}/cli/train.js`);
const base = { dataset: 'breast-cancer', model: 'mps', embedding: 'polynomial:2', init: 'identity:0.01', optimizer: 'adam', lr: '1e-3', batchSize: '32', epochs: '100', patience: '10', dtype: 'f64', outputSite: '15', monitor: process.env.MONITOR ?? 'val_loss' };
const run = (extra) => runTrain({ ...base, ...extra }).summary;
const stats = (xs) => { const m = xs.reduce((a, b) => a + b, 0) / xs.length; return { mean: m, std: Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1)) }; };
const pct = (v) => (100 * v).toFixed(2);
const bonds = (process.env.BONDS ?? '2,5,10,20,50').split(',');
const seeds = [0, 1, 2, 3, 4];
console.log('| bond | l2 | test acc (mean ± std, 5 seeds) | train acc | epochs | s/epoch |');
console.log('|---|---|---|---|---|---|');
for (const l2 of (process.env.L2 ?? '0').split(',')) {
  for (const bondDim of bonds) {
    const rs = seeds.map((seed) => run({ bondDim, seed: String(seed), l2 }));
    const t = stats(rs.map((r) => r.test_accuracy));
    console.log(`| ${bondDim} | ${l2} | ${pct(t.mean)} ± ${pct(t.std)} | ${pct(stats(rs.map((r) => r.train_accuracy)).mean)} | ${stats(rs.map((r) => r.epochs)).mean.toFixed(1)} | ${stats(rs.map((r) => r.seconds_per_epoch)).mean.toFixed(3)} |`);
  }
}
