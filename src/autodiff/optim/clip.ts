import { allocate } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';

/** √(Σ over all tensors of Σ g²): the norm of all gradients as one vector (overflow-safe). */
export function globalNorm(grads: readonly Tensor[]): number {
  let scale = 0;
  let ssq = 1;
  for (const g of grads) {
    const x = g.toTypedArray();
    for (let i = 0; i < x.length; i++) {
      const v = Math.abs(x[i]!);
      if (Number.isNaN(v)) return NaN;
      if (v === 0) continue;
      if (scale < v) {
        ssq = 1 + ssq * (scale / v) ** 2;
        scale = v;
      } else ssq += (v / scale) ** 2;
    }
  }
  return scale * Math.sqrt(ssq);
}

/**
 * Scales all gradients by min(1, maxNorm/‖g‖) where ‖g‖ is their {@link globalNorm}:
 * the direction is preserved and the global norm becomes at most `maxNorm`.
 * Returns new tensors (the inputs are returned as they are when no clipping is needed).
 */
export function clipByGlobalNorm(grads: readonly Tensor[], maxNorm: number): { grads: Tensor[]; norm: number; clipped: boolean } {
  if (!(maxNorm > 0) || !Number.isFinite(maxNorm)) throw new RangeError(`clipByGlobalNorm: maxNorm must be a positive finite number, got ${maxNorm}`);
  const norm = globalNorm(grads);
  if (Number.isNaN(norm)) throw new RangeError('clipByGlobalNorm: the gradients contain NaN');
  if (norm <= maxNorm) return { grads: [...grads], norm, clipped: false };
  const c = maxNorm / norm;
  return {
    grads: grads.map((g) => {
      const x = g.toTypedArray();
      const out = allocate(g.dtype, x.length);
      for (let i = 0; i < x.length; i++) out[i] = x[i]! * c;
      return new Tensor(out, g.shape);
    }),
    norm,
    clipped: true,
  };
}

/** Clamps every gradient element to [−limit, limit] (or [min, max]). */
export function clipByValue(grads: readonly Tensor[], limit: number | { min: number; max: number }): Tensor[] {
  const lo = typeof limit === 'number' ? -limit : limit.min;
  const hi = typeof limit === 'number' ? limit : limit.max;
  if (!(lo <= hi)) throw new RangeError(`clipByValue: the range [${lo}, ${hi}] is empty`);
  return grads.map((g) => {
    const x = g.toTypedArray();
    const out = allocate(g.dtype, x.length);
    for (let i = 0; i < x.length; i++) out[i] = x[i]! < lo ? lo : x[i]! > hi ? hi : x[i]!;
    return new Tensor(out, g.shape);
  });
}
