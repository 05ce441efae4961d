/** Helpers for the autodiff tests (random shapes, projections to a scalar). */
import { randn } from '../../src/tensor/create.js';
import type { Random } from '../../src/tensor/random.js';
import { sum } from '../../src/autodiff/ops/reduce.js';
import { mul } from '../../src/autodiff/ops/elementwise.js';
import type { Var } from '../../src/autodiff/variable.js';

/** A random shape with `ndim` axes of sizes in [lo, hi]. */
export function randomShape(rng: Random, ndim: number, lo = 1, hi = 4): number[] {
  return Array.from({ length: ndim }, () => lo + rng.int(hi - lo + 1));
}

/**
 * Σ y ∘ W for a fixed random W: a scalar that depends on every element of `y` with a
 * different weight, so a wrong gradient in any element shows up. W depends only on
 * `seed` and the shape, so repeated evaluations (finite differences) see the same W.
 */
export function project(y: Var, seed: number): Var {
  return sum(mul(y, randn(y.shape, { seed })));
}
