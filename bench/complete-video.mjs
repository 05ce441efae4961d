// Video completion (Foreman QCIF, 90% missing): `tnkit complete` (validated growth) vs
// low-rank TT and TR completion (fitCores with the mask) at the same parameter budget.
// usage: node bench/complete-video.mjs [--frames 20] [--shape 20,144,176] [--missing 0.9]
//        [--seed 0] [--workers 2] [--budget 300] [--iters 60]
// Prints one JSON line per method on stderr and a markdown table on stdout.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const { values } = parseArgs({
  options: {
    dist: { type: 'string', default: new URL('../dist', import.meta.url).pathname },
    input: { type: 'string', default: new URL('../data/video/foreman_qcif_gray_100.u8.gz', import.meta.url).pathname },
    frames: { type: 'string', default: '20' },
    shape: { type: 'string' },
    missing: { type: 'string', default: '0.9' },
    seed: { type: 'string', default: '0' },
    workers: { type: 'string', default: '2' },
    budget: { type: 'string', default: '300' },
    iters: { type: 'string', default: '60' },
    skip: { type: 'string', default: '' },
  },
});
const dist = resolve(values.dist);
const imp = (p) => import(pathToFileURL(resolve(dist, p)).href);
const { runComplete } = await imp('cli/complete.js');
const { loadDecomposeInput } = await imp('cli/decompose.js');
const { randomMask } = await imp('cli/search.js');
const { fitCores, contractCores, mpsnr, psnr, rse } = await imp('decompose/index.js');
const { ringRankMatrix, chainRankMatrix, paramCount } = await imp('network/index.js');

const rows = [];
const report = (r) => {
  rows.push(r);
  process.stderr.write(JSON.stringify(r) + '\n');
};
const common = { missing: values.missing, seed: values.seed, frames: values.frames, ...(values.shape ? { shape: values.shape } : {}) };
let budgetParams;
if (!values.skip.includes('validated')) {
  const s = runComplete(values.input, { ...common, rse: '5e-2', method: 'validated', workers: values.workers, budgetSeconds: values.budget });
  budgetParams = Math.round(s.cr * Number(values.frames) * 144 * 176);
  report({ method: 'tnkit complete (validated)', ...s, params: budgetParams });
}
// TT / TR at (at most) the same parameter count, fitted on every observed entry.
const full = loadDecomposeInput(values.input).tensor.astype('f64').slice([0, Number(values.frames)]).copy();
const shape = values.shape ? values.shape.split(',').map(Number) : full.shape;
const x = full.reshape(...shape);
const mask = randomMask(x.size, Number(values.missing), Number(values.seed));
budgetParams ??= 40000;
for (const [name, make] of [['TT', (r) => chainRankMatrix(shape.length, shape.slice(1).map(() => r))], ['TR', (r) => ringRankMatrix(shape.length, shape.map(() => r))]]) {
  let r = 1;
  while (paramCount(make(r + 1), shape) <= budgetParams) r++;
  const R = make(r);
  const t0 = performance.now();
  const fit = fitCores(x, R, { mask, truth: x, iters: Number(values.iters), tol: 1e-6, seed: Number(values.seed) });
  const approx = contractCores(fit.cores, R).reshape(...full.shape).copy();
  const d = approx.data;
  for (let p = 0; p < d.length; p++) d[p] = Math.min(255, Math.max(0, d[p]));
  const seconds = (performance.now() - t0) / 1000;
  const params = paramCount(R, shape);
  report({ method: `${name} rank ${r}`, mpsnr: mpsnr(approx, full, { peak: 255 }), psnr: psnr(approx, full, { peak: 255 }), rse_missing: rse(approx.reshape(...shape), x, { mask, missing: true }), cr: params / x.size, params, seconds, sweeps: fit.iters });
}
console.log('| method | params (CR) | MPSNR dB | PSNR dB | RSE missing | seconds |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.method} | ${r.params} (${(100 * r.cr).toFixed(2)}%) | ${r.mpsnr.toFixed(2)} | ${r.psnr.toFixed(2)} | ${r.rse_missing.toFixed(4)} | ${r.seconds.toFixed(1)} |`);
