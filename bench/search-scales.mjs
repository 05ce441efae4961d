// RGTN pyramid ablation on a 16^4 tensor ring (average pooling keeps the ring and its ranks at
// every scale, so 4 scales 16 → 8 → 4 → 2 are possible): --scales 1 vs 4, seeds 1–3.
// usage: npx tsc -p tsconfig.build.json && node bench/search-scales.mjs   (env: SCALES=1,4 SEEDS=1,2,3 BUDGET=120 TNKIT_DIST=dist)
const dist = process.env.TNKIT_DIST ?? new URL('../dist', import.meta.url).pathname;
const { contractCores, randomCores } = await import(`${dist}/decompose/index.js`);
const { ringRankMatrix, paramCount } = await import(`${dist}/network/index.js`);
const { search } = await import(`${dist}/search/index.js`);
const registry = await import(`${dist}/kernels/registry.js`);
if (registry.getKernel().name !== 'native') console.error(`warning: running on the ${registry.getKernel().name} backend, not native: ${JSON.stringify(registry.backendStatus?.() ?? {})} (the addon and wasm are looked for in build/ next to the dist used)`);
const dims = [16, 16, 16, 16];
const R = ringRankMatrix(4, [2, 3, 4, 3]);
const trueParams = paramCount(R, dims);
const budget = Number(process.env.BUDGET ?? 120);
for (const scales of (process.env.SCALES ?? '1,4').split(',').map(Number)) {
  for (const seed of (process.env.SEEDS ?? '1,2,3').split(',').map(Number)) {
    const x = contractCores(randomCores(dims, R, { seed: 100 + seed }), R);
    const r = search('rgtn', x, { rse: 1e-4, seed, budgetSeconds: budget, rgtn: { scales } });
    console.log(JSON.stringify({ case: 'r16 16^4 ring (2,3,4,3)', scales, seed, params: r.params, trueParams, ratio: +(r.params / trueParams).toFixed(2), rse: r.rse, seconds: +r.seconds.toFixed(1), evaluations: r.evaluations, ranks: r.ranks }));
  }
}
