import { describe, expect, it } from 'vitest';
import { arange, randn, tensor, zeros } from './create.js';
import { add, mul, sub } from './elementwise.js';
import { Random } from './random.js';
import { argmax, max, mean, min, norm, sum } from './reduce.js';
import { contiguousStrides, sizeOf } from './shape.js';
import { Tensor } from './tensor.js';

/** Reads element `index` of a tensor by walking shape/strides by hand (independent of get()). */
function naiveAt(t: Tensor, index: number[]): number {
  let p = t.offset;
  index.forEach((k, i) => (p += k * t.strides[i]!));
  return t.data[p]!;
}

function allIndices(shape: readonly number[]): number[][] {
  const out: number[][] = [[]];
  for (const d of shape) {
    const next: number[][] = [];
    for (const prefix of out) for (let i = 0; i < d; i++) next.push([...prefix, i]);
    out.splice(0, out.length, ...next);
  }
  return out;
}

function randomShape(rng: Random, maxDims = 4): number[] {
  const nd = 1 + rng.int(maxDims);
  return Array.from({ length: nd }, () => 1 + rng.int(4));
}

describe('Tensor views', () => {
  it('permute is a view and moves elements as a permutation of axes', () => {
    const rng = new Random(1);
    for (let trial = 0; trial < 50; trial++) {
      const shape = randomShape(rng);
      const t = randn(shape, { seed: trial });
      const perm = rng.shuffle([...Array(shape.length).keys()]);
      const p = t.permute(...perm);
      expect(p.data).toBe(t.data);
      for (const idx of allIndices(p.shape)) {
        const src = new Array<number>(shape.length);
        perm.forEach((a, i) => (src[a] = idx[i]!));
        expect(p.get(...idx)).toBe(t.get(...src));
      }
      // Copy makes C-order data that reads the same.
      const c = p.copy();
      expect(c.isContiguous).toBe(true);
      for (const idx of allIndices(p.shape)) expect(c.get(...idx)).toBe(p.get(...idx));
    }
  });

  it('reshape of contiguous data is a view; of a permuted view it copies in C order', () => {
    const t = arange(24).reshape(2, 3, 4);
    expect(t.reshape(6, -1).data).toBe(t.data);
    expect(t.reshape(6, -1).shape).toEqual([6, 4]);
    const p = t.permute(2, 0, 1);
    const r = p.reshape(-1);
    expect(r.data).not.toBe(t.data);
    expect(Array.from(r.toTypedArray())).toEqual(allIndices(p.shape).map((i) => p.get(...i)));
    expect(() => t.reshape(5, -1)).toThrow(/cannot reshape \[2, 3, 4\]/);
    expect(() => t.reshape(-1, -1)).toThrow(/only one dimension may be -1/);
  });

  it('slice matches a by-hand selection for random ranges and steps', () => {
    const rng = new Random(7);
    for (let trial = 0; trial < 100; trial++) {
      const shape = randomShape(rng, 3).map((d) => d + 2);
      const t = randn(shape, { seed: trial });
      const specs = shape.map((d) => {
        const kind = rng.int(3);
        if (kind === 0) return rng.int(d) - (rng.int(2) ? d : 0); // single (maybe negative) index
        const step = (1 + rng.int(2)) * (rng.int(2) ? 1 : -1);
        return [rng.int(d + 1) - 1, rng.int(d + 1), step] as const;
      });
      const s = t.slice(...specs);
      expect(s.data).toBe(t.data);
      // Reference: explicit lists of kept positions per axis (numpy semantics).
      const kept = specs.map((spec, axis) => {
        const d = shape[axis]!;
        if (typeof spec === 'number') return null;
        const [a, b, step] = spec;
        const norm = (v: number, lo: number, hi: number): number => Math.min(Math.max(v < 0 ? v + d : v, lo), hi);
        const out: number[] = [];
        if (step > 0) for (let i = norm(a, 0, d); i < norm(b, 0, d); i += step) out.push(i);
        else for (let i = norm(a, -1, d - 1); i > norm(b, -1, d - 1); i += step) out.push(i);
        return out;
      });
      expect(s.shape).toEqual(kept.filter((k) => k !== null).map((k) => k!.length));
      for (const idx of allIndices(s.shape)) {
        let j = 0;
        const src = specs.map((spec, axis) => {
          if (typeof spec === 'number') return spec < 0 ? spec + shape[axis]! : spec;
          return kept[axis]![idx[j++]!]!;
        });
        expect(naiveAt(s, idx)).toBe(t.get(...src));
      }
    }
  });

  it('names the problem on bad input', () => {
    const t = zeros([2, 3]);
    expect(() => t.get(2, 0)).toThrow(/index 2 is out of range for axis 0 of size 2/);
    expect(() => t.permute(0, 0)).toThrow(/not a permutation/);
    expect(() => new Tensor(new Float64Array(5), [2, 3])).toThrow(/needs 6 elements/);
    expect(() => zeros([2, -1])).toThrow(/invalid dimension -1 at axis 1/);
    expect(() => t.slice([0, 2, 0])).toThrow(/step must be a non-zero integer/);
    expect(() => tensor([[1, 2], [3]])).toThrow(/ragged/);
  });

  it('broadcasts elementwise operations like numpy', () => {
    const a = arange(6).reshape(2, 3);
    const b = tensor([10, 20, 30]);
    expect(add(a, b).toArray()).toEqual([[10, 21, 32], [13, 24, 35]]);
    expect(mul(a.reshape(2, 3, 1), tensor([1, -1])).shape).toEqual([2, 3, 2]);
    expect(sub(2, a).toArray()).toEqual([[2, 1, 0], [-1, -2, -3]]);
    expect(() => add(a, tensor([1, 2]))).toThrow(/cannot be broadcast/);
  });
});

describe('reductions', () => {
  it('agree with direct loops on random tensors', () => {
    const rng = new Random(3);
    for (let trial = 0; trial < 30; trial++) {
      const shape = randomShape(rng);
      const t = randn(shape, { seed: 100 + trial }).permute(...rng.shuffle([...Array(shape.length).keys()]));
      const vals = allIndices(t.shape).map((i) => t.get(...i));
      expect(sum(t)).toBeCloseTo(vals.reduce((a, b) => a + b, 0), 12);
      expect(max(t)).toBe(Math.max(...vals));
      expect(min(t)).toBe(Math.min(...vals));
      expect(norm(t)).toBeCloseTo(Math.sqrt(vals.reduce((a, b) => a + b * b, 0)), 12);
      const axis = rng.int(t.ndim);
      const s = sum(t, axis);
      const m = mean(t, axis, true);
      const am = argmax(t, axis);
      for (const idx of allIndices(s.shape)) {
        let acc = 0;
        let best = -Infinity;
        let bestAt = -1;
        for (let k = 0; k < t.shape[axis]!; k++) {
          const full = [...idx.slice(0, axis), k, ...idx.slice(axis)];
          const v = t.get(...full);
          acc += v;
          if (v > best) { best = v; bestAt = k; }
        }
        expect(s.get(...idx)).toBeCloseTo(acc, 12);
        expect(m.get(...idx.slice(0, axis), 0, ...idx.slice(axis))).toBeCloseTo(acc / t.shape[axis]!, 12);
        expect(am.get(...idx)).toBe(bestAt);
      }
    }
  });

  it('norm does not overflow or underflow', () => {
    expect(norm(tensor([3e200, 4e200]))).toBeCloseTo(5e200, -188);
    expect(norm(tensor([3e-200, 4e-200])) / 5e-200).toBeCloseTo(1, 14);
  });
});

describe('seeded random', () => {
  it('gives the same stream for the same seed and different streams otherwise', () => {
    const a = randn([100], { seed: 42 });
    const b = randn([100], { seed: 42 });
    const c = randn([100], { seed: 43 });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(a.data)).not.toEqual(Array.from(c.data));
  });

  it('has the moments of a standard normal and uniform', () => {
    const x = randn([200_000], { seed: 5 });
    const mu = sum(x) / x.size;
    const v = sum(mul(x, x)) / x.size - mu * mu;
    expect(Math.abs(mu)).toBeLessThan(0.01);
    expect(Math.abs(v - 1)).toBeLessThan(0.02);
    const r = new Random(9);
    let below = 0;
    for (let i = 0; i < 100_000; i++) if (r.uniform() < 0.25) below++;
    expect(Math.abs(below / 100_000 - 0.25)).toBeLessThan(0.01);
  });

  it('f32 random tensors are the rounded f64 ones', () => {
    const a = randn([50], { seed: 1 });
    const b = randn([50], { seed: 1, dtype: 'f32' });
    expect(Array.from(b.data)).toEqual(Array.from(a.data).map(Math.fround));
  });
});

describe('shape helpers', () => {
  it('contiguous strides and sizes', () => {
    expect(contiguousStrides([2, 3, 4])).toEqual([12, 4, 1]);
    expect(sizeOf([])).toBe(1);
    expect(sizeOf([3, 0])).toBe(0);
  });
});
