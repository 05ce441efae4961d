/** Central finite-difference checks of gradients, for tests of losses built on autodiff. */
import { Tensor } from '../tensor/tensor.js';
import { valueAndGrad } from './grad.js';
import { constant, type Var } from './variable.js';

/** Options of {@link checkGradient}. */
export interface GradientCheckOptions {
  /** Finite-difference step (default 1e-6, scaled by max(1, |x|)). */
  step?: number;
}

/** How well the autodiff gradient matches central finite differences. */
export interface GradientCheck {
  /** max over parameters of ‖g_auto − g_fd‖₂ / max(‖g_auto‖₂, ‖g_fd‖₂, 1e-300); 0 when both vanish. */
  relativeError: number;
  /** Per parameter, the same measure. */
  perParameter: number[];
  value: number;
  analytic: Tensor[];
  numeric: Tensor[];
}

/**
 * Compares the reverse-mode gradient of scalar `f` with central differences
 * (f(x + h) − f(x − h)) / 2h, perturbing every element of every f64 parameter.
 * Cost: two evaluations of `f` per element, so use small shapes.
 */
export function checkGradient(f: (...params: Var[]) => Var, params: readonly Tensor[], options: GradientCheckOptions = {}): GradientCheck {
  const h0 = options.step ?? 1e-6;
  const { value, grads } = valueAndGrad(f, params);
  const work = params.map((p) => p.astype('f64').copy());
  const evaluate = (): number => f(...work.map(constant)).value.item();
  const numeric = work.map((p) => {
    const out = new Tensor(new Float64Array(p.size), p.shape);
    for (let i = 0; i < p.size; i++) {
      const x = p.data[i]!;
      const h = h0 * Math.max(1, Math.abs(x));
      p.data[i] = x + h;
      const up = evaluate();
      p.data[i] = x - h;
      const down = evaluate();
      p.data[i] = x;
      out.data[i] = (up - down) / (2 * h);
    }
    return out;
  });
  const perParameter = grads.map((g, k) => {
    const a = g.toTypedArray();
    const b = numeric[k]!.data;
    let diff = 0;
    let na = 0;
    let nb = 0;
    for (let i = 0; i < a.length; i++) {
      diff += (a[i]! - b[i]!) ** 2;
      na += a[i]! ** 2;
      nb += b[i]! ** 2;
    }
    const scale = Math.max(Math.sqrt(na), Math.sqrt(nb));
    return scale === 0 ? 0 : Math.sqrt(diff) / Math.max(scale, 1e-300);
  });
  return { relativeError: Math.max(0, ...perParameter), perParameter, value, analytic: grads, numeric };
}
