import { afterEach, describe, expect, it, vi } from 'vitest';
import { Random } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import {
  customEmbedding,
  embeddingFromJSON,
  evenlySpacedCenters,
  fourier,
  gaussianRbf,
  linearComplement,
  monomialIndexTuples,
  oneHot,
  perFeature,
  polynomial,
  trigonometric,
  type Embedding,
  type ScalarEmbedding,
} from './index.js';

const rng = new Random(20250213);

/** A random [batch, n] tensor with entries uniform in [lo, hi]. */
function randomBatch(batch: number, n: number, lo = 0, hi = 1, dtype: 'f64' | 'f32' = 'f64'): Tensor {
  const data = dtype === 'f64' ? new Float64Array(batch * n) : new Float32Array(batch * n);
  for (let i = 0; i < data.length; i++) data[i] = lo + (hi - lo) * rng.uniform();
  return new Tensor(data, [batch, n]);
}

/** Checks embed(x)[b, j, :] against `formula(x[b, j])` for every entry. */
function checkAgainstFormula(e: Embedding & { dim: number }, x: Tensor, formula: (v: number) => number[], tol = 1e-13): void {
  const out = e.embed(x);
  const [batch, n] = x.shape as [number, number];
  expect(out.shape).toEqual([batch, n, e.dim]);
  expect(out.isContiguous).toBe(true);
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < n; j++) {
      const want = formula(x.get(b, j));
      expect(want.length).toBe(e.dim);
      for (let i = 0; i < e.dim; i++) expect(Math.abs(out.get(b, j, i) - want[i]!)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want[i]!)));
    }
  }
}

const norm = (v: ArrayLike<number>): number => Math.sqrt(Array.from(v).reduce((a, b) => a + b * b, 0));

afterEach(() => vi.restoreAllMocks());

describe('trigonometric (tn4ml)', () => {
  it('matches (1/√k)[cos(πx/2^j)…, sin(πx/2^j)…] at random points, with unit norm', () => {
    for (const k of [1, 2, 3, 5]) {
      const e = trigonometric({ k });
      expect(e.dim).toBe(2 * k);
      const x = randomBatch(1 + rng.int(6), 1 + rng.int(7));
      checkAgainstFormula(e, x, (v) => {
        const cos = Array.from({ length: k }, (_, j) => Math.cos((Math.PI * v) / 2 ** (j + 1)) / Math.sqrt(k));
        const sin = Array.from({ length: k }, (_, j) => Math.sin((Math.PI * v) / 2 ** (j + 1)) / Math.sqrt(k));
        return [...cos, ...sin];
      });
      const out = e.embed(x).toTypedArray();
      for (let p = 0; p < out.length; p += 2 * k) expect(norm(out.subarray(p, p + 2 * k))).toBeCloseTo(1, 14);
    }
  });

  it('gives [1, 0] at 0 and [0, 1] at 1 for k = 1; 1-D input is one sample [N, d]', () => {
    const out = trigonometric().embed(new Tensor(new Float64Array([0, 1]), [2]));
    expect(out.shape).toEqual([2, 2]);
    expect(out.get(0, 0)).toBeCloseTo(1, 15);
    expect(out.get(1, 1)).toBeCloseTo(1, 15);
    expect(Math.abs(out.get(1, 0))).toBeLessThan(1e-15);
  });

  it('rejects bad k', () => {
    expect(() => trigonometric({ k: 0 })).toThrow(/k must be an integer ≥ 1/);
  });
});

describe('fourier (tn4ml)', () => {
  it('equals the Dirichlet sum (1/p)|Σ_m exp(2πi m t_j/p)| at random points', () => {
    for (const p of [2, 3, 4, 7]) {
      const x = randomBatch(3, 5);
      checkAgainstFormula(
        fourier({ p }),
        x,
        (v) =>
          Array.from({ length: p }, (_, j) => {
            const t = (p - 1) * v - j;
            let re = 0;
            let im = 0;
            for (let m = 0; m < p; m++) {
              re += Math.cos((2 * Math.PI * m * t) / p);
              im += Math.sin((2 * Math.PI * m * t) / p);
            }
            return Math.hypot(re, im) / p;
          }),
        1e-12,
      );
    }
  });

  it('is one-hot at the grid points x = j/(p − 1)', () => {
    const p = 5;
    const e = fourier({ p });
    for (let j = 0; j < p; j++) {
      const v = e.vector(j / (p - 1));
      for (let i = 0; i < p; i++) expect(v[i]!).toBeCloseTo(i === j ? 1 : 0, 12);
    }
  });
});

describe('linear complement', () => {
  it('is [x, 1−x]/‖·‖ (or [1, x, 1−x]/‖·‖ with bias), and unnormalised on request', () => {
    const x = randomBatch(4, 3);
    checkAgainstFormula(linearComplement(), x, (v) => [v, 1 - v].map((c) => c / Math.hypot(v, 1 - v)));
    checkAgainstFormula(linearComplement({ bias: true }), x, (v) => [1, v, 1 - v].map((c) => c / Math.hypot(1, v, 1 - v)));
    checkAgainstFormula(linearComplement({ normalize: false }), x, (v) => [v, 1 - v]);
  });
});

describe('polynomial', () => {
  it('per feature: [1, x, …, x^D] with bias, [x, …, x^D] without', () => {
    const x = randomBatch(3, 4, -1, 1);
    checkAgainstFormula(polynomial({ degree: 3 }), x, (v) => [1, v, v * v, v * v * v]);
    checkAgainstFormula(polynomial({ degree: 2, bias: false }), x, (v) => [v, v * v]);
  });

  it('cross terms: monomials of each group in combinations-with-replacement order', () => {
    expect(monomialIndexTuples(2, 2, true)).toEqual([[], [0], [1], [0, 0], [0, 1], [1, 1]]);
    expect(monomialIndexTuples(3, 2, false).length).toBe(3 + 6);
    const e = polynomial({ degree: 2, crossTerms: true, groupSize: 2 });
    expect(e.dim).toBe(6);
    const x = randomBatch(3, 4, -2, 2);
    const out = e.embed(x);
    expect(out.shape).toEqual([3, 2, 6]);
    for (let b = 0; b < 3; b++) {
      for (let s = 0; s < 2; s++) {
        const a = x.get(b, 2 * s);
        const c = x.get(b, 2 * s + 1);
        const want = [1, a, c, a * a, a * c, c * c];
        want.forEach((w, i) => expect(out.get(b, s, i)).toBeCloseTo(w, 13));
      }
    }
    expect(() => e.embed(randomBatch(1, 3))).toThrow(/3 features cannot be split into groups of groupSize 2/);
  });
});

describe('gaussian RBF', () => {
  it('has the square: exp(−γ(x − c)²), normalised by default', () => {
    const centers = evenlySpacedCenters(5);
    const gamma = 3.5;
    const x = randomBatch(4, 3, -0.5, 1.5);
    checkAgainstFormula(gaussianRbf({ centers, gamma, normalize: false }), x, (v) => centers.map((c) => Math.exp(-gamma * (v - c) ** 2)));
    checkAgainstFormula(gaussianRbf({ centers, gamma }), x, (v) => {
      const raw = centers.map((c) => Math.exp(-gamma * (v - c) ** 2));
      const s = norm(raw);
      return raw.map((r) => r / s);
    });
  });

  it('is symmetric about a centre (which a missing square would break)', () => {
    const e = gaussianRbf({ centers: [0.5], gamma: 2, normalize: false });
    for (let t = 0; t < 10; t++) {
      const d = rng.uniform();
      expect(e.vector(0.5 + d)[0]).toBeCloseTo(e.vector(0.5 - d)[0]!, 15);
      expect(e.vector(0.5 + d)[0]).toBeCloseTo(Math.exp(-2 * d * d), 15);
    }
  });

  it('stays finite and unit-norm far from every centre', () => {
    const v = gaussianRbf({ centers: [0, 1], gamma: 50 }).vector(40);
    expect(v.every(Number.isFinite)).toBe(true);
    expect(norm(v)).toBeCloseTo(1, 14);
  });

  it('rejects bad centres and gamma', () => {
    expect(() => gaussianRbf({ centers: [], gamma: 1 })).toThrow(/non-empty/);
    expect(() => gaussianRbf({ centers: [0, NaN], gamma: 1 })).toThrow(/centers\[1\]/);
    expect(() => gaussianRbf({ centers: [0], gamma: 0 })).toThrow(/gamma/);
  });
});

describe('one-hot', () => {
  it('maps category i to e_i, by count or by explicit values', () => {
    const e = oneHot({ numCategories: 3 });
    const out = e.embed(new Tensor(new Float64Array([2, 0, 1, 1]), [2, 2]));
    expect(out.toArray()).toEqual([
      [[0, 0, 1], [1, 0, 0]],
      [[0, 1, 0], [0, 1, 0]],
    ]);
    const f = oneHot({ categories: [10, -3, 7.5] });
    expect(Array.from(f.vector(7.5))).toEqual([0, 0, 1]);
    expect(() => f.vector(7)).toThrow(/feature 0 has value 7, which is not a category/);
    expect(() => e.vector(1.5)).toThrow(/not a category/);
    expect(() => oneHot({ categories: [1, 1] })).toThrow(/listed twice/);
  });
});

describe('custom and per-feature', () => {
  it('a user function is called per value and checked', () => {
    const e = customEmbedding({ dim: 3, map: (x) => [1, x, x ** 3], range: { min: -1, max: 1 } });
    const x = randomBatch(2, 4, -1, 1);
    checkAgainstFormula(e, x, (v) => [1, v, v ** 3]);
    const bad = customEmbedding({ dim: 2, map: () => [1] });
    expect(() => bad.embed(randomBatch(1, 1))).toThrow(/returned 1 values, expected dim = 2/);
    expect(() => e.toJSON()).toThrow(/cannot be saved as JSON/);
  });

  it('different embeddings and dimensions per feature; padded and unpadded forms agree', () => {
    const maps = [trigonometric({ k: 2 }), oneHot({ numCategories: 3 }), linearComplement(), legendreLike()];
    const e = perFeature(maps);
    expect(e.siteDims(4)).toEqual([4, 3, 2, 6]);
    const x = new Tensor(new Float64Array([0.3, 2, 0.9, 0.1, 0.7, 0, 0.2, 0.5]), [2, 4]);
    const padded = e.embed(x);
    expect(padded.shape).toEqual([2, 4, 6]);
    const sites = e.embedSites(x);
    sites.forEach((site, j) => {
      expect(site.shape).toEqual([2, maps[j]!.dim]);
      for (let b = 0; b < 2; b++) {
        const want = maps[j]!.vector(x.get(b, j), j);
        for (let i = 0; i < 6; i++) expect(padded.get(b, j, i)).toBe(i < want.length ? want[i] : 0);
        for (let i = 0; i < want.length; i++) expect(site.get(b, i)).toBe(want[i]);
      }
    });
    expect(() => e.embed(randomBatch(1, 3))).toThrow(/built for 4 features, got samples with 3/);
  });
});

function legendreLike(): ScalarEmbedding {
  return polynomial({ degree: 5 });
}

describe('range checks, dtype, normalisation, JSON', () => {
  it("'error' names the sample, feature and value; 'warn' warns once; 'ignore' is silent", () => {
    const x = new Tensor(new Float64Array([0.5, 0.2, 0.1, 1.5, 0.3, -2]), [2, 3]);
    expect(() => trigonometric().embed(x)).toThrow(/feature 0 of sample 1 is 1\.5, outside the expected input range \[0, 1\]/);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const e = trigonometric();
    e.embed(x, { outOfRange: 'warn' });
    e.embed(x, { outOfRange: 'warn' });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/feature 0 of sample 1 is 1\.5/);
    trigonometric().embed(x, { outOfRange: 'ignore' });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(() => trigonometric().embed(new Tensor(new Float64Array([0.1, NaN]), [1, 2]), { outOfRange: 'ignore' })).toThrow(/feature 1 of sample 0 is NaN/);
  });

  it('forgives rounding at the bounds', () => {
    expect(() => trigonometric().embed(new Tensor(new Float64Array([1 + 2 ** -52, -1e-17]), [1, 2]))).not.toThrow();
  });

  it('keeps f32 input as f32 (or the requested dtype) and normalises sites on request', () => {
    const x = randomBatch(3, 4, 0, 1, 'f32');
    expect(fourier({ p: 3 }).embed(x).dtype).toBe('f32');
    expect(fourier({ p: 3 }).embed(x, { dtype: 'f64' }).dtype).toBe('f64');
    const out = fourier({ p: 3 }).embed(randomBatch(3, 4), { normalize: true }).toTypedArray();
    for (let p = 0; p < out.length; p += 3) expect(norm(out.subarray(p, p + 3))).toBeCloseTo(1, 14);
  });

  it('batches of images flatten the trailing axes', () => {
    const x = new Tensor(new Float64Array(2 * 3 * 4).fill(0.25), [2, 3, 4]);
    expect(trigonometric().embed(x).shape).toEqual([2, 12, 2]);
  });

  it('round-trips every serialisable embedding through JSON', () => {
    const all: Embedding[] = [
      trigonometric({ k: 3 }),
      fourier({ p: 4 }),
      linearComplement({ bias: true }),
      polynomial({ degree: 3, bias: false }),
      polynomial({ degree: 2, crossTerms: true, groupSize: 3 }),
      gaussianRbf({ centers: [0, 0.4, 1], gamma: 2 }),
      oneHot({ categories: [3, 1, 2] }),
      perFeature([trigonometric(), linearComplement()]),
    ];
    for (const e of all) {
      const json = JSON.parse(JSON.stringify(e.toJSON()));
      const back = embeddingFromJSON(json);
      expect(back.toJSON()).toEqual(e.toJSON());
      const n = e.kind === 'per-feature' ? 2 : 6;
      const x = e.kind === 'one-hot' ? new Tensor(new Float64Array([1, 2, 3, 3, 2, 1]), [1, 6]) : randomBatch(2, n);
      expect(back.embed(x).toArray()).toEqual(e.embed(x).toArray());
    }
    expect(() => embeddingFromJSON({ type: 'nope' })).toThrow(/unknown embedding type 'nope'/);
  });
});
