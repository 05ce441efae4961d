import { allocate } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import { checkPairs, checkRange, learningRateAt, zerosLike, type LearningRate, type Optimizer } from './optimizer.js';

/** Options of {@link sgd}. */
export interface SgdOptions {
  lr: LearningRate;
  /** Heavy-ball momentum μ (default 0). */
  momentum?: number;
  /** Nesterov momentum: step along g + μ·v instead of v (needs momentum > 0). */
  nesterov?: boolean;
  /** L2 penalty added to the gradient: g + λ·p (default 0). */
  weightDecay?: number;
}

/** SGD's state: the momentum buffers (if any) and the step count. */
export interface SgdState {
  /** Number of updates done so far. */
  step: number;
  /** Momentum buffers (empty when momentum is 0). */
  velocity: Tensor[];
}

/**
 * Stochastic gradient descent (PyTorch conventions): g ← g + λp; v ← μv + g;
 * p ← p − lr·(nesterov ? g + μv : v). With μ = 0 it is plain p ← p − lr·g.
 */
export function sgd(options: SgdOptions): Optimizer<SgdState> {
  const momentum = options.momentum ?? 0;
  const nesterov = options.nesterov ?? false;
  const wd = options.weightDecay ?? 0;
  checkRange('sgd', 'momentum', momentum, 0, 1);
  checkRange('sgd', 'weightDecay', wd, 0, Infinity);
  if (nesterov && momentum === 0) throw new RangeError('sgd: nesterov needs momentum > 0');
  return {
    init: (params) => ({ step: 0, velocity: momentum > 0 ? params.map(zerosLike) : [] }),
    update(grads, state, params) {
      checkPairs('sgd', grads, params);
      const lr = learningRateAt(options.lr, state.step, 'sgd');
      const velocity: Tensor[] = [];
      const next = params.map((p, k) => {
        const x = p.toTypedArray();
        const g = grads[k]!.toTypedArray();
        const out = allocate(p.dtype, x.length);
        if (momentum === 0) {
          for (let i = 0; i < x.length; i++) out[i] = x[i]! - lr * (g[i]! + wd * x[i]!);
        } else {
          const v0 = state.velocity[k]!.toTypedArray();
          const v = allocate(p.dtype, x.length);
          for (let i = 0; i < x.length; i++) {
            const gi = g[i]! + wd * x[i]!;
            const vi = momentum * v0[i]! + gi;
            v[i] = vi;
            out[i] = x[i]! - lr * (nesterov ? gi + momentum * vi : vi);
          }
          velocity.push(new Tensor(v, p.shape));
        }
        return new Tensor(out, p.shape);
      });
      return { params: next, state: { step: state.step + 1, velocity } };
    },
  };
}
