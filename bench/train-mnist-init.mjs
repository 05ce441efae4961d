// Prototype (not in the library): a data-dependent "mean-embedding identity" initializer for
// embeddings without a constant component (trigonometric, linear-complement). With the library's
// identity (δ at physical index 0) or isometric cores the initial MPS output at 196 sites is ≈ 0,
// the gradients are far below Adam's ε and training does not move (loss stays ln 10).
// Here core s is δ_lr · v_s[p] / ‖v_s‖² + N(0, std²), v_s = mean embedded vector of pixel s over the
// training images, so each site contributes φ(x_s)·v_s/‖v_s‖² (= 1 on average, exactly 1 for a
// pixel at its mean) and the initial output is O(1).
//   node bench/train-mnist-init.mjs   Env: EMBEDDING (trigonometric:1), TRAIN_LIMIT, TEST_LIMIT, EPOCHS,
//   LR, BATCH, STD (0.01), SEED, DTYPE, TNKIT_DIST. Prints a JSON summary.
const dist = process.env.TNKIT_DIST ?? new URL('../dist/', import.meta.url).href;
const { loadDataset } = await import(`${dist}/io/datasets.js`);
const { stratifiedSplit } = await import(`${dist}/ml/data/splits.js`);
const { takeLabels, takeRows } = await import(`${dist}/ml/data/matrix.js`);
const { parseEmbedding } = await import(`${dist}/ml/embeddings/parse-spec.js`);
const { MpsModel } = await import(`${dist}/ml/models/mps-model.js`);
const { train, productStateSource, supervisedProblem, predictScores } = await import(`${dist}/ml/training/index.js`);
const { argmaxRows } = await import(`${dist}/ml/metrics/classification.js`);
const { adam, cosineDecay } = await import(`${dist}/autodiff/index.js`);
const { Tensor } = await import(`${dist}/tensor/tensor.js`);
const { Random } = await import(`${dist}/tensor/random.js`);

const env = process.env;
const dtype = env.DTYPE ?? 'f32';
const seed = Number(env.SEED ?? 0);
const epochs = Number(env.EPOCHS ?? 5);
const batchSize = Number(env.BATCH ?? 64);
const lr = Number(env.LR ?? 1e-3);
const std = Number(env.STD ?? 0.01);
const bond = Number(env.BOND ?? 10);
const limit = (v) => (v === undefined ? {} : { limit: Number(v) });
const flat = (ds) => { const [n, h, w] = ds.X.shape; return { X: ds.X.reshape(n, h * w), y: ds.y }; };
const all = flat(loadDataset('mnist', { split: 'train', resize: 14, dtype, ...limit(env.TRAIN_LIMIT) }));
const test = flat(loadDataset('mnist', { split: 'test', resize: 14, dtype, ...limit(env.TEST_LIMIT) }));
const embedding = parseEmbedding(env.EMBEDDING ?? 'trigonometric:1');
const split = stratifiedSplit(all.y, { testFraction: 0.1, seed });
const tr = { X: takeRows(all.X, split.train), y: takeLabels(all.y, split.train) };
const va = { X: takeRows(all.X, split.test), y: takeLabels(all.y, split.test) };

// v[s][p]: mean embedded vector per site over the training part.
const emb = embedding.embed(tr.X, { dtype: 'f64' });
const [n, sites, d] = emb.shape;
const e = emb.toTypedArray();
const v = Array.from({ length: sites }, (_, s) => {
  const m = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let p = 0; p < d; p++) m[p] += e[(i * sites + s) * d + p] / n;
  return m;
});
const rng = new Random(seed);
const classSite = 98;
const cores = v.map((m, s) => {
  const norm2 = m.reduce((a, b) => a + b * b, 0);
  const l = s === 0 ? 1 : bond;
  const r = s === sites - 1 ? 1 : bond;
  const c = s === classSite ? 10 : 1;
  const data = dtype === 'f32' ? new Float32Array(l * d * c * r) : new Float64Array(l * d * c * r);
  for (let a = 0; a < l; a++) for (let p = 0; p < d; p++) for (let k = 0; k < c; k++) for (let b = 0; b < r; b++) {
    const diag = a === b || (l === 1 && b === 0) || (r === 1 && a === 0) ? m[p] / norm2 : 0;
    data[((a * d + p) * c + k) * r + b] = diag + std * rng.normal();
  }
  return new Tensor(data, s === classSite ? [l, d, 10, r] : [l, d, r]);
});
const model = MpsModel.fromCores(cores, classSite, bond);
const accuracy = (mdl, X, y) => { const pr = argmaxRows(predictScores(mdl, X, embedding)); let h = 0; for (let i = 0; i < pr.length; i++) if (pr[i] === y[i]) h++; return h / y.length; };
const steps = epochs * Math.ceil(split.train.length / batchSize);
const result = train(supervisedProblem(model), productStateSource(tr.X, embedding, { labels: tr.y }), {
  epochs, batchSize, seed, dtype, optimizer: adam({ lr: env.SCHEDULE === 'cosine' ? cosineDecay(lr, { totalSteps: steps, minLr: lr / 100 }) : lr }),
  validation: productStateSource(va.X, embedding, { labels: va.y }), monitor: 'val_accuracy',
  onEpoch: ({ epoch, record }) => void process.stderr.write(`  epoch ${epoch}: loss ${record.loss.toFixed(4)} val_loss ${record.val_loss.toFixed(4)} val_acc ${record.val_accuracy.toFixed(4)} ${record.seconds.toFixed(1)} s\n`),
});
const trained = model.withParams(result.params);
console.log(JSON.stringify({ embedding: env.EMBEDDING ?? 'trigonometric:1', init: `mean-embedding identity, std ${std}`, lr, batchSize, epochs, dtype, seed,
  test_accuracy: accuracy(trained, test.X, test.y), train_accuracy: accuracy(trained, tr.X, tr.y), best_epoch: result.bestEpoch, seconds_per_epoch: result.secondsPerEpoch,
  samples: { train: split.train.length, validation: split.test.length, test: test.y.length } }));
