import { describe, expect, it } from 'vitest';
import { availableBackends, withBackend } from '../kernels/registry.js';
import { matmul } from '../linalg/matmul.js';
import { zeros } from '../tensor/create.js';
import { norm } from '../tensor/reduce.js';
import { Random } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { canonicalize, leftCanonical, mpsNorm, normalize, rightCanonical } from './canonical-form.js';
import { compress } from './compression.js';
import { expectation } from './expectation.js';
import { MatrixProductOperator } from './matrix-product-operator.js';
import { MatrixProductState } from './matrix-product-state.js';
import { applyMpo } from './mpo-application.js';
import { overlap } from './overlap.js';
import { maxAbsDiff } from '../../test/helpers/networks.js';
import { mps } from './topologies.js';

function randomDims(rng: Random, L: number): number[] {
  return Array.from({ length: L }, () => 2 + rng.int(2));
}

function dot(a: Tensor, b: Tensor): number {
  const x = a.toTypedArray();
  const y = b.toTypedArray();
  let s = 0;
  for (let k = 0; k < x.length; k++) s += x[k]! * y[k]!;
  return s;
}

/** ‖AᵀA − I‖ over the right bond (left-orthonormal) or ‖BBᵀ − I‖ over the left bond. */
function isometryError(site: Tensor, side: 'left' | 'right'): number {
  const [l, p, r] = site.shape as [number, number, number];
  const m = side === 'left' ? site.reshape(l * p, r) : site.reshape(l, p * r);
  const g = side === 'left' ? matmul(m, m, { transA: true }) : matmul(m, m, { transB: true });
  let e = 0;
  for (let i = 0; i < g.shape[0]!; i++) for (let j = 0; j < g.shape[1]!; j++) e = Math.max(e, Math.abs(g.get(i, j) - (i === j ? 1 : 0)));
  return e;
}

/** ψ + ψ as a redundant MPS of twice the bond dimension (block-diagonal sites) whose true rank is ψ's. */
function doubled(psi: MatrixProductState): MatrixProductState {
  const L = psi.length;
  const sites = psi.sites.map((s, i) => {
    const [l, p, r] = s.shape as [number, number, number];
    const L2 = i === 0 ? 1 : 2 * l;
    const R2 = i === L - 1 ? 1 : 2 * r;
    const out = zeros([L2, p, R2]);
    for (const block of [0, 1]) {
      for (let a = 0; a < l; a++) for (let q = 0; q < p; q++) for (let b = 0; b < r; b++) {
        out.setInPlace(s.get(a, q, b), i === 0 ? a : block * l + a, q, i === L - 1 ? b : block * r + b);
      }
    }
    return out;
  });
  return new MatrixProductState(sites, psi.physical);
}

describe.each(availableBackends())('MPS algorithms on the %s backend', (backend) => {
  it('canonical forms are isometric and preserve the state (random chains)', () => {
    withBackend(backend, () => {
      const rng = new Random(41);
      for (let trial = 0; trial < 8; trial++) {
        const L = 2 + rng.int(5);
        const psi = MatrixProductState.random(randomDims(rng, L), 1 + rng.int(5), { seed: trial });
        const dense = psi.toDense();
        const c = rng.int(L);
        const mixed = canonicalize(psi, c);
        expect(mixed.centre).toBe(c);
        mixed.sites.forEach((s, i) => {
          if (i < c) expect(isometryError(s, 'left')).toBeLessThan(1e-12);
          if (i > c) expect(isometryError(s, 'right')).toBeLessThan(1e-12);
        });
        expect(maxAbsDiff(mixed.toDense().toTypedArray(), dense.toTypedArray())).toBeLessThan(1e-11 * norm(dense));
        const moved = canonicalize(mixed, L - 1 - c);
        moved.sites.forEach((s, i) => {
          if (i < L - 1 - c) expect(isometryError(s, 'left')).toBeLessThan(1e-12);
          if (i > L - 1 - c) expect(isometryError(s, 'right')).toBeLessThan(1e-12);
        });
        expect(leftCanonical(psi).centre).toBe(L - 1);
        expect(rightCanonical(psi).centre).toBe(0);
        expect(mpsNorm(psi)).toBeCloseTo(norm(dense), 9);
        expect(mpsNorm(normalize(psi))).toBeCloseTo(1, 12);
      }
    });
  });

  it('overlap and norm equal the dense ones', () => {
    withBackend(backend, () => {
      const rng = new Random(42);
      for (let trial = 0; trial < 8; trial++) {
        const dims = randomDims(rng, 2 + rng.int(5));
        const a = MatrixProductState.random(dims, 1 + rng.int(4), { seed: 2 * trial });
        const b = MatrixProductState.random(dims, 1 + rng.int(4), { seed: 2 * trial + 1 });
        const expected = dot(a.toDense(), b.toDense());
        expect(Math.abs(overlap(a, b) - expected)).toBeLessThan(1e-10 * (1 + Math.abs(expected)));
        // The same through networks: b re-indexed onto a's physical indices so inner() matches them.
        const bOnA = new MatrixProductState(b.sites, a.physical);
        expect(Math.abs(a.toNetwork().inner(bOnA.toNetwork()) - expected)).toBeLessThan(1e-10 * (1 + Math.abs(expected)));
        expect(a.toNetwork().norm()).toBeCloseTo(mpsNorm(a), 9);
      }
    });
  });

  it('compression of a redundant MPS of known low rank is exact', () => {
    withBackend(backend, () => {
      const rng = new Random(43);
      for (let trial = 0; trial < 6; trial++) {
        const dims = randomDims(rng, 3 + rng.int(4));
        const chi = 1 + rng.int(3);
        const psi = MatrixProductState.random(dims, chi, { seed: trial });
        const big = doubled(psi);
        expect(big.maxBond()).toBe(2 * psi.maxBond());
        const target = psi.toDense();
        for (const opts of [{ maxRank: chi }, { maxRank: dims.slice(1).map(() => chi) }, { rse: 1e-10 }]) {
          const { state, errorBound } = compress(big, opts);
          expect(state.maxBond()).toBeLessThanOrEqual(chi);
          const d = state.toDense().toTypedArray();
          const t = target.toTypedArray();
          expect(maxAbsDiff(d, Array.from(t, (x) => 2 * x))).toBeLessThan(1e-9 * norm(target));
          expect(errorBound).toBeLessThan(1e-9 * norm(target));
        }
      }
    });
  });

  it('the truncation error bound holds and rse bounds the relative error', () => {
    withBackend(backend, () => {
      const rng = new Random(44);
      for (let trial = 0; trial < 8; trial++) {
        const dims = randomDims(rng, 3 + rng.int(4));
        const psi = MatrixProductState.random(dims, 4 + rng.int(3), { seed: 10 + trial });
        const dense = psi.toDense();
        const n = norm(dense);
        const { state, errorBound, discardedNorms } = compress(psi, { maxRank: 1 + rng.int(3) });
        const err = norm(subtract(state.toDense(), dense));
        expect(err).toBeLessThanOrEqual(errorBound * (1 + 1e-8) + 1e-12 * n);
        expect(err).toBeGreaterThanOrEqual(errorBound * (1 - 1e-6) - 1e-12 * n); // equality in exact arithmetic
        expect(discardedNorms).toHaveLength(dims.length - 1);
        const bound = 0.05 + 0.4 * rng.uniform();
        const r = compress(psi, { rse: bound });
        expect(norm(subtract(r.state.toDense(), dense))).toBeLessThanOrEqual(bound * n * (1 + 1e-9));
        expect(r.errorBound).toBeLessThanOrEqual(bound * n * (1 + 1e-9));
      }
      expect(() => compress(MatrixProductState.random([2, 2], 2), { maxRank: 0 })).toThrow(/maxRank/);
      expect(() => compress(MatrixProductState.random([2, 2, 2], 2), { maxRank: [2] })).toThrow(/maxRank needs 2 entries \(one per bond\), got 1/);
      expect(() => compress(MatrixProductState.random([2, 2, 2], 2), { maxRank: [2, 0] })).toThrow(/maxRank\[1\] must be a positive integer, got 0/);
      // One cap per bond: each bond is cut to its own cap.
      const psi = MatrixProductState.random([2, 2, 2, 2], 4, { seed: 3 });
      expect(compress(psi, { maxRank: [2, 3, 1] }).state.bondDims()).toEqual([2, 3, 1]);
      expect(() => compress(MatrixProductState.random([2, 2], 2), { rse: 2 })).toThrow(/rse/);
    });
  });

  it('MPO application equals the dense matrix–vector product, exact and compressed', () => {
    withBackend(backend, () => {
      const rng = new Random(45);
      for (let trial = 0; trial < 6; trial++) {
        const dims = randomDims(rng, 2 + rng.int(3));
        const psi = MatrixProductState.random(dims, 1 + rng.int(3), { seed: trial });
        const op = MatrixProductOperator.random(dims, 1 + rng.int(3), { seed: 100 + trial });
        const M = op.toMatrix();
        const v = psi.toDense().reshape(-1, 1);
        const expected = matmul(M, v).toTypedArray();
        const out = applyMpo(op, psi);
        expect(out.maxBond()).toBe(psi.maxBond() * op.bondDims().reduce((m, d) => Math.max(m, d), 1));
        expect(maxAbsDiff(out.toDense().toTypedArray(), expected)).toBeLessThan(1e-10 * (1 + norm(matmul(M, v))));
        const compressed = applyMpo(op, psi, { rse: 1e-12 });
        expect(maxAbsDiff(compressed.toDense().toTypedArray(), expected)).toBeLessThan(1e-9 * (1 + norm(matmul(M, v))));
        // Non-square operators map to the MPO's output space.
        const wide = MatrixProductOperator.random(dims.map((d) => d + 1), 2, { seed: 7, dimsIn: dims });
        expect(applyMpo(wide, psi).physicalDims()).toEqual(dims.map((d) => d + 1));
      }
      expect(() => applyMpo(MatrixProductOperator.random([2, 3], 2), MatrixProductState.random([2, 2], 2))).toThrow(/site 1/);
    });
  });

  it('expectation values equal the dense ψᵀ·M·ψ', () => {
    withBackend(backend, () => {
      const rng = new Random(46);
      for (let trial = 0; trial < 6; trial++) {
        const dims = randomDims(rng, 2 + rng.int(4));
        const psi = MatrixProductState.random(dims, 1 + rng.int(3), { seed: trial });
        const op = MatrixProductOperator.random(dims, 1 + rng.int(3), { seed: 50 + trial });
        const v = psi.toDense().reshape(-1, 1);
        const expected = matmul(v, matmul(op.toMatrix(), v), { transA: true }).item();
        expect(Math.abs(expectation(psi, op) - expected)).toBeLessThan(1e-10 * (1 + Math.abs(expected)));
        const nn = dot(v, v);
        expect(expectation(psi, op, { normalize: true })).toBeCloseTo(expected / nn, 9);
        expect(expectation(psi, MatrixProductOperator.identity(dims), { normalize: true })).toBeCloseTo(1, 12);
      }
    });
  });
});

describe('MPS algorithms in f32', () => {
  it('keep the dtype and agree with f64 to single precision', () => {
    const psi64 = MatrixProductState.random([2, 3, 2, 3, 2], 4, { seed: 3 });
    const psi32 = MatrixProductState.random([2, 3, 2, 3, 2], 4, { seed: 3, dtype: 'f32' });
    const canon = canonicalize(psi32, 2);
    expect(canon.sites.every((s) => s.dtype === 'f32')).toBe(true);
    const d64 = psi64.toDense();
    expect(maxAbsDiff(canon.toDense().toTypedArray(), d64.toTypedArray())).toBeLessThan(1e-5 * norm(d64));
    expect(overlap(psi32, psi32)).toBeCloseTo(overlap(psi64, psi64), -Math.log10(1e-5 * overlap(psi64, psi64)));
    const c = compress(psi32, { maxRank: 2 });
    expect(c.state.dtype).toBe('f32');
    expect(c.errorBound).toBeCloseTo(compress(psi64, { maxRank: 2 }).errorBound, 3);
  });
});

describe('MatrixProductState conversions', () => {
  it('round-trips through networks following the rank-matrix convention', () => {
    const net = mps([2, 3, 2, 4], [3, 1, 2], { seed: 9 });
    const psi = MatrixProductState.fromNetwork(net);
    expect(psi.bondDims()).toEqual([3, 1, 2]);
    const outer = net.outerIndices();
    expect(psi.physical).toEqual(outer);
    expect(maxAbsDiff(psi.toDense().toTypedArray(), net.toDense(outer).toTypedArray())).toBeLessThan(1e-12);
    const back = psi.toNetwork();
    expect(back.tensors().map((t) => [...t.shape])).toEqual(net.tensors().map((t) => [...t.shape]));
    expect(maxAbsDiff(back.toDense(outer).toTypedArray(), net.toDense(outer).toTypedArray())).toBeLessThan(1e-12);
    expect(() => MatrixProductState.fromNetwork(mps([2, 2, 2], 2).copy().subnetwork([0, 2]))).toThrow(/I1/);
  });
});

function subtract(a: Tensor, b: Tensor): Tensor {
  const x = a.toTypedArray();
  const y = b.toTypedArray();
  const out = zeros([...a.shape]);
  for (let k = 0; k < x.length; k++) out.data[k] = x[k]! - y[k]!;
  return out;
}
