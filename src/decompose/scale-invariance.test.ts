import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers/run-cli.js';
import { writeNpy } from '../io/npy-file.js';
import { availableBackends, withBackend } from '../kernels/registry.js';
import { truncatedSvd } from '../linalg/truncated-svd.js';
import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { cpAls } from './cp-als.js';
import { fitCores } from './fit-cores.js';
import { lmFit } from './levenberg-marquardt.js';
import { rse } from './metrics.js';
import { ringRankMatrix } from '../network/topologies.js';
import { trainRankMatrix } from './rank-matrix.js';
import { lowRankTensor, randInt, randomDims } from '../../test/helpers/decompose-tensors.js';
import { trAls } from './tr-als.js';
import { truncatedSplit } from './truncate.js';
import { trSvd } from './tr-svd.js';
import { ttSvd } from './tt-svd.js';
import { hosvd } from './tucker.js';

/*
 * Every decomposition returns the same ranks and the same RSE (to rounding) on X and on
 * c·X, for c far from 1, on every backend; its RSE is never 0 or NaN for a non-zero error.
 */

const SCALES: number[] = [2 ** 600, 2 ** -600, 1e300, 1e-300, 1e160, 1e200, 1e-200];

/** A low-TT-rank tensor plus noise of relative size ~1e-3, so rse 1e-2 truncates to the TT ranks. */
function noisyLowRank(seed: number): Tensor {
  const rng = new Random(seed);
  const n = randInt(rng, 3, 4);
  const dims = randomDims(rng, n, 3, 5);
  const ranks = Array.from({ length: n - 1 }, () => randInt(rng, 1, 3));
  const { x } = lowRankTensor(dims, trainRankMatrix(ranks), rng);
  const d = x.toTypedArray();
  let big = 0;
  for (const v of d) big = Math.max(big, Math.abs(v));
  return new Tensor(d.map((v) => v + 1e-3 * big * rng.normal()), [...x.shape]);
}

function times(x: Tensor, c: number): Tensor {
  const out = x.toTypedArray().map((v) => v * c);
  expect(out.every(Number.isFinite)).toBe(true);
  return new Tensor(out, [...x.shape]);
}

/** Relative agreement of two RSEs (both must be finite and positive: the error here is never 0). */
function expectSameRse(got: number, want: number, tol: number): void {
  expect(Number.isFinite(got)).toBe(true);
  expect(got).toBeGreaterThan(0);
  expect(Math.abs(got - want)).toBeLessThanOrEqual(tol * want);
}

const arb = fc.record({ seed: fc.integer({ min: 0, max: 1e6 }), c: fc.constantFrom(...SCALES) });

for (const backend of availableBackends()) {
  const run = <T>(fn: () => T): T => withBackend(backend, fn);

  describe(`decompositions are scale invariant (${backend})`, () => {
    it('ttSvd, trSvd and hosvd: same ranks and RSE on X and c·X', () => {
      fc.assert(fc.property(arb, ({ seed, c }) => {
        const x = noisyLowRank(seed);
        const cx = times(x, c);
        const t0 = run(() => ttSvd(x, { rse: 1e-2 }));
        const t1 = run(() => ttSvd(cx, { rse: 1e-2 }));
        expect(t1.ranks).toEqual(t0.ranks);
        expectSameRse(t1.rse, t0.rse, 1e-8);
        expect(t1.cores.every((k) => k.toTypedArray().every(Number.isFinite))).toBe(true);
        if (x.ndim >= 3) {
          const r0 = run(() => trSvd(x, { rse: 1e-2 }));
          const r1 = run(() => trSvd(cx, { rse: 1e-2 }));
          expect(r1.ranks).toEqual(r0.ranks);
          expectSameRse(r1.rse, r0.rse, 1e-8);
        }
        const h0 = run(() => hosvd(x, { rse: 1e-2 }));
        const h1 = run(() => hosvd(cx, { rse: 1e-2 }));
        expect(h1.ranks).toEqual(h0.ranks);
        expectSameRse(h1.rse, h0.rse, 1e-6);
        expect(h1.core.toTypedArray().every(Number.isFinite)).toBe(true);
      }), { numRuns: 8, seed: 7 });
    });

    it('cpAls: same RSE on X and c·X, and the factors reconstruct c·X', () => {
      fc.assert(fc.property(arb, ({ seed, c }) => {
        const x = noisyLowRank(seed);
        const cx = times(x, c);
        const p0 = run(() => cpAls(x, 2, { iters: 15, tol: 0 }));
        const p1 = run(() => cpAls(cx, 2, { iters: 15, tol: 0 }));
        expectSameRse(p1.rse, p0.rse, 1e-6);
        expect(p1.factors.every((f) => f.toTypedArray().every(Number.isFinite))).toBe(true);
      }), { numRuns: 4, seed: 8 });
    });

    it('fitCores, trAls and lmFit: same RSE on X and c·X, finite cores', () => {
      fc.assert(fc.property(arb, ({ seed, c }) => {
        const x = noisyLowRank(seed);
        const cx = times(x, c);
        const R = trainRankMatrix(new Array<number>(x.ndim - 1).fill(2));
        const f0 = run(() => fitCores(x, R, { iters: 6, tol: 0, seed: 1 }));
        const f1 = run(() => fitCores(cx, R, { iters: 6, tol: 0, seed: 1 }));
        expectSameRse(f1.rse, f0.rse, 1e-6);
        expect(f1.cores.every((k) => k.toTypedArray().every(Number.isFinite))).toBe(true);
        const ring = new Array<number>(x.ndim).fill(2);
        const a0 = run(() => trAls(x, ring, { iters: 4, tol: 0, seed: 2 }));
        const a1 = run(() => trAls(cx, ring, { iters: 4, tol: 0, seed: 2 }));
        expectSameRse(a1.rse, a0.rse, 1e-6);
        const small = new Tensor(x.toTypedArray().slice(0, 27), [3, 3, 3]);
        const l0 = run(() => lmFit(small, ringRankMatrix(3, [2, 2, 2]), { iters: 5, seed: 3 }));
        const l1 = run(() => lmFit(times(small, c), ringRankMatrix(3, [2, 2, 2]), { iters: 5, seed: 3 }));
        expectSameRse(l1.rse, l0.rse, 1e-6);
      }), { numRuns: 3, seed: 10 });
    });

    it('truncatedSvd of an unfolding: same rank and relative discarded norm', () => {
      fc.assert(fc.property(arb, ({ seed, c }) => {
        const x = noisyLowRank(seed);
        const m = x.shape[0]!;
        const a0 = new Tensor(x.toTypedArray(), [m, x.size / m]);
        const a1 = times(a0, c);
        const s0 = run(() => truncatedSvd(a0, { rse: 1e-2 }));
        const s1 = run(() => truncatedSvd(a1, { rse: 1e-2 }));
        expect(s1.rank).toBe(s0.rank);
        expect(Math.abs(s1.discardedNorm / c - s0.discardedNorm)).toBeLessThanOrEqual(1e-8 * s0.discardedNorm);
      }), { numRuns: 8, seed: 9 });
    });

    it('a tensor with entries spanning 1e-300…1e300: finite cores and a true, non-zero RSE', () => {
      const rng = new Random(5);
      const d = Float64Array.from({ length: 4 * 5 * 6 }, () => rng.normal() * 10 ** Math.round(600 * rng.uniform() - 300));
      const x = new Tensor(d, [4, 5, 6]);
      const t = run(() => ttSvd(x, { maxRank: 2 }));
      expect(t.cores.every((k) => k.toTypedArray().every(Number.isFinite))).toBe(true);
      expect(t.rse).toBeGreaterThan(0);
      expect(t.rse).toBeLessThan(1);
      const h = run(() => hosvd(x, { ranks: 2 }));
      expect(h.rse).toBeGreaterThan(0);
      expect(h.rse).toBeLessThan(1);
    });
  });
}

describe('truncatedSplit at any scale', () => {
  it('keeps the same rank for c·A with the budget c²·b, and reports c² times the discarded weight', () => {
    const x = noisyLowRank(23);
    const m = x.shape[0]!;
    const n = x.size / m;
    const a = x.toTypedArray();
    const ref = truncatedSplit(a.slice(), m, n, 1e-4 * truncatedSplit(a.slice(), m, n, 0).totalSq);
    for (const c of [1e150, 1e-150, 2 ** 500, 2 ** -500]) {
      const got = truncatedSplit(a.map((v) => v * c), m, n, 1e-4 * ref.totalSq * c * c);
      expect(got.rank).toBe(ref.rank);
      expect(got.discardedSq / (c * c)).toBeCloseTo(ref.discardedSq, 12);
      expect(Number.isFinite(got.totalSq) && got.totalSq > 0).toBe(true);
    }
  });
});

describe('rse and the decompositions refuse what they cannot measure', () => {
  it('rse of c·X̂ against c·X equals that of X̂ against X for huge and tiny c', () => {
    const rng = new Random(3);
    const x = new Tensor(Float64Array.from({ length: 60 }, () => rng.normal()), [3, 4, 5]);
    const y = new Tensor(x.toTypedArray().map((v) => v + 1e-3 * rng.normal()), [3, 4, 5]);
    const want = rse(y, x);
    for (const c of SCALES) expectSameRse(rse(times(y, c), times(x, c)), want, 1e-12);
  });

  it('ttSvd refuses an input whose factors overflow float64 instead of returning a wrong RSE', () => {
    const x = new Tensor(new Float64Array(4 * 4 * 4).fill(Number.MAX_VALUE), [4, 4, 4]);
    expect(() => ttSvd(x, { rse: 0.1 })).toThrow(/overflow/);
  });
});

describe('tnkit decompose on a scaled .npy', () => {
  let dir: string;
  let x: Tensor;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tnkit-scale-'));
    x = noisyLowRank(17);
    writeNpy(join(dir, 'x.npy'), x);
    for (const [name, c] of [['big', 1e200], ['small', 1e-300], ['p600', 2 ** 600]] as const) writeNpy(join(dir, `${name}.npy`), times(x, c));
  });

  for (const format of ['tt', 'tucker']) {
    it(`--format ${format}: same ranks and RSE as the unscaled tensor`, async () => {
      const base = await runCli('decompose', join(dir, 'x.npy'), '--format', format, '--rse', '0.01', '--json');
      expect(base.code).toBe(0);
      const want = JSON.parse(base.stdout) as { ranks: number[]; rse: number };
      expect(want.rse).toBeGreaterThan(0);
      for (const name of ['big', 'small', 'p600']) {
        const got = await runCli('decompose', join(dir, `${name}.npy`), '--format', format, '--rse', '0.01', '--json');
        expect(got.code, got.stderr).toBe(0);
        const summary = JSON.parse(got.stdout) as { ranks: number[]; rse: number };
        expect(summary.ranks).toEqual(want.ranks);
        expectSameRse(summary.rse, want.rse, 1e-6);
      }
    });
  }
});
