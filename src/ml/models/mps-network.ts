/**
 * The MPS model as a labelled network — the one description of its contraction. The model's
 * `toNetwork()` is this network; the op-by-op forward pass (mps-model.ts) and the two-site
 * sweep (sweep-mps.ts) contract with einsum specs generated from its indices
 * ({@link MpsSteps}); the fused forward/backward pass (mps-chain.ts) is checked against its
 * plain contraction in mps-network.test.ts.
 */
import { chainNetwork, chainSiteLegs } from '../../network/core-layout.js';
import { einsumSpec } from '../../network/contract.js';
import { Index } from '../../network/tensor-index.js';
import type { TensorNetwork } from '../../network/tensor-network.js';
import type { Tensor } from '../../tensor/tensor.js';

/**
 * Cores `[l, p, r]` (and `[l, p, c, r]` at `outputSite`) as a tensor network: the chain network
 * of core-layout.ts with the class index tagged 'out' on the output core.
 */
export function mpsNetwork(cores: readonly Tensor[], outputSite: number): TensorNetwork {
  const physDim = cores[0]!.shape[1]!;
  return chainNetwork(cores, physDim, (core, s) => (s === outputSite ? new Index(core.shape[2]!, 'out') : null));
}

/**
 * The einsum specs of every contraction step of an MPS model, generated from its network.
 * Environments carry a batch index b; the sweep's environments also carry the class index
 * once the output site is inside them, and a size-1 stand-in before.
 */
export class MpsSteps {
  /** leftStep[s]: env `[b, l]` through core s and φ_s `[b, p]` → `[b, r]` (s ≠ output site). */
  readonly leftStep: readonly string[];
  /** rightStep[s]: core s, φ_s `[b, p]` and env `[b, r]` → `[b, l]` (s ≠ output site). */
  readonly rightStep: readonly string[];
  /** Left env `[b, l]`, output core, φ `[b, p]`, right env `[b, r]` → scores `[b, c]`. */
  readonly scores: string;
  /** extendLeft[s]: env `[b, c or 1, l]` through core s and φ_s → `[b, c or 1, r]`. */
  readonly extendLeft: readonly string[];
  /** extendRight[s]: core s, φ_s and env `[b, c or 1, r]` → `[b, c or 1, l]`. */
  readonly extendRight: readonly string[];
  /** localScores[k]: left env, merged cores k, k+1, φ_k, φ_{k+1}, right env → scores `[b, c]`. */
  readonly localScores: readonly string[];

  constructor(net: TensorNetwork, readonly outputSite: number) {
    const n = net.size;
    const legs = Array.from({ length: n }, (_, s) => chainSiteLegs(net, s));
    const out = legs[outputSite]!.out;
    if (out === null) throw new RangeError(`MpsSteps: core ${outputSite} has no output index`);
    const b = new Index(1, 'batch');
    // The class leg of a sweep environment: the output index once the output site is inside it.
    const none = (tag: string): Index => new Index(1, tag);
    const leftClass = (s: number): Index => (s > outputSite ? out : none('noclass'));
    const rightClass = (s: number): Index => (s < outputSite ? out : none('noclass'));

    this.leftStep = legs.map(({ left, phys, right, all }) => einsumSpec([[b, left], all, [b, phys]], [b, right]));
    this.rightStep = legs.map(({ left, phys, right, all }) => einsumSpec([all, [b, phys], [b, right]], [b, left]));
    const o = legs[outputSite]!;
    this.scores = einsumSpec([[b, o.left], o.all, [b, o.phys], [b, o.right]], [b, out]);
    // The class leg is summed in through the environment when the step's core has none.
    this.extendLeft = legs.map(({ left, phys, right, all }, s) => {
      const c = leftClass(s);
      return einsumSpec([[b, c, left], all, [b, phys]], [b, s === outputSite ? out : c, right]);
    });
    this.extendRight = legs.map(({ left, phys, right, all }, s) => {
      const c = rightClass(s);
      return einsumSpec([all, [b, phys], [b, c, right]], [b, s === outputSite ? out : c, left]);
    });
    this.localScores = legs.slice(0, -1).map((a, k) => {
      const z = legs[k + 1]!;
      // The merged tensor's legs: core k's without the shared bond, then core k+1's without it.
      const merged = [...a.all.slice(0, -1), ...z.all.slice(1)];
      return einsumSpec([[b, leftClass(k), a.left], merged, [b, a.phys], [b, z.phys], [b, rightClass(k + 1), z.right]], [b, out]);
    });
  }
}
