import { describe, expect, it } from 'vitest';
import { einsum as tensorEinsum } from '../einsum/einsum.js';
import { randn, tensor, zeros } from '../tensor/create.js';
import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { grad, valueAndGrad } from './grad.js';
import { add, log, mul, square, sub } from './ops/elementwise.js';
import { einsum } from './ops/einsum.js';
import { svd } from './ops/linalg.js';
import { eye } from '../tensor/create.js';
import { sum } from './ops/reduce.js';
import { NonFiniteError } from './tape.js';
import { randomShape } from '../../test/helpers/autodiff.js';
import type { Var } from './variable.js';

const close = (a: Tensor, b: Tensor, tol = 1e-12): void => {
  expect(a.shape).toEqual(b.shape);
  const x = a.toTypedArray();
  const y = b.toTypedArray();
  for (let i = 0; i < x.length; i++) expect(Math.abs(x[i]! - y[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(y[i]!)));
};

describe('valueAndGrad', () => {
  it('returns the value and accumulates the gradient of a variable used many times', () => {
    for (let seed = 0; seed < 10; seed++) {
      const rng = new Random(seed);
      const x = randn(randomShape(rng, 2), { rng });
      // f = Σ x² + 3 Σ x + Σ x·x  →  ∂f = 4x + 3
      const { value, grads } = valueAndGrad((v) => add(add(sum(square(v)), mul(3, sum(v))), sum(mul(v, v))), [x]);
      const xs = x.toTypedArray();
      let expected = 0;
      for (const v of xs) expected += 2 * v * v + 3 * v;
      expect(value).toBeCloseTo(expected, 10);
      close(grads[0]!, new Tensor(xs.map((v) => 4 * v + 3), x.shape));
    }
  });

  it('gives zero gradients to parameters f does not use, with their shape and dtype', () => {
    const a = randn([2, 3], { seed: 1 });
    const b = randn([4], { seed: 2, dtype: 'f32' });
    const [ga, gb] = grad((x) => sum(x), [a, b]);
    close(ga!, new Tensor(new Float64Array(6).fill(1), [2, 3]));
    expect(gb!.dtype).toBe('f32');
    expect(Array.from(gb!.toTypedArray())).toEqual([0, 0, 0, 0]);
  });

  it('treats plain tensors and numbers as constants', () => {
    const w = randn([3], { seed: 3 });
    const c = randn([3], { seed: 4 });
    const [g] = grad((x) => sum(mul(sub(x, c), 2)), [w]);
    close(g!, new Tensor(new Float64Array(3).fill(2), [3]));
  });

  it('returns fresh gradient buffers that do not alias parameters or each other', () => {
    const x = randn([3], { seed: 5 });
    const { grads } = valueAndGrad((a, b) => add(sum(a), sum(b)), [x, x]);
    grads[0]!.data[0] = 99;
    expect(grads[1]!.data[0]).toBe(1);
    expect(x.data[0]).not.toBe(99);
  });

  it('rejects a non-scalar result, naming its shape', () => {
    expect(() => valueAndGrad((x) => mul(x, 2), [zeros([2, 3])])).toThrow(/scalar.*\[2, 3\]/);
  });

  it('rejects shape mismatches naming both shapes', () => {
    expect(() => valueAndGrad((x) => sum(add(x, zeros([4]))), [zeros([3])])).toThrow(/add.*\[3\].*\[4\]/);
    expect(() => valueAndGrad((x) => sum(einsum('ij,jk->ik', x, zeros([4, 2]))), [zeros([2, 3])])).toThrow(/index 'j'/);
  });

  it('names the op where a non-finite value first appears with checkFinite', () => {
    const x = tensor([1, 0, 2]);
    let error: unknown;
    try {
      valueAndGrad((v) => sum(log(v)), [x], { checkFinite: true });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NonFiniteError);
    expect((error as NonFiniteError).op).toBe('log');
    expect((error as Error).message).toMatch(/-Infinity.*'log'.*forward/);
    // Without the option the infinities propagate silently.
    expect(valueAndGrad((v) => sum(log(v)), [x]).value).toBe(-Infinity);
  });

  it('rejects variables that escape their valueAndGrad call', () => {
    let leaked: Var | undefined;
    valueAndGrad((x) => {
      leaked = x;
      return sum(x);
    }, [zeros([2])]);
    expect(() => sum(leaked!)).toThrow(/already finished/);
  });

  it('computes ops on constants only without recording them', () => {
    const a = randn([2, 3], { seed: 6 });
    const b = randn([3, 4], { seed: 7 });
    const out = einsum('ij,jk->ik', a, b);
    expect(out.requiresGrad).toBe(false);
    close(out.value, tensorEinsum('ij,jk->ik', a, b));
  });

  it('einsum forward equals the tensor einsum, including multi-operand contractions', () => {
    const specs = ['ab,bc,cd->ad', 'ab,bc,ca->', 'abc,cd,de,eb->ad', 'ij,j,k->ik', 'ba,cb,dc->da'];
    for (const spec of specs) {
      const rng = new Random(spec.length);
      const sizes = new Map<string, number>();
      const shapes = spec.split('->')[0]!.split(',').map((t) => [...t].map((c) => {
        if (!sizes.has(c)) sizes.set(c, 2 + rng.int(3));
        return sizes.get(c)!;
      }));
      const ts = shapes.map((s) => randn(s, { rng }));
      close(einsum(spec, ...ts).value.contiguous(), tensorEinsum(spec, ...ts), 1e-12);
    }
  });

  it('SVD gradients stay finite and exact for degenerate singular values when the loss depends on S only', () => {
    // d‖A‖_* / dA = U Vᵀ; for A = diag(2, 2, 1) that is the identity.
    const a = new Tensor(Float64Array.of(2, 0, 0, 0, 2, 0, 0, 0, 1), [3, 3]);
    const { grads } = valueAndGrad((x) => sum(svd(x).S), [a], { checkFinite: true });
    close(grads[0]!, eye(3), 1e-12);
    // A loss on degenerate singular vectors is ill-posed: the regularised gradient is still finite.
    const g = valueAndGrad((x) => sum(mul(svd(x).U, randn([3, 3], { seed: 9 }))), [a], { checkFinite: true }).grads[0]!;
    expect(Array.from(g.toTypedArray()).every(Number.isFinite)).toBe(true);
  });
});
