import { describe, expect, it } from 'vitest';
import { randn, rand } from '../tensor/create.js';
import { Random } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkGradient } from './gradcheck.js';
import { neg } from './ops/elementwise.js';
import { einsum } from './ops/einsum.js';
import { mean, sum } from './ops/reduce.js';
import { reshape, pick } from './ops/shape.js';
import { logSoftmax } from './ops/softmax.js';
import type { Var } from './variable.js';

const SITES = 6;

/** Random MPS cores [Dl, p, Dr] with boundary bonds of size 1. */
function randomCores(rng: Random, p: number, bonds: number[], classes = 0, classSite = -1): Tensor[] {
  return Array.from({ length: SITES }, (_, s) => {
    const shape = s === classSite ? [bonds[s]!, p, classes, bonds[s + 1]!] : [bonds[s]!, p, bonds[s + 1]!];
    return randn(shape, { rng, scale: 0.7 });
  });
}

function randomBonds(rng: Random): number[] {
  return Array.from({ length: SITES + 1 }, (_, i) => (i === 0 || i === SITES ? 1 : 2 + rng.int(3)));
}

describe('MPS contraction gradients against finite differences', () => {
  it('⟨product state|MPS⟩ as one 12-operand einsum, w.r.t. all six cores', () => {
    for (let trial = 0; trial < 4; trial++) {
      const rng = new Random(trial);
      const p = 2 + rng.int(2);
      const cores = randomCores(rng, p, randomBonds(rng));
      const inputs = Array.from({ length: SITES }, () => rand([p], { rng }));
      // bonds a..g, physical h..m
      const spec = 'ahb,bic,cjd,dke,elf,fmg,h,i,j,k,l,m->';
      const { relativeError, value } = checkGradient((...cs: Var[]) => einsum(spec, ...cs, ...inputs), cores);
      expect(Number.isFinite(value)).toBe(true);
      expect(relativeError).toBeLessThan(1e-6);
    }
  });

  it('batched log-softmax cross-entropy of an MPS classifier (sweep of einsums), w.r.t. all cores', () => {
    for (let trial = 0; trial < 3; trial++) {
      const rng = new Random(100 + trial);
      const p = 2 + rng.int(2);
      const classes = 3;
      const batch = 4;
      const classSite = rng.int(SITES);
      const cores = randomCores(rng, p, randomBonds(rng), classes, classSite);
      const xs = Array.from({ length: SITES }, () => rand([batch, p], { rng }));
      const labels = Array.from({ length: batch }, () => rng.int(classes));
      const loss = (...cs: Var[]): Var => {
        // env carries [batch, class, bond]; the class axis has size 1 until the class core.
        let env: Var | Tensor = onesLike(batch);
        for (let s = 0; s < SITES; s++) {
          env = s === classSite ? einsum('zcl,lpkr,zp->zkr', env, cs[s]!, xs[s]!) : einsum('zcl,lpr,zp->zcr', env, cs[s]!, xs[s]!);
        }
        const logits = reshape(env, [batch, -1]);
        return neg(mean(pick(logSoftmax(logits, 1), labels, 1)));
      };
      const { relativeError } = checkGradient(loss, cores);
      expect(relativeError).toBeLessThan(1e-6);
    }
  });

  it('the gradient of a normalised overlap sums to the right directional derivative', () => {
    // d/dt f(cores + t·dir) at t = 0 equals Σ ⟨grad, dir⟩ (a check on all cores at once).
    const rng = new Random(42);
    const cores = randomCores(rng, 2, randomBonds(rng));
    const inputs = Array.from({ length: SITES }, () => rand([2], { rng }));
    const spec = 'ahb,bic,cjd,dke,elf,fmg,h,i,j,k,l,m->';
    const f = (...cs: Var[]): Var => sum(einsum(spec, ...cs, ...inputs));
    const { analytic } = checkGradient(f, cores);
    const dirs = cores.map((c) => randn(c.shape, { rng }));
    const at = (t: number): number => {
      const shifted = cores.map((c, k) => {
        const out = c.copy();
        for (let i = 0; i < out.size; i++) out.data[i] = out.data[i]! + t * dirs[k]!.data[i]!;
        return out;
      });
      return einsumValue(spec, shifted, inputs);
    };
    const h = 1e-6;
    const numeric = (at(h) - at(-h)) / (2 * h);
    let predicted = 0;
    analytic.forEach((g, k) => g.toTypedArray().forEach((v, i) => (predicted += v * dirs[k]!.data[i]!)));
    expect(Math.abs(numeric - predicted)).toBeLessThan(1e-6 * Math.max(1, Math.abs(predicted)));
  });
});

/** Ones of shape [batch, 1, 1]: the left boundary environment. */
function onesLike(batch: number): Tensor {
  const t = randn([batch, 1, 1], { seed: 0 });
  t.data.fill(1);
  return t;
}

function einsumValue(spec: string, cores: Tensor[], inputs: Tensor[]): number {
  return einsum(spec, ...cores, ...inputs).item();
}
