// MNIST 10-class MPS classifier (docs/experiments/results.md, "MNIST classification").
// Protocol: the shipped first 10,000 training images, resized 28→14 by area averaging (196 sites),
// pixels /255 in [0, 1]; a stratified 90/10 train/validation split of those 10k (seeded),
// evaluation on the official 10,000 test images. Final configuration (the defaults): MPS bond 10,
// class index at site 98, polynomial degree 2 with bias (d = 3), identity cores + N(0, 0.01²), f32,
// Adam lr 1e-3 with cosine decay to 1e-5 over 20 epochs, batch 64, no early stopping, weights of the
// epoch with the best val_accuracy kept. Run after `npm run build`:
//   node bench/train-mnist.mjs                      # final configuration, seeds 0–4 (≈ 3–4 min a seed)
//   SEEDS=0 BATCH=32 SCHEDULE=constant PATIENCE=5 MONITOR=val_loss node bench/train-mnist.mjs
// Env: SEEDS, BOND, EMBEDDING (polynomial:D | trigonometric:k | linear-complement), INIT, LR, BATCH,
// SCHEDULE (constant|cosine), EPOCHS, PATIENCE (0: off), MONITOR (val_loss|val_accuracy), DTYPE (f32|f64),
// OUTPUT_SITE, VAL_FRACTION, TRAIN_LIMIT, TEST_LIMIT, TNKIT_DIST (default ../dist/).
// Prints one JSON line per seed on stderr as it goes and a JSON summary on stdout.
const dist = process.env.TNKIT_DIST ?? new URL('../dist/', import.meta.url).href;
const { loadDataset } = await import(`${dist}/io/datasets.js`);
const { stratifiedSplit } = await import(`${dist}/ml/data/splits.js`);
const { takeLabels, takeRows } = await import(`${dist}/ml/data/matrix.js`);
const { parseEmbedding } = await import(`${dist}/ml/embeddings/parse-spec.js`);
const { initializerFromSpec, parseInitializer } = await import(`${dist}/ml/init/initializers.js`);
const { MpsModel } = await import(`${dist}/ml/models/mps-model.js`);
const { train, productStateSource, supervisedProblem, predictScores } = await import(`${dist}/ml/training/index.js`);
const { argmaxRows } = await import(`${dist}/ml/metrics/classification.js`);
const { adam, cosineDecay } = await import(`${dist}/autodiff/index.js`);
const { getKernel } = await import(`${dist}/kernels/registry.js`);

const env = process.env;
const cfg = {
  seeds: (env.SEEDS ?? '0,1,2,3,4').split(',').map(Number),
  bondDim: Number(env.BOND ?? 10),
  embedding: env.EMBEDDING ?? 'polynomial:2',
  init: env.INIT ?? 'identity:0.01',
  lr: Number(env.LR ?? 1e-3),
  // 'constant' or 'cosine' (cosine decay over all epochs down to lr/100)
  schedule: env.SCHEDULE ?? 'cosine',
  batchSize: Number(env.BATCH ?? 64),
  epochs: Number(env.EPOCHS ?? 20),
  patience: Number(env.PATIENCE ?? 0),
  monitor: env.MONITOR ?? 'val_accuracy',
  dtype: env.DTYPE ?? 'f32',
  outputSite: env.OUTPUT_SITE === undefined ? 98 : Number(env.OUTPUT_SITE),
  valFraction: Number(env.VAL_FRACTION ?? 0.1),
  trainLimit: env.TRAIN_LIMIT === undefined ? undefined : Number(env.TRAIN_LIMIT),
  testLimit: env.TEST_LIMIT === undefined ? undefined : Number(env.TEST_LIMIT),
};

const flat = (ds) => { const [n, h, w] = ds.X.shape; return { X: ds.X.reshape(n, h * w), y: ds.y }; };
const load = (split, limit) => flat(loadDataset('mnist', { split, resize: 14, dtype: cfg.dtype, ...(limit === undefined ? {} : { limit }) }));
const all = load('train', cfg.trainLimit);
const test = load('test', cfg.testLimit);
const embedding = parseEmbedding(cfg.embedding);
const physDim = Math.max(...embedding.siteDims(196));

function accuracy(model, X, y) {
  const pred = argmaxRows(predictScores(model, X, embedding));
  let hits = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === y[i]) hits++;
  return hits / y.length;
}

function runSeed(seed) {
  const split = stratifiedSplit(all.y, { testFraction: cfg.valFraction, seed });
  const part = (idx) => ({ X: takeRows(all.X, idx), y: takeLabels(all.y, idx) });
  const tr = part(split.train);
  const va = part(split.test);
  const model = MpsModel.create({ sites: 196, physDim, bondDim: cfg.bondDim, outputDim: 10, outputSite: cfg.outputSite, init: initializerFromSpec(parseInitializer(cfg.init)), seed, dtype: cfg.dtype });
  const steps = cfg.epochs * Math.ceil(split.train.length / cfg.batchSize);
  const lr = cfg.schedule === 'cosine' ? cosineDecay(cfg.lr, { totalSteps: steps, minLr: cfg.lr / 100 }) : cfg.lr;
  const t0 = performance.now();
  const result = train(supervisedProblem(model), productStateSource(tr.X, embedding, { labels: tr.y }), {
    epochs: cfg.epochs, batchSize: cfg.batchSize, seed, optimizer: adam({ lr }), dtype: cfg.dtype,
    validation: productStateSource(va.X, embedding, { labels: va.y }), monitor: cfg.monitor,
    ...(cfg.patience > 0 ? { patience: cfg.patience } : {}),
    onEpoch: ({ epoch, record }) => void process.stderr.write(`  seed ${seed} epoch ${epoch}: loss ${record.loss.toFixed(4)} val_loss ${record.val_loss.toFixed(4)} val_acc ${record.val_accuracy.toFixed(4)} ${record.seconds.toFixed(1)} s\n`),
  });
  const trained = model.withParams(result.params);
  const out = {
    seed, test_accuracy: accuracy(trained, test.X, test.y), val_accuracy: accuracy(trained, va.X, va.y),
    train_accuracy: accuracy(trained, tr.X, tr.y), epochs: result.epochs, best_epoch: result.bestEpoch,
    stop_reason: result.stopReason, seconds_per_epoch: result.secondsPerEpoch, wall_seconds: (performance.now() - t0) / 1000,
    samples: { train: split.train.length, validation: split.test.length, test: test.y.length },
  };
  process.stderr.write(JSON.stringify(out) + '\n');
  return out;
}

const runs = cfg.seeds.map(runSeed);
const stats = (xs) => { const m = xs.reduce((a, b) => a + b, 0) / xs.length; return { mean: m, std: xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1)) : 0 }; };
console.log(JSON.stringify({
  config: cfg, backend: getKernel().name,
  test_accuracy: stats(runs.map((r) => r.test_accuracy)), seconds_per_epoch: stats(runs.map((r) => r.seconds_per_epoch)), runs,
}));
