import type { CustomOp } from '../../autodiff/index.js';
import type { Tensor } from '../../tensor/tensor.js';

/**
 * Idle work buffers of a fused chain operation, kept by shape so that training reuses the
 * buffers of earlier steps instead of allocating them again. A workspace is taken for one
 * forward pass and given back when its backward pass (or discard) is done.
 *
 * At most `maxShapes` shapes are kept, each with at most `perShape` idle workspaces; a shape
 * with none idle (all lent out) is not kept. When a new shape would exceed the limit the
 * shape kept longest is dropped, and a workspace given back to a full shape replaces the
 * oldest idle one. Which workspace is reused never changes a result: every buffer a pass
 * reads is written first, or is a constant the constructor set.
 */
export class WorkspacePool<S, W extends { readonly shape: S }> {
  private readonly idle = new Map<string, W[]>();

  /**
   * @param create builds a workspace for a shape.
   * @param keyOf a string equal for shapes whose workspaces are interchangeable.
   */
  constructor(
    private readonly create: (shape: S) => W,
    private readonly keyOf: (shape: S) => string,
    private readonly maxShapes: number,
    private readonly perShape: number,
  ) {}

  /** An idle workspace of `shape`, or a new one. */
  take(shape: S): W {
    const key = this.keyOf(shape);
    const list = this.idle.get(key);
    const ws = list?.pop();
    if (ws === undefined) return this.create(shape);
    if (list!.length === 0) this.idle.delete(key);
    return ws;
  }

  /** Takes back a workspace for later reuse. */
  give(ws: W): void {
    const key = this.keyOf(ws.shape);
    let list = this.idle.get(key);
    if (list === undefined) {
      if (this.idle.size >= this.maxShapes) this.idle.delete(this.idle.keys().next().value!);
      list = [];
      this.idle.set(key, list);
    }
    list.push(ws);
    if (list.length > this.perShape) list.shift();
  }
}

/** What a {@link pooledOp} saves for its VJP: the lent workspace and the passes' own state. */
export interface LentWorkspace<W, T> {
  readonly ws: W;
  readonly saved: T;
}

/** The two passes of a fused operation that runs in a workspace lent by a pool. */
export interface PooledPasses<W, T> {
  /** Names the operation (see CustomOp.name). */
  readonly name: string;
  /** The value, computed in `ws`, and what the VJP needs besides the workspace. */
  forward(ws: W, inputs: readonly Tensor[]): { value: Tensor; saved: T };
  /** The gradients (see CustomOp.vjp), from what the forward pass left in `ws`. */
  vjp(ws: W, g: Tensor, saved: T, needs: readonly boolean[], into: readonly (Tensor | null)[] | null): readonly (Tensor | null)[];
}

/**
 * A custom operation whose forward pass borrows a workspace of `shape` from `pool` and
 * whose VJP (or discard, when nothing needs a gradient) gives it back, so each workspace
 * serves one forward/backward pair at a time.
 */
export function pooledOp<S, W extends { readonly shape: S }, T>(pool: WorkspacePool<S, W>, shape: NoInfer<S>, passes: PooledPasses<W, T>): CustomOp<LentWorkspace<W, T>> {
  return {
    name: passes.name,
    forward(inputs) {
      const ws = pool.take(shape);
      const { value, saved } = passes.forward(ws, inputs);
      return { value, saved: { ws, saved } };
    },
    vjp(g, lent, needs, into) {
      const grads = passes.vjp(lent.ws, g, lent.saved, needs, into);
      pool.give(lent.ws);
      return grads;
    },
    discard(lent) {
      pool.give(lent.ws);
    },
  };
}
