/**
 * Open chains of model cores `[l, p, …, r]` (MPS, MPO and SMPO models): the checks that
 * their bonds join up, and their form as a tensor network.
 */
import type { VarLike } from '../../autodiff/index.js';
import { LabeledTensor } from '../../network/labeled-tensor.js';
import { Index } from '../../network/tensor-index.js';
import { TensorNetwork } from '../../network/tensor-network.js';
import type { Tensor } from '../../tensor/tensor.js';

/**
 * Checks the cores a model wraps, core by core: `checkCore`, then that its left bond is the
 * right bond of the core before it (1 for core 0); at the end, that the last right bond is 1.
 * @throws RangeError (or what `checkCore` throws) naming `who` and the first bad core.
 */
export function checkCoreChain(cores: readonly Tensor[], who: string, checkCore: (core: Tensor, s: number) => void): void {
  cores.forEach((c, s) => {
    checkCore(c, s);
    const left = s === 0 ? 1 : cores[s - 1]!.shape[cores[s - 1]!.ndim - 1];
    if (c.shape[0] !== left) throw new RangeError(`${who}: core ${s} has left bond ${c.shape[0]} but the bond before it is ${left}`);
  });
  const last = cores[cores.length - 1]!;
  if (last.shape[last.ndim - 1] !== 1) throw new RangeError(`${who}: the last core's right bond must be 1, got ${last.shape[last.ndim - 1]}`);
}

/**
 * The bonds of the (non-empty) cores of a fused chain operation: bonds[s] is the left bond
 * of core s and bonds[N] the last right bond. Checks, core by core, that it has core 0's
 * dtype, passes `checkShape`, and has the right bond of the core before it as left bond;
 * at the end, that both boundary bonds are 1.
 * @throws RangeError (or what `checkShape` throws) naming `who` and the first bad core.
 */
export function fusedChainBonds(params: readonly VarLike[], who: string, checkShape: (shape: readonly number[], s: number) => void): number[] {
  const dtype = params[0]!.dtype;
  const bonds: number[] = [];
  params.forEach((p, s) => {
    if (p.dtype !== dtype) throw new RangeError(`${who}: core ${s} is ${p.dtype} but core 0 is ${dtype}`);
    const shape = p.shape;
    checkShape(shape, s);
    if (s > 0 && shape[0] !== bonds[s]) throw new RangeError(`${who}: core ${s} has left bond ${shape[0]} but the bond before it is ${bonds[s]}`);
    if (s === 0) bonds.push(shape[0]!);
    bonds.push(shape[shape.length - 1]!);
  });
  const n = params.length;
  if (bonds[0] !== 1 || bonds[n] !== 1) throw new RangeError(`${who}: the boundary bonds must be 1, got ${bonds[0]} and ${bonds[n]}`);
  return bonds;
}

/**
 * Cores `[l, p, r]` / `[l, p, o, r]` as a tensor network: core s tagged `PARAM{s}` and
 * `I{s}`, with a physical index tagged 'phys', `site{s}`, the output index
 * `outputIndex(core, s)` where that is not null, and bond indices (tagged 'bond') shared
 * with its neighbours; the two boundary bonds have size 1.
 */
export function chainNetwork(cores: readonly Tensor[], physDim: number, outputIndex: (core: Tensor, s: number) => Index | null): TensorNetwork {
  const net = new TensorNetwork();
  let leftBond = new Index(1, 'bond');
  cores.forEach((core, s) => {
    const rightBond = new Index(core.shape[core.ndim - 1]!, 'bond');
    const phys = new Index(physDim, ['phys', `site${s}`]);
    const out = outputIndex(core, s);
    const indices = out === null ? [leftBond, phys, rightBond] : [leftBond, phys, out, rightBond];
    net.add(new LabeledTensor(core, indices), [`PARAM${s}`, `I${s}`]);
    leftBond = rightBond;
  });
  return net;
}
