import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adam, sqrt, sum, type Var } from '../../autodiff/index.js';
import { rand, tensor } from '../../tensor/create.js';
import { Random } from '../../tensor/random.js';
import { unary } from '../../tensor/elementwise.js';
import { norm } from '../../tensor/reduce.js';
import type { Tensor } from '../../tensor/tensor.js';
import { polynomial } from '../embeddings/polynomial.js';
import { identityPlusNoise } from '../init/initializers.js';
import { decodeModel, encodeModel, loadModel, predict, saveModel } from '../model-file.js';
import { MpsModel } from '../models/mps-model.js';
import { historyToCsv } from './history.js';
import { productStateSource, supervisedProblem } from './supervised.js';
import { NonFiniteTrainingError, train, type TrainerCheckpoint } from './trainer.js';

/** Two classes separated by the sign of x0 − x1 (features in [0, 1]). */
function toyData(n: number, seed: number): { X: Tensor; y: Int32Array } {
  const rng = new Random(seed);
  const X = rand([n, 4], { rng });
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (Math.abs(X.get(i, 0) - X.get(i, 1)) < 0.15) X.setInPlace(X.get(i, 1) + 0.3 * (rng.uniform() < 0.5 ? -1 : 1), i, 0);
    y[i] = X.get(i, 0) > X.get(i, 1) ? 1 : 0;
  }
  return { X, y };
}

const emb = polynomial({ degree: 1, bias: true });

function setup(seed = 0) {
  const tr = toyData(64, 1 + seed);
  const va = toyData(32, 100 + seed);
  const model = MpsModel.create({ sites: 4, physDim: 2, bondDim: 4, outputDim: 2, init: identityPlusNoise(0.1), seed });
  return { model, train: productStateSource(tr.X, emb, { labels: tr.y }), val: productStateSource(va.X, emb, { labels: va.y }), tr, va };
}

describe('gradient trainer', () => {
  it('an MPS classifier learns a separable toy problem to 100% training accuracy', () => {
    const { model, train: data, tr } = setup();
    const res = train(supervisedProblem(model), data, { epochs: 150, batchSize: 16, optimizer: adam({ lr: 0.05 }), evaluateTrain: true, monitor: 'accuracy', patience: 150 });
    const scores = predict(model.withParams(res.params), emb.embed(tr.X));
    let hits = 0;
    for (let i = 0; i < tr.y.length; i++) if ((scores.get(i, 1) > scores.get(i, 0) ? 1 : 0) === tr.y[i]) hits++;
    expect(hits).toBe(tr.y.length);
    expect(res.history.length).toBeGreaterThan(0);
    expect(historyToCsv(res.history).split('\n')[0]).toMatch(/^epoch,loss,accuracy,seconds/);
  });

  it('early stopping restores a copy of the best weights when the monitored metric gets worse', () => {
    const { model, train: data, va } = setup();
    // Validation labels flipped: the better the model learns, the worse val_accuracy gets.
    const flipped = productStateSource(va.X, emb, { labels: va.y.map((v) => 1 - v) });
    const seen = new Map<number, Tensor[]>();
    const res = train(supervisedProblem(model), data, {
      epochs: 40, batchSize: 16, optimizer: adam({ lr: 0.05 }), validation: flipped, monitor: 'val_accuracy', patience: 5,
      onEpoch: ({ epoch, params }) => void seen.set(epoch, params.map((p) => p.copy())),
    });
    expect(res.stopReason).toBe('early-stopping');
    const last = res.history.at(-1)!;
    expect(res.bestEpoch).toBeLessThan(last.epoch);
    const bestRecord = res.history.find((r) => r.epoch === res.bestEpoch)!;
    expect(bestRecord['val_accuracy']).toBeGreaterThan(last['val_accuracy']!);
    const expected = seen.get(res.bestEpoch)!;
    res.params.forEach((p, k) => expect(Array.from(p.toTypedArray())).toEqual(Array.from(expected[k]!.toTypedArray())));
    // A copy, not the tensor the callback saw.
    expect(res.params[0]).not.toBe(expected[0]);
  });

  it('the NaN guard names the epoch and the core', () => {
    const params = [tensor([1, 2]), tensor([0.5, 0.25])];
    const data = { size: 8, batch: (idx: Int32Array) => idx.length };
    // sqrt(p1) with p1 driven below zero by a large step: core 1 turns NaN in epoch ≥ 1.
    const problem = { params, loss: (p: readonly Var[]) => sum(sqrt(p[1]!)) };
    let error: unknown;
    try {
      train(problem, data, { epochs: 5, batchSize: 4, optimizer: adam({ lr: 1 }) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NonFiniteTrainingError);
    expect((error as NonFiniteTrainingError).core).toBe(1);
    expect((error as Error).message).toMatch(/epoch \d+, batch \d+: non-finite gradient of core 1/);
  });

  it('afterStep maps the parameters after every optimizer step (once per batch), and its output is what training continues from', () => {
    for (const seed of [0, 1, 2]) {
      const { model, train: data } = setup(seed);
      const rng = new Random(50 + seed);
      const epochs = 1 + rng.int(3);
      const batchSize = 5 + rng.int(20);
      let calls = 0;
      const unit = (ps: Tensor[]): Tensor[] => {
        calls++;
        return ps.map((p) => unary(p, (v) => v / norm(p)));
      };
      const res = train(supervisedProblem(model), data, { epochs, batchSize, seed, optimizer: adam({ lr: 0.05 }), afterStep: unit, restoreBest: false });
      expect(calls).toBe(epochs * Math.ceil(data.size / batchSize));
      for (const p of res.params) expect(norm(p)).toBeCloseTo(1, 12);
      // Without the hook the cores drift away from unit norm.
      const plain = train(supervisedProblem(model), data, { epochs, batchSize, seed, optimizer: adam({ lr: 0.05 }), restoreBest: false });
      expect(plain.params.some((p) => Math.abs(norm(p) - 1) > 1e-6)).toBe(true);
    }
  });

  it('afterStep may not change the number or shapes of the parameters', () => {
    const { model, train: data } = setup();
    expect(() => train(supervisedProblem(model), data, { epochs: 1, batchSize: 16, afterStep: (ps) => ps.slice(1) })).toThrow(/afterStep must return \d+ tensors/);
    expect(() => train(supervisedProblem(model), data, { epochs: 1, batchSize: 16, afterStep: (ps) => ps.map((p, k) => (k === 2 ? p.reshape(-1) : p)) })).toThrow(/afterStep changed the shape of parameter 2/);
  });

  it('checkpoint → resume (through the model file) gives the same final weights as an uninterrupted run', () => {
    const { model, train: data, val } = setup(3);
    const options = { epochs: 8, batchSize: 16, seed: 7, validation: val, patience: 20 };
    const full = train(supervisedProblem(model), data, { ...options, optimizer: adam({ lr: 0.02 }) });
    const dir = mkdtempSync(join(tmpdir(), 'tnkit-train-'));
    let saved: TrainerCheckpoint | undefined;
    train(supervisedProblem(model), data, {
      ...options, epochs: 5, optimizer: adam({ lr: 0.02 }), checkpointEvery: 5,
      onCheckpoint: (cp) => {
        saveModel(join(dir, 'cp.tnk'), { model: model.withParams(cp.params), embedding: emb, checkpoint: cp });
        saved = cp;
      },
    });
    expect(saved?.epoch).toBe(5);
    const loaded = loadModel(join(dir, 'cp.tnk')).checkpoint!;
    const resumed = train(supervisedProblem(model), data, { ...options, optimizer: adam({ lr: 0.02 }), resume: loaded });
    expect(resumed.history.length).toBe(full.history.length);
    resumed.params.forEach((p, k) => expect(Array.from(p.toTypedArray())).toEqual(Array.from(full.params[k]!.toTypedArray())));
  });
});

describe('in-place optimizer steps', () => {
  it('give the same weights, history and state as the pure update, and what the trainer hands out is never changed afterwards', () => {
    for (const seed of [0, 1, 2]) {
      const { model, train: data, val } = setup(seed);
      const rng = new Random(900 + seed);
      const options = { epochs: 2 + rng.int(3), batchSize: 5 + rng.int(20), seed, validation: val, restoreBest: false };
      const opt = adam({ lr: 0.03, weightDecay: 0.01 * rng.uniform() });
      // The same optimizer without updateInPlace/copyState forces the pure path.
      const pureOpt = { init: opt.init, update: opt.update };
      const seen: { epoch: number; params: Tensor[]; snapshot: number[][] }[] = [];
      const checkpoints: { cp: TrainerCheckpoint; snapshot: number[][] }[] = [];
      const flat = (ts: readonly Tensor[]): number[][] => ts.map((t) => Array.from(t.toTypedArray()));
      const fast = train(supervisedProblem(model), data, {
        ...options, optimizer: opt,
        onEpoch: ({ epoch, params }) => void seen.push({ epoch, params: [...params], snapshot: flat(params) }),
        checkpointEvery: 1,
        onCheckpoint: (cp) => {
          const st = cp.optimizerState as { m: Tensor[]; v: Tensor[] };
          checkpoints.push({ cp, snapshot: [...flat(cp.params), ...flat(st.m), ...flat(st.v)] });
        },
      });
      const pure = train(supervisedProblem(model), data, { ...options, optimizer: pureOpt });
      expect(fast.history.map((r) => r['loss'])).toEqual(pure.history.map((r) => r['loss']));
      expect(flat(fast.params)).toEqual(flat(pure.params));
      const fs = fast.optimizerState as { step: number; m: Tensor[]; v: Tensor[] };
      const ps = pure.optimizerState as { step: number; m: Tensor[]; v: Tensor[] };
      expect(fs.step).toBe(ps.step);
      expect(flat(fs.m)).toEqual(flat(ps.m));
      expect(flat(fs.v)).toEqual(flat(ps.v));
      for (const s of seen) expect(flat(s.params)).toEqual(s.snapshot);
      for (const c of checkpoints) {
        const st = c.cp.optimizerState as { m: Tensor[]; v: Tensor[] };
        expect([...flat(c.cp.params), ...flat(st.m), ...flat(st.v)]).toEqual(c.snapshot);
      }
      // The model's own cores are never written.
      expect(flat(model.params)).toEqual(flat(setup(seed).model.params));
    }
  });

  it('resuming from an in-memory checkpoint leaves the checkpoint as it was', () => {
    const { model, train: data } = setup(4);
    let saved: TrainerCheckpoint | undefined;
    train(supervisedProblem(model), data, { epochs: 2, batchSize: 16, optimizer: adam({ lr: 0.02 }), checkpointEvery: 2, onCheckpoint: (cp) => {
      saved = cp;
    } });
    const st = saved!.optimizerState as { m: Tensor[] };
    const before = [...saved!.params, ...st.m].map((t) => Array.from(t.toTypedArray()));
    const first = train(supervisedProblem(model), data, { epochs: 4, batchSize: 16, optimizer: adam({ lr: 0.02 }), resume: saved! });
    expect([...saved!.params, ...st.m].map((t) => Array.from(t.toTypedArray()))).toEqual(before);
    const second = train(supervisedProblem(model), data, { epochs: 4, batchSize: 16, optimizer: adam({ lr: 0.02 }), resume: saved! });
    second.params.forEach((p, k) => expect(Array.from(p.toTypedArray())).toEqual(Array.from(first.params[k]!.toTypedArray())));
  });
});

describe('model file', () => {
  it('save → load → predict is bit-identical (f64 and f32) and keeps embedding, history and metadata', () => {
    for (const dtype of ['f64', 'f32'] as const) {
      const model = MpsModel.create({ sites: 5, physDim: 3, bondDim: 4, outputDim: 3, outputSite: 2, seed: 4, dtype });
      const e = polynomial({ degree: 2, bias: true });
      const x = e.embed(rand([6, 5], { seed: 1 }), { dtype });
      const bytes = encodeModel({ model, embedding: e, history: [{ epoch: 1, loss: 0.5 }], metadata: { note: 'x' } });
      const back = decodeModel(bytes, 'mem');
      expect(Array.from(predict(back.model, x).toTypedArray())).toEqual(Array.from(predict(model, x).toTypedArray()));
      expect(back.embedding?.toJSON()).toEqual(e.toJSON());
      expect(back.history).toEqual([{ epoch: 1, loss: 0.5 }]);
      expect(back.metadata).toEqual({ note: 'x' });
    }
  });

  it('errors name the bad field', () => {
    const model = MpsModel.create({ sites: 3, physDim: 2, bondDim: 2, outputDim: 2 });
    const text = (f: (meta: Record<string, unknown>) => void): Uint8Array => patch(encodeModel({ model }), f);
    expect(() => decodeModel(text((m) => (m['version'] = 9)), 'f.tnk')).toThrow(/f\.tnk: metadata\.tnkit_model\.version/);
    expect(() => decodeModel(text((m) => ((m['model'] as Record<string, unknown>)['kind'] = 'blob')), 'f.tnk')).toThrow(/metadata\.tnkit_model\.model: .*unknown kind 'blob'/);
    expect(() => decodeModel(text((m) => (m['embedding'] = { type: 'nope' })), 'f.tnk')).toThrow(/metadata\.tnkit_model\.embedding/);
  });
});

/** Rewrites the model metadata of a network file's JSON header (re-encoding the whole file). */
function patch(bytes: Uint8Array, f: (meta: Record<string, unknown>) => void): Uint8Array {
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(8, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + headerLength))) as { metadata: { tnkit_model: Record<string, unknown> } };
  f(header.metadata.tnkit_model);
  const text = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil((16 + text.length) / 8) * 8 - 16;
  const out = new Uint8Array(16 + padded + (bytes.length - 16 - headerLength));
  out.set(bytes.subarray(0, 8));
  new DataView(out.buffer).setBigUint64(8, BigInt(padded), true);
  out.fill(0x20, 16, 16 + padded);
  out.set(text, 16);
  out.set(bytes.subarray(16 + headerLength), 16 + padded);
  return out;
}
