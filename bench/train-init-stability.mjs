// Initial output magnitude of a 30-site MPS classifier (bond 10) for each embedding ×
// initializer pair: median and max over 64 random min-max-scaled samples of |f_c(x)|.
// Stable pairs start near 1; others start at 10^±k and need many epochs (or diverge).
// Run after `npm run build`: node bench/train-init-stability.mjs
const dist = process.env.TNKIT_DIST ?? new URL('../dist/', import.meta.url).href;
const { MpsModel } = await import(`${dist}/ml/models/mps-model.js`);
const { polynomial, trigonometric, fourier, legendre } = await import(`${dist}/ml/embeddings/index.js`);
const { randomNormal, identityPlusNoise, randomIsometric, gramSchmidt } = await import(`${dist}/ml/init/index.js`);
const { rand } = await import(`${dist}/tensor/create.js`);
const X = rand([64, 30], { seed: 5 });
const embeddings = { 'polynomial:2': polynomial({ degree: 2, bias: true }), 'trigonometric:1': trigonometric({ k: 1 }), 'fourier:2': fourier({ p: 2 }), 'legendre:2': legendre({ degree: 2 }) };
const inits = { 'normal:0.01': randomNormal(0.01), 'normal:1': randomNormal(1), 'identity:0.01': identityPlusNoise(0.01), isometric: randomIsometric(), 'gram-schmidt': gramSchmidt() };
console.log(`| embedding | ${Object.keys(inits).join(' | ')} |`);
console.log(`|---|${Object.keys(inits).map(() => '---').join('|')}|`);
for (const [en, e] of Object.entries(embeddings)) {
  const x = e.embed(X);
  const cells = Object.values(inits).map((init) => {
    const m = MpsModel.create({ sites: 30, physDim: x.shape[2], bondDim: 10, outputDim: 2, outputSite: 15, init, seed: 1 });
    const v = Array.from(m.forward(m.params, x).value.toTypedArray(), Math.abs).sort((a, b) => a - b);
    return `${v[v.length >> 1].toExponential(1)} (max ${v[v.length - 1].toExponential(1)})`;
  });
  console.log(`| ${en} | ${cells.join(' | ')} |`);
}
