/**
 * The MPO model's contraction steps, generated from its labelled network (the model's
 * `toNetwork()`: cores `[l, p, q, r]` with an output index on every site).
 */
import { chainSiteLegs } from '../../network/core-layout.js';
import { einsumSpec } from '../../network/contract.js';
import { Index } from '../../network/tensor-index.js';
import type { TensorNetwork } from '../../network/tensor-network.js';

/** The einsum specs of an MPO model's forward pass and output MPS, site by site. */
export class MpoSteps {
  /** forwardStep[s]: env `[b, Q, l]` (Q: the output legs of sites < s, fused), core s, φ_s `[b, p]` → `[b, Q, q, r]`. */
  readonly forwardStep: readonly string[];
  /** outputCore[s]: core s and φ_s `[b, p]` → the batched output-MPS core `[b, l, q, r]`. */
  readonly outputCore: readonly string[];

  constructor(net: TensorNetwork) {
    const b = new Index(1, 'batch');
    const done = new Index(1, 'out-so-far');
    const legs = Array.from({ length: net.size }, (_, s) => chainSiteLegs(net, s));
    this.forwardStep = legs.map(({ left, phys, out, right, all }) => einsumSpec([[b, done, left], all, [b, phys]], [b, done, out!, right]));
    this.outputCore = legs.map(({ left, phys, out, right, all }) => einsumSpec([all, [b, phys]], [b, left, out!, right]));
  }
}
