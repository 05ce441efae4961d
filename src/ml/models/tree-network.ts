/**
 * The tree model's contraction steps, generated from its labelled network (the model's
 * `toNetwork()`: core k is `[children…, up]`, tagged `PARAM{k}`).
 */
import { einsumSpec } from '../../network/contract.js';
import { Index } from '../../network/tensor-index.js';
import type { TensorNetwork } from '../../network/tensor-network.js';

/** The einsum specs of a tree model's upward pass, core by core. */
export class TreeSteps {
  /** step[k]: the children's vectors `[b, child]` and core k → `[b, up]`. */
  readonly step: readonly string[];

  constructor(net: TensorNetwork) {
    const b = new Index(1, 'batch');
    this.step = Array.from({ length: net.size }, (_, k) => {
      const legs = net.get(net.selectOne(`PARAM${k}`)).indices;
      const children = legs.slice(0, -1);
      return einsumSpec([...children.map((c) => [b, c]), legs], [b, legs[legs.length - 1]!]);
    });
  }
}
