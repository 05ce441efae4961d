/**
 * The gated network of RGTN: every edge e = (i, j) carries an edge gate g_e and every
 * bond slice k ≥ 1 a slice gate g_{e,k}, each g = sigmoid(θ/τ). The bond is contracted
 * through the weights w_e = [1, g_e·g_{e,1}, …, g_e·g_{e,r−1}] (multiplied into core i,
 * i < j): a mix of the full bond and the rank-1 bond made of slice 0, so g_e → 0 removes
 * the edge and g_{e,k} → 0 shrinks its rank.
 *
 * Loss = reconstruction (squared RSE on the observed entries)
 *      + γ · smooth CR (Σ_i d_i Π_e (1 + Σ_k w_{e,k}) / entries)
 *      + δ · mean gate entropy (−g log g − (1−g) log(1−g): pushes gates to 0 or 1)
 *      + ε · Σ ‖G_i‖² / entries (weight decay).
 */
import {
  add, concat, constant, einsum, log, mul, reshape, scale, sigmoid, slice, square, sub, sum, type Var,
} from '../autodiff/index.js';
import { labelNetwork } from '../network/core-layout.js';
import { neighbours, type RankMatrix } from '../network/index.js';
import { Tensor } from '../tensor/tensor.js';
import { activeEdges } from './structure.js';

/** Weights of the RGTN loss. */
export interface LossWeights {
  /** γ: weight of the smooth compression ratio. */
  gamma: number;
  /** δ: weight of the gate entropy. */
  delta: number;
  /** ε: weight decay on the cores. */
  epsilon: number;
}

/** The parts of one loss evaluation. */
export interface LossParts {
  total: number;
  recon: number;
  cr: number;
  entropy: number;
}

/**
 * Gate logits of a structure: one edge logit per active edge (in {@link activeEdges}
 * order) and one slice logit per bond slice k ≥ 1.
 */
export interface GateLogits {
  edge: Tensor;
  slices: Tensor[];
}

/** Fresh logits θ0 for every edge and slice of R. */
export function initialGates(R: RankMatrix, theta0: number): GateLogits {
  const edges = activeEdges(R);
  return {
    edge: new Tensor(new Float64Array(edges.length).fill(theta0), [edges.length]),
    slices: edges.map(([i, j]) => new Tensor(new Float64Array(R[i]![j]! - 1).fill(theta0), [R[i]![j]! - 1])),
  };
}

/** The gate values sigmoid(θ/τ) as plain numbers: edge gates, and slice gates per edge. */
export function gateValues(g: GateLogits, tau: number): { edge: number[]; slices: number[][] } {
  const s = (t: number): number => 1 / (1 + Math.exp(-t / tau));
  return { edge: [...g.edge.toTypedArray()].map(s), slices: g.slices.map((t) => [...t.toTypedArray()].map(s)) };
}

/**
 * Builds the loss as a function of Vars [...cores, edgeLogits, ...sliceLogits] for
 * valueAndGrad. `parts` receives the components of the last evaluation.
 */
export function gatedLoss(
  x: Tensor, R: RankMatrix, tau: number, weights: LossWeights, mask: Uint8Array | undefined, parts: Partial<LossParts> = {},
): (...params: Var[]) => Var {
  const n = R.length;
  const dims = [...x.shape];
  const entries = x.size;
  const edges = activeEdges(R);
  const labels = labelNetwork(R);
  const spec = `${labels.core.join(',')}->${labels.physical.join('')}`;
  const maskT = mask ? new Tensor(Float64Array.from(mask), dims) : undefined;
  const xd = x.toTypedArray();
  let normSq = 0;
  for (let p = 0; p < xd.length; p++) if (mask?.[p] !== 0) normSq += xd[p]! * xd[p]!;
  normSq = normSq || 1;
  const one = new Tensor(Float64Array.of(1), [1]);
  return (...params: Var[]): Var => {
    const cores = params.slice(0, n);
    const edgeTheta = params[n]!;
    const sliceTheta = params.slice(n + 1);
    const gated = [...cores];
    const reff: Var[] = [];
    let entropy: Var | undefined;
    let gateCount = 0;
    const addEntropy = (g: Var, count: number): void => {
      const h = scale(sum(add(mul(g, log(add(g, 1e-12))), mul(sub(1, g), log(add(sub(1, g), 1e-12))))), -1);
      entropy = entropy ? add(entropy, h) : h;
      gateCount += count;
    };
    edges.forEach(([i, j], e) => {
      const ge = sigmoid(scale(slice(edgeTheta, [e, e + 1]), 1 / tau));
      const gs = sigmoid(scale(sliceTheta[e]!, 1 / tau));
      addEntropy(ge, 1);
      addEntropy(gs, gs.size);
      const rest = mul(gs, ge);
      reff.push(add(sum(rest), 1));
      const w = concat([constant(one), rest]);
      const axis = 1 + neighbours(i, R).indexOf(j);
      const shape = cores[i]!.shape.map((d, a) => (a === axis ? d : 1));
      gated[i] = mul(gated[i]!, reshape(w, shape));
    });
    const model = einsum(spec, ...gated);
    const diff = sub(model, constant(x));
    const recon = scale(sum(square(maskT ? mul(diff, constant(maskT)) : diff)), 1 / normSq);
    // Smooth parameter count.
    let count: Var | undefined;
    for (let i = 0; i < n; i++) {
      let c: Var = constant(new Tensor(Float64Array.of(dims[i]!), []));
      edges.forEach(([a, b], e) => {
        if (a === i || b === i) c = mul(c, reff[e]!);
      });
      count = count ? add(count, c) : c;
    }
    const cr = scale(count!, 1 / entries);
    let decay: Var | undefined;
    for (const c of cores) {
      const s = sum(square(c));
      decay = decay ? add(decay, s) : s;
    }
    let total = add(recon, scale(cr, weights.gamma));
    if (entropy) total = add(total, scale(entropy, weights.delta / Math.max(1, gateCount)));
    total = add(total, scale(decay!, weights.epsilon / entries));
    parts.recon = recon.item();
    parts.cr = cr.item();
    parts.entropy = entropy ? entropy.item() / Math.max(1, gateCount) : 0;
    parts.total = total.item();
    return total;
  };
}

/** Multiplies the gate weights into the cores (core i of each edge i < j), giving a plain network. */
export function absorbGates(cores: readonly Tensor[], R: RankMatrix, gates: GateLogits, tau: number): Tensor[] {
  const values = gateValues(gates, tau);
  const out = cores.map((c) => c.copy());
  activeEdges(R).forEach(([i, j], e) => {
    const w = [1, ...values.slices[e]!.map((g) => g * values.edge[e]!)];
    const axis = 1 + neighbours(i, R).indexOf(j);
    const core = out[i]!;
    const shape = core.shape;
    const data = core.data;
    let inner = 1;
    for (let a = axis + 1; a < shape.length; a++) inner *= shape[a]!;
    const r = shape[axis]!;
    for (let p = 0; p < data.length; p++) data[p] = data[p]! * w[Math.floor(p / inner) % r]!;
  });
  return out;
}
