import { describe, expect, it } from 'vitest';
import { availableBackends, withBackend } from '../kernels/registry.js';
import { randn } from '../tensor/create.js';
import type { DType } from '../tensor/dtype.js';
import { Random } from '../tensor/random.js';
import { contiguousStrides, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { einsum, einsumPath } from './einsum.js';

/**
 * A random einsum problem, described twice: as numpy subscripts (what einsum
 * parses) and as explicit per-axis labels (what the reference loops over).
 * Ellipsis dimensions get the pseudo-labels '#0', '#1', … right-aligned.
 */
interface Case {
  spec: string;
  shapes: number[][];
  inputs: string[][];
  output: string[];
  sizes: Map<string, number>;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

function randomCase(rng: Random, maxSpace = 4096): Case {
  for (;;) {
    const nOps = 1 + rng.int(6);
    const pool = rng.shuffle([...LETTERS]).slice(0, 1 + rng.int(8));
    const letterSize = new Map(pool.map((l) => [l, 1 + rng.int(4)]));
    const useEllipsis = rng.uniform() < 0.3;
    const ellipsisSizes = [1 + rng.int(3), 1 + rng.int(3)];
    const terms: { before: string[]; ell: number[] | null; after: string[] }[] = [];
    for (let k = 0; k < nOps; k++) {
      const rank = rng.int(5);
      const letters = Array.from({ length: rank }, () => pool[rng.int(pool.length)]!);
      const cut = rng.int(rank + 1);
      let ell: number[] | null = null;
      if (useEllipsis && rng.uniform() < 0.75) {
        const e = rng.int(3); // covers the last e of the two broadcast dims
        ell = ellipsisSizes.slice(2 - e).map((d) => (rng.uniform() < 0.3 ? 1 : d));
      }
      terms.push({ before: letters.slice(0, cut), ell, after: letters.slice(cut) });
    }
    const eUsed = Math.max(0, ...terms.map((t) => t.ell?.length ?? 0));
    const sizes = new Map<string, number>();
    for (const t of terms) for (const l of [...t.before, ...t.after]) sizes.set(l, letterSize.get(l)!);
    const inputs = terms.map((t) => {
      const e = t.ell?.length ?? 0;
      const pseudo = Array.from({ length: e }, (_, i) => `#${eUsed - e + i}`);
      pseudo.forEach((p, i) => sizes.set(p, Math.max(sizes.get(p) ?? 1, t.ell![i]!)));
      return [...t.before, ...pseudo, ...t.after];
    });
    const shapes = terms.map((t, k) => inputs[k]!.map((l, axis) => (l.startsWith('#') ? t.ell![axis - t.before.length]! : sizes.get(l)!)));
    const allPseudo = Array.from({ length: eUsed }, (_, i) => `#${i}`);
    const counts = new Map<string, number>();
    for (const t of terms) for (const l of [...t.before, ...t.after]) counts.set(l, (counts.get(l) ?? 0) + 1);
    const anyEllipsis = terms.some((t) => t.ell !== null);
    const pad = (s: string): string => (rng.uniform() < 0.1 ? ` ${s} ` : s);
    const lhs = terms.map((t) => pad(t.before.join('') + (t.ell ? '...' : '') + t.after.join(''))).join(',');
    let spec: string;
    let output: string[];
    if (rng.uniform() < 0.4) {
      output = [...allPseudo, ...[...counts].filter(([, c]) => c === 1).map(([l]) => l).sort((x, y) => x.charCodeAt(0) - y.charCodeAt(0))];
      spec = lhs;
    } else {
      const letters = rng.shuffle([...counts.keys()]).slice(0, rng.int(counts.size + 1));
      const withEllipsis = anyEllipsis && rng.uniform() < 0.8;
      const cut = rng.int(letters.length + 1);
      output = [...letters.slice(0, cut), ...(withEllipsis ? allPseudo : []), ...letters.slice(cut)];
      spec = `${lhs}->${letters.slice(0, cut).join('')}${withEllipsis ? '...' : ''}${letters.slice(cut).join('')}`;
    }
    if (sizeOf([...sizes.values()]) > maxSpace) continue;
    return { spec, shapes, inputs, output, sizes };
  }
}

/** The reference: one loop over every assignment of every label. Returns values and Σ|terms| per output element. */
function naiveEinsum(c: Case, operands: readonly Tensor[]): { value: Float64Array; scale: Float64Array; shape: number[] } {
  const labels = [...c.sizes.keys()];
  const dims = labels.map((l) => c.sizes.get(l)!);
  const data = operands.map((t) => t.contiguous().data);
  // Per operand and label: the stride to add per unit of that label (0 for broadcast size-1 axes).
  const step = operands.map((t, k) => {
    const strides = contiguousStrides(t.shape);
    return labels.map((l) => c.inputs[k]!.reduce((s, m, axis) => (m === l && t.shape[axis]! > 1 ? s + strides[axis]! : s), 0));
  });
  const outShape = c.output.map((l) => c.sizes.get(l)!);
  const outStrides = contiguousStrides(outShape);
  const outStep = labels.map((l) => {
    const p = c.output.indexOf(l);
    return p < 0 ? 0 : outStrides[p]!;
  });
  const value = new Float64Array(sizeOf(outShape));
  const scale = new Float64Array(sizeOf(outShape));
  if (dims.some((d) => d === 0)) return { value, scale, shape: outShape };
  const idx = new Array<number>(labels.length).fill(0);
  for (;;) {
    let prod = 1;
    for (let k = 0; k < operands.length; k++) {
      let p = 0;
      for (let j = 0; j < labels.length; j++) p += idx[j]! * step[k]![j]!;
      prod *= data[k]![p]!;
    }
    let q = 0;
    for (let j = 0; j < labels.length; j++) q += idx[j]! * outStep[j]!;
    value[q] += prod;
    scale[q] += Math.abs(prod);
    let j = labels.length - 1;
    while (j >= 0 && ++idx[j]! === dims[j]!) idx[j--] = 0;
    if (j < 0) break;
  }
  return { value, scale, shape: outShape };
}

/** Random operands, some of them handed over as non-contiguous views (transposed or reversed). */
function operandsFor(c: Case, rng: Random, dtype: DType): Tensor[] {
  return c.shapes.map((shape) => {
    const kind = rng.int(3);
    if (kind === 1 && shape.length >= 2) {
      const perm = rng.shuffle([...shape.keys()]);
      const inverse = perm.map((_, i) => perm.indexOf(i));
      return randn(perm.map((a) => shape[a]!), { dtype, rng }).permute(...inverse);
    }
    if (kind === 2 && shape.length >= 1) {
      return randn(shape, { dtype, rng }).slice([null, null, -1]);
    }
    return randn(shape, { dtype, rng });
  });
}

function expectClose(actual: Tensor, expected: { value: Float64Array; scale: Float64Array; shape: number[] }, rtol: number, what: string): void {
  expect(actual.shape, what).toEqual(expected.shape);
  expect(actual.isContiguous, what).toBe(true);
  const got = actual.toTypedArray();
  for (let i = 0; i < got.length; i++) {
    const err = Math.abs(got[i]! - expected.value[i]!);
    if (!(err <= rtol * expected.scale[i]! + 1e-300)) {
      throw new Error(`${what}: element ${i} is ${got[i]} but the reference gives ${expected.value[i]} (error ${err}, scale ${expected.scale[i]})`);
    }
  }
}

describe('einsum matches a naive reference', () => {
  for (const backend of availableBackends()) {
    it(`random specs in f64 on the ${backend} backend`, () => {
      withBackend(backend, () => {
        const rng = new Random(1234);
        for (let trial = 0; trial < 400; trial++) {
          const c = randomCase(rng);
          const ops = operandsFor(c, rng, 'f64');
          const expected = naiveEinsum(c, ops);
          const what = `'${c.spec}' with shapes ${JSON.stringify(c.shapes)}`;
          expectClose(einsum(c.spec, ...ops), expected, 1e-12, what);
          if (trial % 5 === 0) {
            // Same plan, other stride patterns, then the first pattern again (remembered layouts).
            expectClose(einsum(c.spec, ...ops.map((t) => t.copy())), expected, 1e-12, `${what} (contiguous copies)`);
            expectClose(einsum(c.spec, ...ops), expected, 1e-12, `${what} (again)`);
          }
          if (trial % 4 === 0) {
            expectClose(einsum(c.spec, ...ops, { optimize: 'greedy' }), expected, 1e-12, `${what} (greedy)`);
            expectClose(einsum(c.spec, ...ops, { optimize: 'optimal' }), expected, 1e-12, `${what} (optimal)`);
          }
        }
      });
    });

    it(`random specs in f32 and mixed f32/f64 on the ${backend} backend`, () => {
      withBackend(backend, () => {
        const rng = new Random(99);
        for (let trial = 0; trial < 60; trial++) {
          const c = randomCase(rng);
          const ops = operandsFor(c, rng, 'f32');
          const expected = naiveEinsum(c, ops);
          const out = einsum(c.spec, ...ops);
          expect(out.dtype).toBe('f32');
          expectClose(out, expected, 1e-5, `f32 '${c.spec}'`);
          // Promote one operand: the whole computation runs in f64.
          const mixed = ops.map((t, k) => (k === 0 ? t.astype('f64') : t));
          const outMixed = einsum(c.spec, ...mixed);
          expect(outMixed.dtype).toBe('f64');
          expectClose(outMixed, naiveEinsum(c, mixed), 1e-12, `mixed '${c.spec}'`);
        }
      });
    });

    it(`larger contractions (blocked gemm paths) on the ${backend} backend`, () => {
      withBackend(backend, () => {
        const rng = new Random(5);
        const a = randn([6, 40, 30], { rng });
        const b = randn([30, 6, 50], { rng });
        const c: Case = {
          spec: 'bij,jbk->bki',
          shapes: [[6, 40, 30], [30, 6, 50]],
          inputs: [['b', 'i', 'j'], ['j', 'b', 'k']],
          output: ['b', 'k', 'i'],
          sizes: new Map([['b', 6], ['i', 40], ['j', 30], ['k', 50]]),
        };
        expectClose(einsum(c.spec, a, b), naiveEinsum(c, [a, b]), 1e-12, c.spec);
      });
    });
  }
});

describe('einsum on hand-checked cases', () => {
  const t = (values: number[], shape: number[]): Tensor => new Tensor(Float64Array.from(values), shape);
  const m = t([1, 2, 3, 4], [2, 2]);

  it('computes traces, diagonals and transposes', () => {
    expect(einsum('ii', m).item()).toBe(5);
    expect(einsum('ii->i', m).toArray()).toEqual([1, 4]);
    expect(einsum('ij->ji', m).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(einsum('ji', m).toArray()).toEqual([[1, 3], [2, 4]]); // implicit output is sorted: 'ij'
    expect(einsum('iij->j', t([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2])).toArray()).toEqual([1 + 7, 2 + 8]);
  });

  it('computes matrix products, outer products and scalars', () => {
    expect(einsum('ij,jk', m, m).toArray()).toEqual([[7, 10], [15, 22]]);
    expect(einsum('i,j', t([1, 2], [2]), t([3, 4, 5], [3])).toArray()).toEqual([[3, 4, 5], [6, 8, 10]]);
    expect(einsum(',i->i', t([2], []), t([1, 2], [2])).toArray()).toEqual([2, 4]);
    expect(einsum('i->', t([1, 2, 3], [3])).item()).toBe(6);
  });

  it('broadcasts size-1 ellipsis dimensions and sums dropped ones', () => {
    const a = t([1, 2], [2, 1]);
    const b = t([10, 20, 30], [1, 3]);
    expect(einsum('...,...', a, b).toArray()).toEqual([[10, 20, 30], [20, 40, 60]]);
    expect(einsum('...i->i', t([1, 2, 3, 4], [2, 2])).toArray()).toEqual([4, 6]);
  });

  it('broadcasts a named index of size 1 against a larger one, as numpy does', () => {
    // numpy: einsum('ij,ij->j', ones((10, 2)), [[1, 2]]) sums the rows of the first, scaled by the second.
    const x = new Tensor(Float64Array.from({ length: 20 }, (_, k) => k), [10, 2]);
    expect(einsum('ij,ij->j', x, t([1, 2], [1, 2])).toArray()).toEqual([90 * 1, 100 * 2]);
    expect(einsum('ij,ij->ij', t([1, 2], [1, 2]), t([1, 2, 3, 4, 5, 6], [3, 2])).toArray()).toEqual([[1, 4], [3, 8], [5, 12]]);
    // j has size 1 in the first operand and 4 in the second: the first is constant along j.
    expect(einsum('ij,jk->ik', t([1, 2, 3], [3, 1]), t([1, 1, 1, 1, 1, 1, 1, 1], [4, 2])).toArray()).toEqual([[4, 4], [8, 8], [12, 12]]);
    expect(einsum('ij,j->ij', t([1, 2], [2, 1]), t([1, 10, 100], [3])).toArray()).toEqual([[1, 10, 100], [2, 20, 200]]);
    expect(einsum('ij,kj->ikj', t([1, 2], [1, 2]), t([1, 10, 100], [3, 1])).shape).toEqual([1, 3, 2]);
    expect(einsum('i,i,i->i', t([2], [1]), t([1, 2, 3], [3]), t([5], [1])).toArray()).toEqual([10, 20, 30]);
    // A diagonal of size 1 broadcasts too (both axes of the first operand are size 1).
    expect(einsum('ii,i->i', t([3], [1, 1]), t([1, 2, 3, 4], [4])).toArray()).toEqual([3, 6, 9, 12]);
    // Size 1 broadcasts to size 0.
    expect(einsum('ij,ij->ij', t([1, 2], [1, 2]), new Tensor(new Float64Array(0), [0, 2])).shape).toEqual([0, 2]);
    // Planned without the broadcast axis: i is summed out of the first operand (20 adds), then j,j->j (2 products).
    expect(einsumPath('ij,ij->j', [10, 2], [1, 2]).flops.optimized).toBe(22n);
  });

  it('handles zero-size dimensions', () => {
    const e = new Tensor(new Float64Array(0), [2, 0]);
    expect(einsum('ij,jk->ik', e, new Tensor(new Float64Array(0), [0, 3])).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(einsum('ij->i', e).toArray()).toEqual([0, 0]);
  });

  it('returns a fresh tensor even when no arithmetic is needed', () => {
    const out = einsum('ij', m);
    expect(out.data).not.toBe(m.data);
    expect(out.toArray()).toEqual(m.toArray());
  });
});
