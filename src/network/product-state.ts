import type { Tensor } from '../tensor/tensor.js';
import { contractTensors } from './contract.js';
import { LabeledTensor } from './labeled-tensor.js';
import { Index } from './tensor-index.js';
import type { TensorNetwork } from './tensor-network.js';

/**
 * Contracts a model's network with a batch of product states `x` `[batch, sites, d]`: site s's
 * vector is joined to the index tagged 'phys' and `site{s}`, and the batch index is shared by
 * all of them (a hyperedge). The result is `[batch, the indices tagged 'out' in network order]`.
 * One plain contraction with no rescaling: the reference every model's fast path is checked
 * against, for inputs that neither overflow nor underflow.
 * @throws RangeError when x is not `[batch, sites, d]` for the network's physical indices.
 */
export function contractProductStates(net: TensorNetwork, x: Tensor): LabeledTensor {
  if (x.ndim !== 3) throw new RangeError(`contractProductStates: x must be [batch, sites, d], got shape [${x.shape.join(', ')}]`);
  const [batch, sites] = x.shape as [number, number, number];
  const indices = net.indices();
  const b = new Index(batch, 'batch');
  const inputs = Array.from({ length: sites }, (_, s) => {
    const phys = indices.find((ix) => ix.hasTag('phys') && ix.hasTag(`site${s}`));
    if (phys === undefined) throw new RangeError(`contractProductStates: the network has no physical index of site ${s} (x has ${sites} sites)`);
    if (phys.dim !== x.shape[2]) throw new RangeError(`contractProductStates: site ${s} has dimension ${phys.dim} but x has ${x.shape[2]}`);
    return new LabeledTensor(x.slice(null, s).contiguous(), [b, phys]);
  });
  const physCount = indices.filter((ix) => ix.hasTag('phys')).length;
  if (physCount !== sites) throw new RangeError(`contractProductStates: the network has ${physCount} physical indices but x has ${sites} sites`);
  return contractTensors([...net.tensors(), ...inputs], { output: [b, ...indices.filter((ix) => ix.hasTag('out'))] });
}
