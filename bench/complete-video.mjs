// Video completion (Foreman QCIF, 90% missing): `tnkit complete` (validated growth) vs
// low-rank TT and TR completion (fitCores with the mask) at the same parameter budget,
// on the same layout (--fold: interleaved higher-order fold; default 9x16,11x16, i.e.
// [frames, 9, 11, 16, 16]; --fold none for frames × height × width).
// usage: node bench/complete-video.mjs [--frames 20] [--fold 9x16,11x16] [--missing 0.9]
//        [--seed 0] [--workers 2] [--budget 600] [--iters 20] [--final-iters 60]
//        [--baseline-iters 60] [--smoothness 1e-3,3e-4,3e-4] [--skip validated,interp] [--dist DIR]
// --smoothness: smoothness penalty per mode (fitCores' smoothness) for the validated run and the
// TT/TR fits (order 3 only: frames, rows, columns). The interpolation row is a reference
// that is not a tensor network: Gaussian normalized convolution of the observed pixels
// (σ over frames, rows, columns picked from a grid by the error on 10% of the observed
// pixels held out, then applied to all observed pixels).
// The mask is drawn on the unfolded clip (seed --seed) and folded, so every layout
// hides the same pixels. Prints one JSON line per method on stderr and a markdown table on stdout.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const { values } = parseArgs({
  options: {
    dist: { type: 'string', default: process.env.TNKIT_DIST ?? new URL('../dist', import.meta.url).pathname },
    input: { type: 'string', default: new URL('../data/video/foreman_qcif_gray_100.u8.gz', import.meta.url).pathname },
    frames: { type: 'string', default: '20' },
    fold: { type: 'string', default: '9x16,11x16' },
    missing: { type: 'string', default: '0.9' },
    seed: { type: 'string', default: '0' },
    workers: { type: 'string', default: '2' },
    budget: { type: 'string', default: '600' },
    iters: { type: 'string', default: '20' },
    'final-iters': { type: 'string', default: '60' },
    'baseline-iters': { type: 'string', default: '60' },
    skip: { type: 'string', default: '' },
    smoothness: { type: 'string' },
  },
});
const dist = resolve(values.dist);
const imp = (p) => import(pathToFileURL(resolve(dist, p)).href);
const { runComplete } = await imp('cli/complete.js');
const { loadDecomposeInput } = await imp('cli/decompose.js');
const { randomMask } = await imp('cli/search.js');
const { interleavedFold } = await imp('search/validated-completion.js');
const { fitCores, contractCores, mpsnr, psnr, rse } = await imp('decompose/index.js');
const { ringRankMatrix, chainRankMatrix, paramCount } = await imp('network/index.js');
const { Tensor } = await imp('tensor/tensor.js');

const folded = values.fold !== 'none';
const rows = [];
const report = (r) => {
  rows.push(r);
  process.stderr.write(JSON.stringify(r) + '\n');
};
const bonds = (R) => R.flatMap((row, i) => row.map((r, j) => (j > i && r > 1 ? `${i}-${j}:${r}` : '')).filter(Boolean));
const frames = Number(values.frames);
let budgetParams;
if (!values.skip.includes('validated')) {
  const { summary: s } = runComplete(values.input, {
    missing: values.missing, seed: values.seed, frames: values.frames, ...(folded ? { fold: values.fold } : {}),
    rse: '5e-2', method: 'validated', workers: values.workers, budgetSeconds: values.budget, iters: values.iters, finalIters: values['final-iters'],
    ...(values.smoothness ? { smoothness: values.smoothness } : {}),
  });
  budgetParams = Math.round(s.cr * frames * 144 * 176);
  report({ method: 'tnkit complete (validated)', bonds: bonds(s.ranks), ...s, params: budgetParams });
}
// TT / TR at (at most) the same parameter count on the same layout, fitted on every observed entry.
const full = loadDecomposeInput(values.input).tensor.astype('f64').slice([0, frames]).copy();
const layout = folded ? interleavedFold(full.shape, values.fold.split(',').map((a) => a.split('x').map(Number))) : undefined;
const x = layout ? layout.fold(full) : full;
const shape = [...x.shape];
const mask0 = randomMask(full.size, Number(values.missing), Number(values.seed));
const mask = layout ? Uint8Array.from(layout.fold(new Tensor(Float64Array.from(mask0), [...full.shape])).toTypedArray()) : mask0;
budgetParams ??= 40000;
for (const [name, make] of [['TT', (r) => chainRankMatrix(shape.length, shape.slice(1).map(() => r))], ['TR', (r) => ringRankMatrix(shape.length, shape.map(() => r))]]) {
  let r = 1;
  while (paramCount(make(r + 1), shape) <= budgetParams) r++;
  const R = make(r);
  const t0 = performance.now();
  const smoothness = values.smoothness ? values.smoothness.split(',').map(Number) : undefined;
  const fit = fitCores(x, R, { mask, iters: Number(values['baseline-iters']), tol: 1e-6, seed: Number(values.seed), ...(smoothness ? { smoothness } : {}) });
  const model = contractCores(fit.cores, R);
  const approx = layout ? layout.unfold(model) : model.reshape(...full.shape).copy();
  const d = approx.data;
  for (let p = 0; p < d.length; p++) d[p] = Math.min(255, Math.max(0, d[p]));
  const seconds = (performance.now() - t0) / 1000;
  const params = paramCount(R, shape);
  report({ method: `${name} rank ${r}${smoothness ? ` smoothness ${values.smoothness}` : ''}`, bonds: bonds(R), mpsnr: mpsnr(approx, full, { peak: 255 }), psnr: psnr(approx, full, { peak: 255 }), rse_missing: rse(approx, full, { mask: mask0, missing: true }), cr: params / x.size, params, seconds, sweeps: fit.iters });
}
if (!values.skip.includes('interp')) {
  const t0 = performance.now();
  const { approx, sigma } = interpolate(full, mask0, Number(values.seed));
  report({ method: `interpolation σ=${sigma.join(',')} (reference, not a network)`, bonds: [], mpsnr: mpsnr(approx, full, { peak: 255 }), psnr: psnr(approx, full, { peak: 255 }), rse_missing: rse(approx, full, { mask: mask0, missing: true }), cr: 0, params: 0, seconds: (performance.now() - t0) / 1000 });
}

/**
 * Gaussian normalized convolution of the observed entries of a [frames, rows, columns]
 * clip: (G ∗ (m·x)) / (G ∗ m), σ per axis chosen from a small grid by the RSE on 10% of the
 * observed entries held out (seeded), then applied with every observed entry; observed
 * entries keep their values.
 */
function interpolate(clip, observed, seed) {
  const xs = clip.toTypedArray();
  let state = (seed * 7919 + 23) >>> 0;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const held = Uint8Array.from(observed, (m) => (m && uniform() < 0.1 ? 1 : 0));
  const train = Uint8Array.from(observed, (m, p) => (m && !held[p] ? 1 : 0));
  const run = (m, sigma) => {
    const num = blur(Float64Array.from(xs, (v, p) => (m[p] ? v : 0)), clip.shape, sigma);
    const den = blur(Float64Array.from(m), clip.shape, sigma);
    return Float64Array.from(xs, (v, p) => (m[p] ? v : num[p] / Math.max(den[p], 1e-12)));
  };
  let best;
  for (const st of [0.5, 1, 2, 3]) for (const ss of [0.5, 1, 1.5, 2]) {
    const out = run(train, [st, ss, ss]);
    let err = 0;
    for (let p = 0; p < xs.length; p++) if (held[p]) err += (out[p] - xs[p]) ** 2;
    if (!best || err < best.err) best = { err, sigma: [st, ss, ss] };
  }
  const approx = new Tensor(run(observed, best.sigma), [...clip.shape]);
  const d = approx.data;
  for (let p = 0; p < d.length; p++) d[p] = Math.min(255, Math.max(0, d[p]));
  return { approx, sigma: best.sigma };
}

/** Separable Gaussian blur along each axis of a C-order array (zero outside). */
function blur(a, shape, sigma) {
  let cur = a;
  const strides = shape.map((_, k) => shape.slice(k + 1).reduce((p, d) => p * d, 1));
  for (let ax = 0; ax < shape.length; ax++) {
    const s = sigma[ax];
    if (!(s > 0)) continue;
    const rad = Math.ceil(3 * s);
    const w = Array.from({ length: 2 * rad + 1 }, (_, t) => Math.exp(-((t - rad) ** 2) / (2 * s * s)));
    const out = new Float64Array(cur.length);
    const n = shape[ax];
    const st = strides[ax];
    for (let p = 0; p < cur.length; p++) {
      const i = Math.floor(p / st) % n;
      let acc = 0;
      for (let t = -rad; t <= rad; t++) if (i + t >= 0 && i + t < n) acc += w[t + rad] * cur[p + t * st];
      out[p] = acc;
    }
    cur = out;
  }
  return cur;
}

console.log(`layout [${shape.join(', ')}], ${values.frames} frames, ${values.missing} missing, seed ${values.seed}`);
console.log('| method | bonds | params (CR) | MPSNR dB | PSNR dB | RSE missing | seconds |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.method} | ${r.bonds.join(' ')} | ${r.params} (${(100 * r.cr).toFixed(2)}%) | ${r.mpsnr.toFixed(2)} | ${r.psnr.toFixed(2)} | ${r.rse_missing.toFixed(4)} | ${r.seconds.toFixed(1)} |`);
