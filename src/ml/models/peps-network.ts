/**
 * The PEPS model's boundary-state contraction, generated from its labelled network (the
 * model's `toNetwork()`: core (i, j) is `[up, left, p, (c,) right, down]`).
 */
import { einsumSpec } from '../../network/contract.js';
import { Index } from '../../network/tensor-index.js';
import type { TensorNetwork } from '../../network/tensor-network.js';

/**
 * The einsum spec of each step of the row-by-row sweep: the state `[b, class, left bond,
 * frontier bonds of the W columns]` through core (i, j) and φ `[b, p]`. The class leg has size 1
 * until the output site, which puts the output index there; the frontier holds, for each
 * column, the vertical bond below the last core contracted in it.
 */
export class PepsSteps {
  /** step[s], s = i·W + j: the spec of contracting core (i, j). */
  readonly step: readonly string[];

  constructor(net: TensorNetwork, grid: readonly [number, number], outputSite: number) {
    const [H, W] = grid;
    const legs = Array.from({ length: H * W }, (_, s) => net.get(net.selectOne(`PARAM${s}`)).indices);
    const up = (s: number): Index => legs[s]![0]!;
    const down = (s: number): Index => legs[s]![legs[s]!.length - 1]!;
    const b = new Index(1, 'batch');
    const none = new Index(1, 'noclass');
    const out = legs[outputSite]!.length === 6 ? legs[outputSite]![3]! : null;
    if (out === null) throw new RangeError(`PepsSteps: core ${outputSite} has no output index`);
    const steps: string[] = [];
    for (let i = 0; i < H; i++) {
      for (let j = 0; j < W; j++) {
        const s = i * W + j;
        const core = legs[s]!;
        const frontier = (done: number): Index[] => Array.from({ length: W }, (_, k) => (k < done ? down(i * W + k) : up(i * W + k)));
        const classIn = s > outputSite ? out : none;
        const classOut = s >= outputSite ? out : none;
        const state = [b, classIn, core[1]!, ...frontier(j)];
        const next = [b, classOut, core[core.length - 2]!, ...frontier(j + 1)];
        steps.push(einsumSpec([state, core, [b, core[2]!]], next));
      }
    }
    this.step = steps;
  }
}
