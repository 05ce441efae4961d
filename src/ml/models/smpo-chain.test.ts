import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../test/helpers/backends.js';
import { checkGradient, einsum as adEinsum, mul, constant, sum, valueAndGrad } from '../../autodiff/index.js';
import { einsum } from '../../einsum/einsum.js';
import type { DType } from '../../tensor/dtype.js';
import { Random } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { randomNormal } from '../init/initializers.js';
import { smpoAnomalyLoss } from '../losses/anomaly.js';
import { rescaleRows } from './rescale.js';
import { doubleLayerLeftStep, doubleLayerRightStep, DoubleChainWorkspacePool, rescaledEnvironment, smpoChainLogFrobeniusSquared, smpoChainLogNormSquared } from './smpo-chain.js';
import { SmpoModel, type DoubleEnvironment } from './smpo-model.js';

/** A random product-state batch [batch, sites, d] (unnormalised, so scales vary by sample). */
function productStates(rng: Random, batch: number, sites: number, d: number, dtype: DType = 'f64'): Tensor {
  const data = new Float64Array(batch * sites * d);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return new Tensor(data, [batch, sites, d]).astype(dtype);
}

function randomWeights(rng: Random, n: number, dtype: DType): Tensor {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = rng.normal();
  return new Tensor(w, [n]).astype(dtype);
}

/** Max |a − b| / (max |b| + tiny): a relative error over a whole array. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 1e-300;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / scale;
}

/** Random SMPOs with output legs at the first, last and middle sites (and everywhere, and only at 0). */
function randomModels(rng: Random, dtype: DType): SmpoModel[] {
  const layouts: [number, number][] = [[7, 3], [5, 1], [6, 10], [9, 4], [2, 1], [1, 1], [8, 2]];
  return layouts.map(([sites, spacing], k) => SmpoModel.create({
    sites, physDim: 2 + (k % 2), outputDim: 1 + (k % 3), spacing, bondDim: 1 + rng.int(5), seed: k, dtype, init: randomNormal(0.7),
  }));
}

describeEachBackend('smpoChainLogNormSquared', () => {
  it('equals the einsum chain in value and gradient (f64, output legs first/last/middle, several batch sizes)', () => {
    const rng = new Random(1);
    for (const model of randomModels(rng, 'f64')) {
      for (const batch of [1, 3, 8]) {
        const x = productStates(rng, batch, model.sites, model.physDim);
        const w = randomWeights(rng, batch, 'f64');
        const fused = valueAndGrad((...p) => sum(mul(model.logNormSquared(p, x), constant(w))), model.params);
        const ref = valueAndGrad((...p) => sum(mul(model.logNormSquaredByEinsum(p, x), constant(w))), model.params);
        expect(model.logNormSquared(model.params, x).dtype).toBe('f64');
        expect(relErr(model.logNormSquared(model.params, x).value.toTypedArray(), model.logNormSquaredByEinsum(model.params, x).value.toTypedArray())).toBeLessThan(1e-12);
        expect(Math.abs(fused.value - ref.value)).toBeLessThan(1e-11 * (1 + Math.abs(ref.value)));
        fused.grads.forEach((g, s) => {
          expect(g.shape).toEqual(model.params[s]!.shape);
          expect(relErr(g.toTypedArray(), ref.grads[s]!.toTypedArray())).toBeLessThan(1e-9);
        });
      }
    }
  });

  it('in f32 is as close to the f64 result as the f32 einsum chain is (value and gradient)', () => {
    const rng = new Random(2);
    for (const model of randomModels(rng, 'f32')) {
      const m64 = model.withParams(model.params.map((c) => c.astype('f64')));
      for (const batch of [1, 3, 8]) {
        const x = productStates(rng, batch, model.sites, model.physDim);
        const x32 = x.astype('f32');
        const w = randomWeights(rng, batch, 'f64');
        const w32 = w.astype('f32');
        const fused = valueAndGrad((...p) => sum(mul(model.logNormSquared(p, x32), constant(w32))), model.params);
        const ein = valueAndGrad((...p) => sum(mul(model.logNormSquaredByEinsum(p, x32), constant(w32))), model.params);
        const ref = valueAndGrad((...p) => sum(mul(m64.logNormSquaredByEinsum(p, x), constant(w))), m64.params);
        expect(model.logNormSquared(model.params, x32).dtype).toBe('f32');
        const refLogs = m64.logNormSquaredByEinsum(m64.params, x).value.toTypedArray();
        // The floor is a few f32 roundings per site: on the ts backend the f32 einsum chain accumulates in double,
        // so its own error can be far below what a chain of f32 products (the fused one) reaches.
        const floor = Math.max(1e-6, 4 * (model.sites + 1) * 2 ** -23);
        expect(relErr(model.logNormSquared(model.params, x32).value.toTypedArray(), refLogs)).toBeLessThan(2 * relErr(model.logNormSquaredByEinsum(model.params, x32).value.toTypedArray(), refLogs) + floor);
        fused.grads.forEach((g) => expect(g.dtype).toBe('f32'));
        const flat = (grads: readonly Tensor[]): number[] => grads.flatMap((g) => Array.from(g.toTypedArray()));
        const want = flat(ref.grads);
        // Near-zero norms make some samples ill-conditioned: judge against what the einsum chain achieves in f32.
        expect(relErr(flat(fused.grads), want)).toBeLessThan(3 * relErr(flat(ein.grads), want) + 1e-5);
      }
    }
  });

  for (const dtype of ['f64', 'f32'] as const) {
    const tol = dtype === 'f64' ? 1e-10 : 2e-4;
    it(`ln ‖P‖_F² equals the einsum chain in value and gradient (${dtype})`, () => {
      const rng = new Random(dtype === 'f64' ? 3 : 4);
      for (const model of randomModels(rng, dtype)) {
        const params = model.params.map((c) => scaled(c, 0.5 + rng.uniform()));
        const fused = valueAndGrad((...p) => model.logFrobeniusNormSquared(p), params);
        const ref = valueAndGrad((...p) => model.logFrobeniusNormSquaredByEinsum(p), params);
        expect(model.logFrobeniusNormSquared(params).shape).toEqual([]);
        expect(Math.abs(fused.value - ref.value)).toBeLessThan(tol * (1 + Math.abs(ref.value)));
        fused.grads.forEach((g, s) => expect(relErr(g.toTypedArray(), ref.grads[s]!.toTypedArray())).toBeLessThan(tol * 10));
      }
    });
  }

  it('the anomaly loss through the fused chains has the gradient finite differences give', () => {
    const rng = new Random(5);
    for (const [sites, spacing] of [[6, 5], [5, 2], [4, 1]] as const) {
      const model = SmpoModel.create({ sites, physDim: 2, spacing, bondDim: 3, seed: sites, init: randomNormal(1) });
      const x = productStates(rng, 4, sites, 2);
      // Scaled up so ReLU(ln ‖P‖_F²) is active and the Frobenius chain's gradient is checked too.
      const params = model.params.map((c) => scaled(c, 1.5));
      expect(model.logFrobeniusNormSquared(params).value.item()).toBeGreaterThan(0);
      const check = checkGradient((...p) => smpoAnomalyLoss(model, p, x), params);
      expect(check.relativeError).toBeLessThan(1e-5);
    }
  });

  it('a 196-site chain stays finite in value and gradient, f64 and f32, and matches the einsum chain', () => {
    for (const dtype of ['f64', 'f32'] as const) {
      const model = SmpoModel.create({ sites: 196, physDim: 2, spacing: 8, bondDim: 6, seed: 2, dtype });
      const x = productStates(new Random(1), 5, 196, 2, dtype);
      const fused = valueAndGrad((...p) => smpoAnomalyLoss(model, p, x), model.params);
      const ref = valueAndGrad((...p) => smpoAnomalyLoss(model, p, x), model.params.map((c) => c.astype('f64')));
      expect(Number.isFinite(fused.value)).toBe(true);
      for (const g of fused.grads) for (const v of g.toTypedArray()) expect(Number.isFinite(v)).toBe(true);
      const logs = model.logNormSquared(model.params, x).value.toTypedArray();
      const refLogs = model.logNormSquaredByEinsum(model.params, x).value.toTypedArray();
      expect(relErr(logs, refLogs)).toBeLessThan(dtype === 'f64' ? 1e-11 : 1e-4);
      expect(Math.abs(fused.value - ref.value)).toBeLessThan(dtype === 'f64' ? 1e-9 : 1e-2 * Math.abs(ref.value));
    }
  });

  it('reusing the work buffers across calls and batch sizes, with and without a tape, gives bit-identical results', () => {
    const rng = new Random(8);
    const model = SmpoModel.create({ sites: 9, physDim: 2, spacing: 4, bondDim: 4, seed: 1, init: randomNormal(0.8) });
    const xa = productStates(rng, 6, 9, 2);
    const xb = productStates(rng, 2, 9, 2);
    const run = (x: Tensor): number[][] => valueAndGrad((...p) => smpoAnomalyLoss(model, p, x), model.params).grads.map((g) => Array.from(g.toTypedArray()));
    const first = run(xa);
    run(xb);
    model.logNormSquared(model.params, xb);
    expect(run(xa)).toEqual(first);
    // Constant cores take the forward-only path (two environment buffers in turn): same values as the taped one.
    let taped: number[] = [];
    valueAndGrad((...p) => {
      const v = model.logNormSquared(p, xa);
      taped = Array.from(v.value.toTypedArray());
      return sum(v);
    }, model.params);
    expect(Array.from(model.logNormSquared(model.params, xa).value.toTypedArray())).toEqual(taped);
  });

  it('rejects mismatched cores and inputs by name', () => {
    const model = SmpoModel.create({ sites: 4, physDim: 2, spacing: 2, bondDim: 2 });
    const pool = new DoubleChainWorkspacePool();
    const x = productStates(new Random(1), 2, 4, 2);
    expect(() => smpoChainLogNormSquared(model.params, productStates(new Random(1), 2, 3, 2), pool)).toThrow(/\[batch, 4, 2\]/);
    expect(() => smpoChainLogNormSquared([model.params[0]!, model.params[0]!, ...model.params.slice(2)], x, pool)).toThrow(/left bond/);
    expect(() => smpoChainLogFrobeniusSquared([model.params[0]!.astype('f32'), ...model.params.slice(1)], pool)).toThrow(/core 1 is f64 but core 0 is f32/);
    expect(() => smpoChainLogFrobeniusSquared(model.params.slice(0, 3), pool)).toThrow(/boundary bonds/);
  });
});

describeEachBackend('doubleLayerLeftStep / doubleLayerRightStep', () => {
  it('equal the einsum environment steps (data and operator layers, with and without output legs)', () => {
    const rng = new Random(9);
    for (let trial = 0; trial < 8; trial++) {
      const [l, d, o, r, n] = [1 + rng.int(4), 2 + rng.int(2), 1 + rng.int(3), 1 + rng.int(4), 1 + rng.int(4)];
      const withOut = trial % 2 === 0;
      const core = normal(rng, withOut ? [l, d, o, r] : [l, d, r]);
      const phi = normal(rng, [n, d]);
      const envL = normal(rng, [n, l, l]);
      const envR = normal(rng, [n, r, r]);
      const oo = withOut ? 'o' : '';
      const left = einsum(`blm,lp${oo}r,bp,mq${oo}s,bq->brs`, envL, core, phi, core, phi);
      const right = einsum(`lp${oo}r,bp,mq${oo}s,bq,brs->blm`, core, phi, core, phi, envR);
      expect(relErr(doubleLayerLeftStep(envL, core, phi).toTypedArray(), left.toTypedArray())).toBeLessThan(1e-13);
      expect(relErr(doubleLayerRightStep(envR, core, phi).toTypedArray(), right.toTypedArray())).toBeLessThan(1e-13);
      const fl = normal(rng, [1, l, l]);
      const fr = normal(rng, [1, r, r]);
      const opLeft = einsum(`blm,lp${oo}r,mp${oo}s->brs`, fl, core, core);
      const opRight = einsum(`lp${oo}r,mp${oo}s,brs->blm`, core, core, fr);
      expect(relErr(doubleLayerLeftStep(fl, core, null).toTypedArray(), opLeft.toTypedArray())).toBeLessThan(1e-13);
      expect(relErr(doubleLayerRightStep(fr, core, null).toTypedArray(), opRight.toTypedArray())).toBeLessThan(1e-13);
    }
  });

  it('the model environment steps rebuild the fused chain value from both ends', () => {
    const rng = new Random(10);
    const model = SmpoModel.create({ sites: 7, physDim: 2, spacing: 3, bondDim: 3, seed: 3, init: randomNormal(0.8) });
    const x = productStates(rng, 3, 7, 2);
    const xs = Array.from({ length: 7 }, (_, s) => x.slice(null, s).contiguous());
    let left: DoubleEnvironment = { value: ones([3, 1, 1]), scale: new Float64Array(3) };
    let right: DoubleEnvironment = { value: ones([3, 1, 1]), scale: new Float64Array(3) };
    for (let s = 0; s < 4; s++) left = model.leftEnvironmentStep(left, model.params[s]!, xs[s]!, s);
    for (let s = 6; s >= 4; s--) right = model.rightEnvironmentStep(right, model.params[s]!, xs[s]!, s);
    const joined = adEinsum('blm,blm->b', left.value, right.value).value.toTypedArray();
    const want = model.logNormSquared(model.params, x).value.toTypedArray();
    for (let b = 0; b < 3; b++) expect(Math.log(joined[b]!) + (left.scale[b]! + right.scale[b]!) * Math.LN2).toBeCloseTo(want[b]!, 10);
  });

  it('rescaledEnvironment rescales exactly as rescaleRows does (f64 and f32, zero rows, wide ranges)', () => {
    const rng = new Random(12);
    for (let trial = 0; trial < 10; trial++) {
      const dtype = trial % 2 === 0 ? 'f64' : 'f32';
      const [n, w] = [1 + rng.int(5), 1 + rng.int(4)];
      const data = new Float64Array(n * w * w);
      for (let b = 0; b < n; b++) {
        const mag = b === 0 && trial % 3 === 0 ? 0 : 2 ** (rng.int(60) - 30);
        for (let i = 0; i < w * w; i++) data[b * w * w + i] = mag * rng.normal();
      }
      const env = new Tensor(data, [n, w, w]).astype(dtype);
      const scale = Float64Array.from({ length: n }, () => rng.int(20) - 10);
      const wantScale = Float64Array.from(scale);
      const want = rescaleRows(constant(env.copy()), wantScale).value;
      const got = rescaledEnvironment(env.copy(), scale);
      expect(Array.from(got.value.toTypedArray())).toEqual(Array.from(want.toTypedArray()));
      expect(Array.from(got.scale)).toEqual(Array.from(wantScale));
    }
  });

  it('reject an environment of the wrong size or a φ of the wrong batch', () => {
    const core = normal(new Random(1), [2, 2, 3]);
    expect(() => doubleLayerLeftStep(ones([1, 3, 3]), core, null)).toThrow(/\[batch, 2, 2\]/);
    expect(() => doubleLayerRightStep(ones([2, 3, 3]), core, ones([3, 2]))).toThrow(/φ must be \[2, 2\]/);
    expect(() => doubleLayerLeftStep(ones([2, 2, 2]), core, null)).toThrow(/batch 1/);
  });
});

function normal(rng: Random, shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = rng.normal();
  return new Tensor(data, shape);
}

function ones(shape: number[]): Tensor {
  return new Tensor(new Float64Array(shape.reduce((a, b) => a * b, 1)).fill(1), shape);
}

function scaled(t: Tensor, f: number): Tensor {
  const out = t.contiguous().copy();
  for (let i = 0; i < out.data.length; i++) out.data[i] = out.data[i]! * f;
  return out;
}
