import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as tnkit from '../browser.js';
import { einsum as einsumTensors } from '../einsum/einsum.js';
import * as t from '../tensor/elementwise.js';
import * as r from '../tensor/reduce.js';
import { Tensor } from '../tensor/tensor.js';
import { valueAndGrad } from './grad.js';
import * as ad from './index.js';
import * as ops from './public-ops.js';
import type { Var } from './variable.js';

const tensorOf = (values: number[], shape: number[]): Tensor => new Tensor(Float64Array.from(values), shape);
const matrix = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })).chain(([m, n]) =>
  fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: m * n, maxLength: m * n }).map((v) => tensorOf(v, [m, n])));

describe('the public op set', () => {
  it('is one set: the top level and the autodiff namespace export the same functions', () => {
    for (const name of ['add', 'sub', 'mul', 'div', 'pow', 'scale', 'neg', 'exp', 'log', 'sqrt', 'square', 'abs', 'tanh', 'sigmoid', 'relu',
      'sum', 'mean', 'max', 'min', 'norm', 'einsum', 'matmul', 'svd', 'qr'] as const) {
      // biome-ignore lint/performance/noDynamicNamespaceImportAccess: the test looks every op up by name on purpose
      expect(tnkit[name], name).toBe(ops[name]);
      // biome-ignore lint/performance/noDynamicNamespaceImportAccess: as above
      expect(tnkit.autodiff[name], `autodiff.${name}`).toBe(ops[name]);
    }
  });

  it('on plain tensors gives the tensor layer\'s results bit for bit, as plain tensors and numbers', () => {
    fc.assert(fc.property(matrix, fc.double({ min: 0.5, max: 2, noNaN: true }), (a, c) => {
      const b = t.scale(a, c);
      expect(ops.add(a, b)).toBeInstanceOf(Tensor);
      expect(ops.add(a, b).toTypedArray()).toEqual(t.add(a, b).toTypedArray());
      expect(ops.mul(a, 2).toTypedArray()).toEqual(t.mul(a, 2).toTypedArray());
      expect(ops.tanh(a).toTypedArray()).toEqual(t.tanh(a).toTypedArray());
      expect(ops.sum(a)).toBe(r.sum(a));
      expect(ops.sum(a, 0).toTypedArray()).toEqual(r.sum(a, 0).toTypedArray());
      expect(ops.norm(a)).toBe(r.norm(a));
      expect(ops.einsum('ij,ij->i', a, b).toTypedArray()).toEqual(einsumTensors('ij,ij->i', a, b).toTypedArray());
    }), { numRuns: 50 });
  });

  it('with a variable among the operands records the op: values and gradients are autodiff\'s', () => {
    fc.assert(fc.property(matrix, (a) => {
      const f = (x: Var): Var => ops.sum(ops.square(ops.tanh(ops.add(x, 1))));
      const g = (x: Var): Var => ad.sum(ad.square(ad.tanh(ad.add(x, 1))));
      const [mine, theirs] = [f, g].map((fn) => valueAndGrad((x) => fn(x), [a]));
      expect(mine!.value).toBe(theirs!.value);
      expect(mine!.grads[0]!.toTypedArray()).toEqual(theirs!.grads[0]!.toTypedArray());
    }), { numRuns: 30 });
  });

  it('refuses several axes on a plain tensor, naming the op', () => {
    expect(() => (ops.sum as unknown as (a: Tensor, axis: readonly number[]) => Tensor)(tensorOf([1, 2, 3, 4], [2, 2]), [0, 1])).toThrow(/sum: a plain tensor is reduced over all elements or one axis/);
  });
});
