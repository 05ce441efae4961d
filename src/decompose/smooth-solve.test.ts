import { describe, expect, it } from 'vitest';
import { Random } from '../tensor/random.js';
import { ridgeSolve } from './ridge-solve.js';
import { pathLaplacianEigen, smoothSolve } from './smooth-solve.js';

/** A random symmetric positive semi-definite n×n matrix M·Mᵀ (rank ≤ k). */
function randomGram(rng: Random, n: number, k: number): Float64Array {
  const m = Float64Array.from({ length: n * k }, () => rng.normal());
  const a = new Float64Array(n * n);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) for (let t = 0; t < k; t++) a[r * n + c] += m[r * k + t]! * m[c * k + t]!;
  return a;
}

/** The d×d path Laplacian (second differences, free ends), written out. */
function pathLaplacian(d: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let j = 0; j + 1 < d; j++) {
    l[j * d + j] += 1;
    l[(j + 1) * d + j + 1] += 1;
    l[j * d + j + 1] -= 1;
    l[(j + 1) * d + j] -= 1;
  }
  return l;
}

describe('pathLaplacianEigen', () => {
  it('is an orthonormal eigenbasis of the path Laplacian', () => {
    for (const d of [1, 2, 3, 7, 16]) {
      const { basis: u, values } = pathLaplacianEigen(d);
      const l = pathLaplacian(d);
      for (let a = 0; a < d; a++) {
        for (let b = 0; b < d; b++) {
          let dot = 0;
          let lu = 0;
          for (let j = 0; j < d; j++) {
            dot += u[j * d + a]! * u[j * d + b]!;
            lu += l[a * d + j]! * u[j * d + b]!;
          }
          expect(dot).toBeCloseTo(a === b ? 1 : 0, 12);
          // (L·u_b)[a] = ℓ_b·u_b[a]
          expect(lu).toBeCloseTo(values[b]! * u[a * d + b]!, 12);
        }
      }
    }
  });
});

describe('smoothSolve', () => {
  it('solves G·(A + λI) + μ·L·G = B on random problems', () => {
    const rng = new Random(3);
    for (let trial = 0; trial < 12; trial++) {
      const d = 1 + rng.int(9);
      const n = 1 + rng.int(8);
      const a = randomGram(rng, n, 1 + rng.int(n + 2));
      const b = Float64Array.from({ length: d * n }, () => rng.normal());
      const ridge = 1e-3;
      const smoothness = [0.01, 0.3, 2][trial % 3]!;
      const g = smoothSolve(b, a, d, n, ridge, smoothness);
      let top = 0;
      // λ is relative to A's largest eigenvalue (power method), μ to its mean (trace / n).
      let v = Float64Array.from({ length: n }, () => 1);
      for (let it = 0; it < 500; it++) {
        const w = new Float64Array(n);
        for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) w[r] += a[r * n + c]! * v[c]!;
        const norm = Math.hypot(...w);
        top = norm;
        v = w.map((x) => x / (norm || 1));
      }
      const lambda = ridge * top;
      let trace = 0;
      for (let k = 0; k < n; k++) trace += a[k * n + k]!;
      const mu = smoothness * (trace / n);
      const l = pathLaplacian(d);
      const scale = Math.max(1, ...Array.from(b, Math.abs));
      for (let r = 0; r < d; r++) {
        for (let c = 0; c < n; c++) {
          let lhs = lambda * g[r * n + c]!;
          for (let k = 0; k < n; k++) lhs += g[r * n + k]! * a[k * n + c]!;
          for (let j = 0; j < d; j++) lhs += mu * l[r * d + j]! * g[j * n + c]!;
          expect(Math.abs(lhs - b[r * n + c]!)).toBeLessThan(1e-7 * scale * (1 + top));
        }
      }
    }
  });

  it('equals the ridge solve at smoothness 0 and keeps f32 inputs f32', () => {
    const rng = new Random(9);
    for (let trial = 0; trial < 5; trial++) {
      const d = 2 + rng.int(6);
      const n = 1 + rng.int(6);
      const a = randomGram(rng, n, n);
      const b = Float64Array.from({ length: d * n }, () => rng.normal());
      const g = smoothSolve(b, a, d, n, 1e-6, 0);
      const h = ridgeSolve(b, a, d, n, 1e-6);
      for (let p = 0; p < g.length; p++) expect(g[p]).toBeCloseTo(h[p]!, 9);
    }
    const out = smoothSolve(new Float32Array([1, 2, 3, 4]), new Float64Array([2, 0, 0, 1]), 2, 2, 0, 0.5);
    expect(out).toBeInstanceOf(Float32Array);
  });

  it('names a bad weight or size', () => {
    expect(() => smoothSolve(new Float64Array(2), new Float64Array(1), 2, 1, 0, -1)).toThrow(/smoothness must be a non-negative number, got -1/);
    expect(() => pathLaplacianEigen(0)).toThrow(/d must be a positive integer/);
  });
});
