import { describe, expect, it } from 'vitest';
import { randn, zeros } from '../../tensor/create.js';
import { Random } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { valueAndGrad } from '../grad.js';
import { sub, square, mul } from '../ops/elementwise.js';
import { matmul } from '../ops/linalg.js';
import { sum } from '../ops/reduce.js';
import { adam, adamw } from './adam.js';
import { clipByGlobalNorm, clipByValue, globalNorm } from './clip.js';
import type { Optimizer } from './optimizer.js';
import { constantSchedule, cosineDecay, exponentialDecay, linearWarmup, stepDecay } from './schedule.js';
import { sgd } from './sgd.js';

function run<S>(opt: Optimizer<S>, loss: (...p: import('../variable.js').Var[]) => import('../variable.js').Var, params: Tensor[], steps: number): { params: Tensor[]; value: number } {
  let state = opt.init(params);
  let value = Infinity;
  for (let t = 0; t < steps; t++) {
    const r = valueAndGrad(loss, params);
    value = r.value;
    ({ params, state } = opt.update(r.grads, state, params));
  }
  return { params, value };
}

const optimizers: [string, () => Optimizer<unknown>][] = [
  ['sgd', () => sgd({ lr: 0.05 }) as Optimizer<unknown>],
  ['sgd+momentum', () => sgd({ lr: 0.02, momentum: 0.9 }) as Optimizer<unknown>],
  ['sgd+nesterov', () => sgd({ lr: 0.02, momentum: 0.9, nesterov: true }) as Optimizer<unknown>],
  ['adam', () => adam({ lr: cosineDecay(0.1, { totalSteps: 600, minLr: 1e-3 }) }) as Optimizer<unknown>],
  ['adamw', () => adamw({ lr: 0.05, weightDecay: 0 }) as Optimizer<unknown>],
];

describe('optimizers converge', () => {
  for (const [name, make] of optimizers) {
    it(`${name} minimizes a random convex quadratic Σ d_i (x_i − c_i)²`, () => {
      for (let seed = 0; seed < 3; seed++) {
        const rng = new Random(seed);
        const n = 3 + rng.int(5);
        const c = randn([n], { rng });
        const d = new Tensor(Float64Array.from({ length: n }, () => 0.5 + rng.uniform()), [n]);
        const { params } = run(make(), (x) => sum(mul(d, square(sub(x!, c)))), [zeros([n])], 600);
        for (let i = 0; i < n; i++) expect(params[0]!.data[i]!).toBeCloseTo(c.data[i]!, 3);
      }
    });

    it(`${name} solves a small least-squares problem min ‖Aw − b‖²`, () => {
      const rng = new Random(7);
      const A = randn([12, 4], { rng, scale: 0.5 });
      const wTrue = randn([4, 1], { rng });
      const b = matmul(A, wTrue).value;
      const { value } = run(make(), (w) => sum(square(sub(matmul(A, w!), b))), [zeros([4, 1])], 600);
      expect(value).toBeLessThan(1e-5);
    });
  }

  it('one Adam step equals the hand-computed formula', () => {
    const rng = new Random(3);
    const p = randn([5], { rng });
    const g1 = randn([5], { rng });
    const g2 = randn([5], { rng });
    const [lr, b1, b2, eps] = [0.01, 0.8, 0.95, 1e-6];
    const opt = adam({ lr, beta1: b1, beta2: b2, eps });
    const s0 = opt.init([p]);
    const r1 = opt.update([g1], s0, [p]);
    const r2 = opt.update([g2], r1.state, r1.params);
    for (let i = 0; i < 5; i++) {
      const m1 = (1 - b1) * g1.data[i]!;
      const v1 = (1 - b2) * g1.data[i]! ** 2;
      const p1 = p.data[i]! - (lr * (m1 / (1 - b1))) / (Math.sqrt(v1 / (1 - b2)) + eps);
      const m2 = b1 * m1 + (1 - b1) * g2.data[i]!;
      const v2 = b2 * v1 + (1 - b2) * g2.data[i]! ** 2;
      const p2 = p1 - (lr * (m2 / (1 - b1 ** 2))) / (Math.sqrt(v2 / (1 - b2 ** 2)) + eps);
      expect(r1.params[0]!.data[i]).toBeCloseTo(p1, 14);
      expect(r2.params[0]!.data[i]).toBeCloseTo(p2, 14);
    }
    // Pure: the inputs are untouched.
    expect(s0.step).toBe(0);
    expect(Array.from(s0.m[0]!.data)).toEqual([0, 0, 0, 0, 0]);
  });

  it('AdamW decays weights decoupled from the gradient; SGD momentum/Nesterov match their recurrences', () => {
    const p = new Tensor(Float64Array.of(2), [1]);
    const zero = new Tensor(Float64Array.of(0), [1]);
    const w = adamw({ lr: 0.1, weightDecay: 0.5 });
    const r = w.update([zero], w.init([p]), [p]);
    expect(r.params[0]!.data[0]).toBeCloseTo(2 - 0.1 * 0.5 * 2, 14);
    const g = new Tensor(Float64Array.of(1), [1]);
    const nes = sgd({ lr: 0.1, momentum: 0.5, nesterov: true });
    const s1 = nes.update([g], nes.init([p]), [p]);
    expect(s1.params[0]!.data[0]).toBeCloseTo(2 - 0.1 * (1 + 0.5 * 1), 14);
    const s2 = nes.update([g], s1.state, s1.params);
    expect(s2.params[0]!.data[0]).toBeCloseTo(s1.params[0]!.data[0]! - 0.1 * (1 + 0.5 * 1.5), 14);
  });

  it('rejects mismatched gradients naming both shapes', () => {
    const opt = sgd({ lr: 0.1 });
    expect(() => opt.update([zeros([2])], opt.init([zeros([3])]), [zeros([3])])).toThrow(/gradient 0 has shape \[2\] but parameter 0 has shape \[3\]/);
    expect(() => sgd({ lr: 0.1, nesterov: true })).toThrow(/nesterov/);
  });
});

describe('schedules', () => {
  it('give the documented values', () => {
    expect(constantSchedule(0.3)(17)).toBe(0.3);
    const sd = stepDecay(1, { stepSize: 3, gamma: 0.5 });
    expect([0, 2, 3, 5, 6, 9].map(sd)).toEqual([1, 1, 0.5, 0.5, 0.25, 0.125]);
    expect(exponentialDecay(2, 0.9)(3)).toBeCloseTo(2 * 0.729, 14);
    const cos = cosineDecay(1, { totalSteps: 10, minLr: 0.1 });
    expect(cos(0)).toBeCloseTo(1, 14);
    expect(cos(5)).toBeCloseTo(0.55, 14);
    expect(cos(10)).toBeCloseTo(0.1, 14);
    expect(cos(50)).toBeCloseTo(0.1, 14);
    const warm = linearWarmup(cos, 4);
    expect([0, 1, 2, 3].map(warm)).toEqual([0.25, 0.5, 0.75, 1].map((f, t) => f * cos(t)));
    expect(warm(7)).toBe(cos(7));
    expect(() => stepDecay(1, { stepSize: 0 })).toThrow(/stepSize/);
    expect(() => cos(-1)).toThrow(/step/);
  });
});

describe('gradient clipping', () => {
  it('by global norm caps the norm and preserves the direction', () => {
    for (let seed = 0; seed < 10; seed++) {
      const rng = new Random(seed);
      const gs = [randn([3, 2], { rng, scale: 5 }), randn([4], { rng, scale: 5 })];
      const n0 = globalNorm(gs);
      const { grads, norm, clipped } = clipByGlobalNorm(gs, 1);
      expect(norm).toBeCloseTo(n0, 12);
      expect(clipped).toBe(n0 > 1);
      expect(globalNorm(grads)).toBeCloseTo(Math.min(1, n0), 12);
      const ratio = grads[0]!.data[0]! / gs[0]!.data[0]!;
      grads.forEach((g, k) => g.toTypedArray().forEach((v, i) => expect(v).toBeCloseTo(ratio * gs[k]!.data[i]!, 12)));
    }
    const small = [new Tensor(Float64Array.of(0.1, 0.2), [2])];
    expect(clipByGlobalNorm(small, 1).grads[0]).toBe(small[0]);
  });

  it('by value clamps each element', () => {
    const g = new Tensor(Float64Array.of(-3, -0.5, 0.2, 7), [4]);
    expect(Array.from(clipByValue([g], 1)[0]!.data)).toEqual([-1, -0.5, 0.2, 1]);
    expect(Array.from(clipByValue([g], { min: 0, max: 5 })[0]!.data)).toEqual([0, 0, 0.2, 5]);
  });
});

describe('in-place Adam', () => {
  it('updateInPlace gives bit-for-bit the numbers of update (adam and adamw, f64 and f32, schedules, weight decay)', () => {
    for (let trial = 0; trial < 8; trial++) {
      const rng = new Random(500 + trial);
      const dtype = trial % 2 === 0 ? 'f64' : 'f32';
      const lr = trial % 3 === 0 ? cosineDecay(0.05, { totalSteps: 10, minLr: 1e-3 }) : 0.01 + 0.05 * rng.uniform();
      const opt = trial % 4 < 2 ? adam({ lr, weightDecay: 0.1 * rng.uniform() }) : adamw({ lr, weightDecay: 0.1 * rng.uniform() });
      const shapes = Array.from({ length: 1 + rng.int(3) }, () => [1 + rng.int(5), 1 + rng.int(4)]);
      let pure = shapes.map((s) => randn(s, { rng, dtype }));
      const owned = pure.map((p) => p.copy());
      let pureState = opt.init(pure);
      let ownedState = opt.init(owned);
      for (let step = 0; step < 6; step++) {
        const grads = shapes.map((s) => randn(s, { rng, dtype }));
        const next = opt.update(grads, pureState, pure);
        pure = next.params;
        pureState = next.state;
        ownedState = opt.updateInPlace!(grads, ownedState, owned);
        expect(ownedState.step).toBe(pureState.step);
        owned.forEach((p, k) => {
          expect(Array.from(p.toTypedArray())).toEqual(Array.from(pure[k]!.toTypedArray()));
          expect(Array.from(ownedState.m[k]!.toTypedArray())).toEqual(Array.from(pureState.m[k]!.toTypedArray()));
          expect(Array.from(ownedState.v[k]!.toTypedArray())).toEqual(Array.from(pureState.v[k]!.toTypedArray()));
        });
      }
    }
  });

  it('copyState shares no buffers, moments of another dtype are converted, and views are refused', () => {
    const opt = adam({ lr: 0.1 });
    const p = randn([3, 2], { seed: 1 });
    const g = randn([3, 2], { seed: 2 });
    const state = opt.updateInPlace!([g], opt.init([p]), [p]);
    const copy = opt.copyState!(state);
    const before = Array.from(copy.m[0]!.toTypedArray());
    opt.updateInPlace!([g], state, [p]);
    expect(Array.from(copy.m[0]!.toTypedArray())).toEqual(before);
    // A state decoded in f64 for f32 parameters: same numbers as update, which stores the moments in f32.
    const p32 = p.astype('f32');
    const f64State = opt.init([p]);
    const viaUpdate = opt.update([g.astype('f32')], f64State, [p32]);
    const owned = p32.copy();
    const inPlace = opt.updateInPlace!([g.astype('f32')], f64State, [owned]);
    expect(inPlace.m[0]!.dtype).toBe('f32');
    expect(Array.from(owned.toTypedArray())).toEqual(Array.from(viaUpdate.params[0]!.toTypedArray()));
    const wide = randn([3, 4], { seed: 3 });
    const view = wide.slice([0, 3], [0, 2]);
    expect(() => opt.updateInPlace!([g], opt.init([view]), [view])).toThrow(/parameter 0 is a view/);
  });
});
