/**
 * The SMPO model's double-layer contractions, generated from its labelled network (the model's
 * `toNetwork()`): the ket layer is the network itself, the bra layer the same cores with every
 * bond primed (and, for ‖P·φ‖², the physical index primed so each layer reads its own copy of
 * φ). The fused chains and environment steps (smpo-chain.ts) are checked against these in
 * smpo-network.test.ts.
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
  /** normStepRight[s]: core s, φ_s, core s again, φ_s and env `[b, r, r']` → `[b, l, l']` (right-to-left). */
  readonly normStepRight: readonly string[];
  /** frobeniusStepRight[s]: core s twice and env `[b, r, r']` → `[b, l, l']`. */
  readonly frobeniusStepRight: readonly string[];
  /** localNorm[k]: env `[b, l, l']`, merged cores k, k+1, φ_k, φ_{k+1}, the merged cores again, φ_k, φ_{k+1}, env `[b, r, r']` → ‖P·φ‖² `[b]` (the sweep). */
  readonly localNorm: readonly string[];
  /** localFrobenius[k]: env `[b, l, l']`, merged cores k, k+1 twice (physical and output legs shared), env `[b, r, r']` → `[b]`. */
  readonly localFrobenius: readonly string[];

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
    this.normStepRight = legs.map(({ left, phys, right, all }) =>
      einsumSpec([all, [b, phys], bra(all, phys, true), [b, phys.prime()], [b, right, right.prime()]], [b, left, left.prime()]));
    this.frobeniusStepRight = legs.map(({ left, phys, right, all }) =>
      einsumSpec([all, bra(all, phys, false), [b, right, right.prime()]], [b, left, left.prime()]));
    // The merged tensor of sites k, k+1: core k's legs without the shared bond, then core k+1's.
    const pairs = legs.slice(0, -1).map((a, k) => ({ a, z: legs[k + 1]!, all: [...a.all.slice(0, -1), ...legs[k + 1]!.all.slice(1)] }));
    const braOf = (all: readonly Index[], phys: readonly Index[]): Index[] =>
      all.map((ix, k) => (k === 0 || k === all.length - 1 || phys.includes(ix) ? ix.prime() : ix));
    this.localNorm = pairs.map(({ a, z, all }) =>
      einsumSpec(
        [[b, a.left, a.left.prime()], all, [b, a.phys], [b, z.phys], braOf(all, [a.phys, z.phys]), [b, a.phys.prime()], [b, z.phys.prime()], [b, z.right, z.right.prime()]],
        [b],
      ));
    this.localFrobenius = pairs.map(({ a, z, all }) => einsumSpec([[b, a.left, a.left.prime()], all, braOf(all, []), [b, z.right, z.right.prime()]], [b]));
  }
}
