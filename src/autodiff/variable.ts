import type { Tensor } from '../tensor/tensor.js';
import type { Tape } from './tape.js';

/**
 * A tensor value inside a differentiated function. Parameters and everything computed
 * from them are recorded on the tape of their `valueAndGrad` call; constants
 * (plain tensors and numbers passed to ops) are `Var`s with no tape.
 */
export class Var {
  /** @internal use the tape or {@link constant} to make variables. */
  constructor(
    readonly value: Tensor,
    /** @internal The tape recording this variable, or null for a constant. */
    readonly tape: Tape | null,
    /** @internal Position on the tape (-1 for constants). */
    readonly id: number,
  ) {}

  /** True when gradients flow to this variable (it depends on a parameter). */
  get requiresGrad(): boolean {
    return this.tape !== null;
  }

  /** Shape of the value. */
  get shape(): readonly number[] {
    return this.value.shape;
  }

  /** Number of axes of the value. */
  get ndim(): number {
    return this.value.ndim;
  }

  /** Number of elements of the value. */
  get size(): number {
    return this.value.size;
  }

  /** dtype of the value. */
  get dtype(): Tensor['dtype'] {
    return this.value.dtype;
  }

  /** The only element of a size-1 value. */
  item(): number {
    return this.value.item();
  }

  /** `Var(dtype, [shape])`, marked constant without a tape. */
  toString(): string {
    return `Var(${this.value.dtype}, [${this.value.shape.join(', ')}]${this.tape ? '' : ', constant'})`;
  }
}

/** A constant (no gradient) wrapping a tensor. */
export function constant(value: Tensor): Var {
  return new Var(value, null, -1);
}
