import { describe, expect, it } from 'vitest';
import { checkGradient } from '../../autodiff/index.js';
import { einsum } from '../../einsum/einsum.js';
import { Random } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { randomNormal } from '../init/initializers.js';
import { smpoAnomalyLoss, smpoAnomalyScores } from '../losses/anomaly.js';
import { decodeModel, decodeModelWith, encodeModel } from '../model-file.js';
import { SmpoModel, smpoBonds } from './smpo-model.js';

/** A random product-state batch [batch, sites, d] with unit site vectors. */
function productStates(rng: Random, batch: number, sites: number, d: number): Tensor {
  const data = new Float64Array(batch * sites * d);
  for (let i = 0; i < batch * sites; i++) {
    let n = 0;
    for (let j = 0; j < d; j++) {
      data[i * d + j] = rng.normal();
      n += data[i * d + j]! ** 2;
    }
    for (let j = 0; j < d; j++) data[i * d + j] = data[i * d + j]! / Math.sqrt(n);
  }
  return new Tensor(data, [batch, sites, d]);
}

/** ‖P·φ‖² by building the dense operator output vector of one sample (tiny sizes only). */
function denseNormSquared(model: SmpoModel, x: Tensor, b: number): number {
  // Contract the chain site by site keeping all output legs: state [outputs…, r].
  let state = new Tensor(Float64Array.of(1), [1, 1]); // [outs, bond]
  for (let s = 0; s < model.sites; s++) {
    const phi = x.slice(b, s).contiguous();
    const core = model.params[s]!;
    if (model.hasOutput(s)) {
      const t = einsum('al,lpor,p->aor', state, core, phi);
      state = t.reshape(t.shape[0]! * t.shape[1]!, t.shape[2]!);
    } else {
      state = einsum('al,lpr,p->ar', state, core, phi);
    }
  }
  return Array.from(state.toTypedArray()).reduce((acc, v) => acc + v * v, 0);
}

describe('SmpoModel', () => {
  it('bond dimensions never exceed χ nor the operator space on either side', () => {
    const rng = new Random(3);
    for (let trial = 0; trial < 20; trial++) {
      const sites = 2 + rng.int(30);
      const spacing = 1 + rng.int(6);
      const chi = 1 + rng.int(12);
      const bonds = smpoBonds(sites, 2, 2, spacing, chi);
      expect(bonds[0]).toBe(1);
      expect(bonds[sites]).toBe(1);
      for (let k = 1; k < sites; k++) {
        expect(bonds[k]).toBeLessThanOrEqual(chi);
        expect(bonds[k]).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it('puts output legs on sites 0, S, 2S, … and starts with unit Frobenius norm', () => {
    const model = SmpoModel.create({ sites: 13, physDim: 2, spacing: 4, bondDim: 5, seed: 1 });
    model.params.forEach((c, s) => expect(c.ndim).toBe(s % 4 === 0 ? 4 : 3));
    expect(model.logFrobeniusNormSquared(model.params).value.item()).toBeCloseTo(0, 10);
  });

  it('ln ‖P·φ‖² matches a dense contraction on random small chains', () => {
    const rng = new Random(7);
    for (let trial = 0; trial < 6; trial++) {
      const sites = 2 + rng.int(7);
      const spacing = 1 + rng.int(4);
      const model = SmpoModel.create({ sites, physDim: 2, spacing, bondDim: 1 + rng.int(4), seed: trial, init: randomNormal(1) });
      const x = productStates(rng, 3, sites, 2);
      const got = model.logNormSquared(model.params, x).value.toTypedArray();
      for (let b = 0; b < 3; b++) expect(got[b]).toBeCloseTo(Math.log(denseNormSquared(model, x, b)), 9);
    }
  });

  it('stays finite on a 196-site chain (per-site rescaling)', () => {
    const model = SmpoModel.create({ sites: 196, physDim: 2, spacing: 8, bondDim: 4, seed: 2 });
    const x = productStates(new Random(1), 4, 196, 2);
    const v = model.logNormSquared(model.params, x).value.toTypedArray();
    for (const e of v) expect(Number.isFinite(e)).toBe(true);
  });

  it('the anomaly loss has the gradient finite differences give', () => {
    const rng = new Random(11);
    const model = SmpoModel.create({ sites: 5, physDim: 2, spacing: 2, bondDim: 3, seed: 4, init: randomNormal(1) });
    const x = productStates(rng, 4, 5, 2);
    // Scale the operator up so ReLU(ln ‖P‖_F²) is active and its gradient checked too.
    const params = model.params.map((c) => scaled(c, 1.5));
    const check = checkGradient((...p) => smpoAnomalyLoss(model, p, x), params);
    expect(check.relativeError).toBeLessThan(1e-5);
  });

  it('save → load through the model file gives bit-identical anomaly scores (f64 and f32, random chains)', () => {
    const rng = new Random(21);
    for (let trial = 0; trial < 6; trial++) {
      const dtype = trial % 2 === 0 ? 'f64' : 'f32';
      const sites = 2 + rng.int(10);
      const spacing = 1 + rng.int(5);
      const model = SmpoModel.create({ sites, physDim: 2, spacing, bondDim: 1 + rng.int(5), seed: trial, dtype, init: randomNormal(1) });
      const file = decodeModelWith(encodeModel({ model, metadata: { trial } }), SmpoModel.fromSpec, 'mem');
      expect(file.model).toBeInstanceOf(SmpoModel);
      expect(file.model.toSpec()).toEqual(model.toSpec());
      expect(file.metadata).toEqual({ trial });
      const x = productStates(rng, 5, sites, 2);
      const xs = dtype === 'f32' ? x.astype('f32') : x;
      expect(Array.from(smpoAnomalyScores(file.model, xs, { batchSize: 2 }))).toEqual(Array.from(smpoAnomalyScores(model, xs, { batchSize: 2 })));
      file.model.params.forEach((c, k) => {
        expect(c.dtype).toBe(dtype);
        expect(Array.from(c.toTypedArray())).toEqual(Array.from(model.params[k]!.toTypedArray()));
      });
    }
  });

  it('fromSpec rejects a spec that disagrees with the cores; the supervised decoder rejects an SMPO file', () => {
    const model = SmpoModel.create({ sites: 6, physDim: 2, spacing: 3, bondDim: 2 });
    expect(() => SmpoModel.fromSpec({ ...model.toSpec(), sites: 7 }, model.params)).toThrow(/'sites' is 7 but the cores give 6/);
    expect(() => SmpoModel.fromSpec({ ...model.toSpec(), kind: 'mps' }, model.params)).toThrow(/expected kind 'smpo'/);
    expect(() => SmpoModel.fromSpec({ ...model.toSpec(), spacing: 2 }, model.params)).toThrow(/axes/);
    expect(() => decodeModel(encodeModel({ model }), 'f.tnk')).toThrow(/f\.tnk: metadata\.tnkit_model\.model: .*unknown kind 'smpo'/);
  });

  it('normalized() rescales any operator to unit Frobenius norm, spread evenly over the cores', () => {
    const rng = new Random(5);
    for (let trial = 0; trial < 5; trial++) {
      const sites = 2 + rng.int(20);
      const model = SmpoModel.create({ sites, physDim: 2, spacing: 1 + rng.int(6), bondDim: 1 + rng.int(5), seed: trial });
      const f = 0.2 + 3 * rng.uniform();
      const grown = model.withParams(model.params.map((c) => scaled(c, f)));
      expect(grown.logFrobeniusNormSquared(grown.params).value.item()).toBeCloseTo(2 * sites * Math.log(f), 8);
      const unit = grown.normalized();
      expect(unit.logFrobeniusNormSquared(unit.params).value.item()).toBeCloseTo(0, 10);
      // Each core shrinks by the same factor: back to the unit-norm cores create() made.
      unit.params.forEach((c, k) => Array.from(c.toTypedArray()).forEach((v, i) => expect(v).toBeCloseTo(model.params[k]!.toTypedArray()[i]!, 10)));
    }
  });

  it('rejects bad shapes and options with clear errors', () => {
    expect(() => SmpoModel.create({ sites: 0, physDim: 2, spacing: 2, bondDim: 2 })).toThrow(/sites/);
    expect(() => SmpoModel.create({ sites: 4, physDim: 2, spacing: 0, bondDim: 2 })).toThrow(/spacing/);
    const model = SmpoModel.create({ sites: 4, physDim: 2, spacing: 2, bondDim: 2 });
    expect(() => model.logNormSquared(model.params, new Tensor(new Float64Array(12), [2, 3, 2]))).toThrow(/sites/);
    expect(() => SmpoModel.fromCores(model.params, 3)).toThrow(/axes/);
  });
});

function scaled(t: Tensor, f: number): Tensor {
  const out = t.contiguous().copy();
  for (let i = 0; i < out.data.length; i++) out.data[i] = out.data[i]! * f;
  return out;
}
