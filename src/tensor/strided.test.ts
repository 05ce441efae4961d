import { describe, expect, it } from 'vitest';
import { Random } from './random.js';
import { coalesceAxes, stridedCopy } from './strided.js';

/** The element at C-order index `q` of a strided view, computed coordinate by coordinate. */
function naiveAt(src: Float64Array, offset: number, shape: readonly number[], strides: readonly number[], q: number): number {
  let p = offset;
  for (let k = shape.length - 1; k >= 0; k--) {
    p += (q % shape[k]!) * strides[k]!;
    q = Math.floor(q / shape[k]!);
  }
  return src[p]!;
}

/** A random view of a random buffer: permuted, stepped (possibly negative), offset, with size-1 and broadcast axes. */
function randomView(rng: Random): { src: Float64Array; offset: number; shape: number[]; strides: number[] } {
  const n = rng.int(6);
  const base = Array.from({ length: n }, () => 1 + rng.int(5));
  const c = base.map((_, k) => base.slice(k + 1).reduce((a, d) => a * d, 1));
  const size = base.reduce((a, d) => a * d, 1);
  const src = Float64Array.from({ length: size + 8 }, (_, i) => i + 0.5);
  const perm = [...base.keys()];
  for (let k = n - 1; k > 0; k--) {
    const j = rng.int(k + 1);
    [perm[k], perm[j]] = [perm[j]!, perm[k]!];
  }
  const shape: number[] = [];
  const strides: number[] = [];
  let offset = 0;
  for (const a of perm) {
    const kind = rng.int(5);
    if (kind === 0 && base[a]! > 1) {
      // Reversed axis.
      shape.push(base[a]!);
      strides.push(-c[a]!);
      offset += (base[a]! - 1) * c[a]!;
    } else if (kind === 1) {
      // Broadcast axis (stride 0) inserted before it.
      shape.push(1 + rng.int(3), base[a]!);
      strides.push(0, c[a]!);
    } else {
      shape.push(base[a]!);
      strides.push(c[a]!);
    }
  }
  return { src, offset, shape, strides };
}

describe('stridedCopy', () => {
  it('copies random permuted, reversed and broadcast views in C order (and coalescing keeps the order)', () => {
    const rng = new Random(17);
    for (let trial = 0; trial < 300; trial++) {
      const { src, offset, shape, strides } = randomView(rng);
      const size = shape.reduce((a, d) => a * d, 1);
      const dst = new Float64Array(size + 2).fill(-1);
      stridedCopy(src, offset, shape, strides, dst, 1);
      expect(dst[0]).toBe(-1);
      expect(dst[size + 1]).toBe(-1);
      for (let q = 0; q < size; q++) expect(dst[1 + q]).toBe(naiveAt(src, offset, shape, strides, q));
      const merged = coalesceAxes(shape, strides);
      expect(merged.shape.reduce((a, d) => a * d, 1)).toBe(size);
      expect(merged.shape.length).toBeLessThanOrEqual(shape.length);
      for (let q = 0; q < size; q++) expect(naiveAt(src, offset, merged.shape, merged.strides, q)).toBe(dst[1 + q]);
    }
  });

  it('merges contiguous axes, drops size-1 axes and copies long runs and 0-d views', () => {
    expect(coalesceAxes([2, 3, 4], [12, 4, 1])).toEqual({ shape: [24], strides: [1] });
    expect(coalesceAxes([2, 1, 3], [3, 99, 1])).toEqual({ shape: [6], strides: [1] });
    expect(coalesceAxes([3, 2], [1, 3])).toEqual({ shape: [3, 2], strides: [1, 3] });
    const src = Float64Array.from({ length: 300 }, (_, i) => i);
    const dst = new Float64Array(200);
    stridedCopy(src, 100, [2, 100], [100, 1], dst);
    expect(Array.from(dst)).toEqual(Array.from(src.subarray(100, 300)));
    const one = new Float64Array(1);
    stridedCopy(src, 7, [], [], one);
    expect(one[0]).toBe(7);
    stridedCopy(src, 0, [0, 3], [3, 1], one);
    expect(one[0]).toBe(7);
  });
});
