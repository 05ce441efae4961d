/**
 * The SMPO model's double-layer contractions, generated from its labelled network (the model's
 * `toNetwork()`): the ket layer is the network itself, the bra layer the same cores with every
 * bond primed (and, for ‖P·φ‖², the physical index primed so each layer reads its own copy of
 * φ). The fused chains (smpo-chain.ts) are checked against these in smpo-network.test.ts.
 */
import { chainSiteLegs } from '../../network/core-layout.js';
import { einsumSpec } from '../../network/contract.js';
import { Index } from '../../network/tensor-index.js';
import type { TensorNetwork } from '../../network/tensor-network.js';

/** The einsum specs of an SMPO model's double-layer steps, site by site. */
export class SmpoSteps {
  /** normStep[s]: env `[b, l, l']`, core s, φ_s `[b, p]`, core s again, φ_s `[b, p']` → `[b, r, r']` (ln ‖P·φ‖²). */
  readonly normStep: readonly string[];
  /** frobeniusStep[s]: env `[b, l, l']`, core s, core s again (physical and output legs shared) → `[b, r, r']` (tr P†P). */
  readonly frobeniusStep: readonly string[];

  constructor(net: TensorNetwork) {
    const b = new Index(1, 'batch');
    const legs = Array.from({ length: net.size }, (_, s) => chainSiteLegs(net, s));
    // The bra layer: bonds primed; the physical leg primed too where each layer has its own φ.
    const bra = (all: readonly Index[], phys: Index, primePhys: boolean): Index[] =>
      all.map((ix, k) => (k === 0 || k === all.length - 1 || (primePhys && ix === phys) ? ix.prime() : ix));
    this.normStep = legs.map(({ left, phys, right, all }) =>
      einsumSpec([[b, left, left.prime()], all, [b, phys], bra(all, phys, true), [b, phys.prime()]], [b, right, right.prime()]));
    this.frobeniusStep = legs.map(({ left, phys, right, all }) =>
      einsumSpec([[b, left, left.prime()], all, bra(all, phys, false)], [b, right, right.prime()]));
  }
}
