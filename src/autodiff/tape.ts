/**
 * The tape: a list of recorded operations in execution order, and the reverse pass
 * that walks it backwards calling each operation's vector–Jacobian product (VJP).
 */
import { Tensor } from '../tensor/tensor.js';
import { shapesEqual } from '../tensor/shape.js';
import { addTensors, fmt } from './loops.js';
import type { OpName } from './op-names.js';
import { constant, Var } from './variable.js';

/**
 * A single-output differentiable operation: its forward computation and, next to it,
 * its VJP. `saved` is whatever the VJP needs from the forward pass. The VJP returns one
 * gradient per input (null where `needs[i]` is false); a gradient may be a view
 * (broadcast, permuted) with the input's shape.
 */
export interface OpRule<P, S> {
  readonly name: OpName;
  /** Computes the output from the input values and saves what the VJP needs. */
  forward(inputs: readonly Tensor[], params: P): { value: Tensor; saved: S };
  /** Gradients of the inputs from the output's gradient `g` (null where `needs` is false). */
  vjp(g: Tensor, saved: S, needs: readonly boolean[]): readonly (Tensor | null)[];
}

/** An operation with several outputs (SVD, QR): the VJP gets one gradient per output, null for unused outputs. */
export interface MultiOpRule<P, S> {
  readonly name: OpName;
  readonly multiOutput: true;
  /** Computes the outputs from the input values and saves what the VJP needs. */
  forward(inputs: readonly Tensor[], params: P): { values: Tensor[]; saved: S };
  /** Gradients of the inputs from the outputs' gradients (null for unused outputs; null where `needs` is false). */
  vjp(gs: readonly (Tensor | null)[], saved: S, needs: readonly boolean[]): readonly (Tensor | null)[];
}

/** Pins a rule's `name` to its literal type, so the rule table can check name ↔ key. */
export function defineOp<const N extends OpName, P, S>(rule: OpRule<P, S> & { readonly name: N }): OpRule<P, S> & { readonly name: N } {
  return rule;
}

export function defineMultiOp<const N extends OpName, P, S>(
  rule: MultiOpRule<P, S> & { readonly name: N },
): MultiOpRule<P, S> & { readonly name: N } {
  return rule;
}

/** The name an operation defined outside the rule table (see customOp) is recorded under. */
export type CustomOpName = `custom:${string}`;

/** What a tape node is named in error messages. */
export type RecordedOpName = OpName | CustomOpName;

interface Node {
  name: RecordedOpName;
  inputs: readonly Var[];
  outputs: readonly Var[];
  /** `into`: for fresh-gradient nodes, per input a leaf's gradient buffer the VJP may write into and return (else null). */
  backward: ((gs: readonly (Tensor | null)[], into: readonly (Tensor | null)[] | null) => readonly (Tensor | null)[]) | null;
  /** The backward pass returns freshly allocated (or lent) contiguous gradients that the tape may keep and add into. */
  freshGradients: boolean;
}

/** Options of a tape (set by `valueAndGrad`). */
export interface TapeOptions {
  /** Check every forward value and gradient for NaN/Infinity and name the op where one first appears. */
  checkFinite?: boolean;
}

/** Raised by the `checkFinite` option: names the operation that produced a non-finite value. */
export class NonFiniteError extends Error {
  constructor(
    message: string,
    readonly op: RecordedOpName | 'output',
    readonly phase: 'forward' | 'backward',
  ) {
    super(message);
    this.name = 'NonFiniteError';
  }
}

/** Records operations on variables for one `valueAndGrad` call. */
export class Tape {
  private readonly nodes: Node[] = [];
  private readonly shapes: (readonly number[])[] = [];
  private closed = false;
  readonly checkFinite: boolean;

  constructor(options: TapeOptions = {}) {
    this.checkFinite = options.checkFinite ?? false;
  }

  /** A new leaf variable (a parameter). */
  leaf(value: Tensor): Var {
    this.assertOpen();
    this.shapes.push(value.shape);
    return new Var(value, this, this.shapes.length - 1);
  }

  private newVar(value: Tensor): Var {
    this.shapes.push(value.shape);
    return new Var(value, this, this.shapes.length - 1);
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new Error('autodiff: this variable belongs to a valueAndGrad call that has already finished; use it only inside its function');
    }
  }

  /**
   * @internal records a node computed by an op. With `freshGradients` the backward pass
   * promises new contiguous buffers no one else holds, so the tape hands them out without a copy.
   */
  record(name: RecordedOpName, inputs: readonly Var[], values: readonly Tensor[], backward: Node['backward'], freshGradients = false): Var[] {
    this.assertOpen();
    if (this.checkFinite) values.forEach((v, k) => assertFinite(v, name, 'forward', values.length > 1 ? `output ${k}` : 'output'));
    const outputs = values.map((v) => this.newVar(v));
    this.nodes.push({ name, inputs, outputs, backward, freshGradients });
    return outputs;
  }

  /**
   * Reverse pass from a scalar `output`: returns the gradient of every leaf in
   * `leaves` (zeros for leaves the output does not depend on). Closes the tape.
   * `buffers` (per leaf, its shape and dtype, contiguous, or null) are lent to
   * fresh-gradient ops that produce a leaf's first gradient, so they can write it there
   * instead of allocating; the returned gradients may then be these tensors.
   */
  backward(output: Var, leaves: readonly Var[], buffers: readonly (Tensor | null)[] | null = null): Tensor[] {
    this.assertOpen();
    this.closed = true;
    const grads: (Tensor | null)[] = new Array(this.shapes.length).fill(null);
    // Whether grads[id] is a buffer the tape allocated (safe to add into in place).
    const owned = new Uint8Array(this.shapes.length);
    // Whether leaf id's buffer has been lent to a node (each is lent at most once).
    const lent = new Uint8Array(leaves.length);
    const seed = new Tensor(output.dtype === 'f32' ? Float32Array.of(1) : Float64Array.of(1), output.shape);
    if (output.tape === this) grads[output.id] = seed;
    for (let n = this.nodes.length - 1; n >= 0; n--) {
      const node = this.nodes[n]!;
      const gs = node.outputs.map((o) => grads[o.id] ?? null);
      if (gs.every((g) => g === null) || node.backward === null) continue;
      let into: (Tensor | null)[] | null = null;
      if (buffers !== null && node.freshGradients) {
        into = node.inputs.map((input) => {
          if (input.tape !== this || input.id >= leaves.length || grads[input.id] || lent[input.id]) return null;
          const b = buffers[input.id] ?? null;
          if (b !== null) lent[input.id] = 1;
          return b;
        });
      }
      const inputGrads = node.backward(gs, into);
      node.backward = null; // release what the forward pass saved
      for (const o of node.outputs) if (o.id >= leaves.length) grads[o.id] = null;
      node.inputs.forEach((input, i) => {
        const g = inputGrads[i];
        if (input.tape !== this || g === null || g === undefined) return;
        if (!shapesEqual(g.shape, input.shape)) {
          throw new Error(`autodiff: internal error: the VJP of '${node.name}' returned shape ${fmt(g.shape)} for input ${i} of shape ${fmt(input.shape)}`);
        }
        if (this.checkFinite) assertFinite(g, node.name, 'backward', `the gradient of input ${i}`);
        const prev = grads[input.id];
        if (prev === null || prev === undefined) {
          grads[input.id] = g;
          if (node.freshGradients && g.isContiguous && g.offset === 0 && g.data.length === g.size) owned[input.id] = 1;
        } else {
          grads[input.id] = addTensors(prev, g, owned[input.id] === 1);
          owned[input.id] = 1;
        }
      });
    }
    return leaves.map((leaf) => {
      const g = grads[leaf.id];
      const dtype = leaf.dtype;
      if (g === null || g === undefined) return new Tensor(dtype === 'f32' ? new Float32Array(leaf.size) : new Float64Array(leaf.size), leaf.shape);
      // Hand out a fresh contiguous buffer: the gradient may be a view of the seed or a saved tensor.
      return owned[leaf.id] === 1 && g.isContiguous && g.offset === 0 && g.data.length === g.size && g.dtype === dtype ? g : g.astype(dtype).copy();
    });
  }
}

function assertFinite(t: Tensor, op: RecordedOpName, phase: 'forward' | 'backward', what: string): void {
  const x = t.contiguous().data;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (!Number.isFinite(v)) {
      throw new NonFiniteError(
        `checkFinite: ${Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity'} in ${what} of '${op}' (${phase} pass, shape ${fmt(t.shape)}, element ${i})`,
        op,
        phase,
      );
    }
  }
}

/** The tape shared by the variables that need gradients, or null if none do. */
export function tapeOf(inputs: readonly Var[], name: RecordedOpName): Tape | null {
  let tape: Tape | null = null;
  for (const v of inputs) {
    if (v.tape === null) continue;
    if (tape === null) tape = v.tape;
    else if (tape !== v.tape) throw new Error(`autodiff: '${name}' mixes variables from two different valueAndGrad calls`);
  }
  return tape;
}

/** Runs a single-output op and records it when an input needs gradients. */
export function applyOp<P, S>(rule: OpRule<P, S>, inputs: readonly Var[], params: P): Var {
  const tape = tapeOf(inputs, rule.name);
  const { value, saved } = rule.forward(inputs.map((v) => v.value), params);
  if (tape === null) return constant(value);
  const needs = inputs.map((v) => v.tape !== null);
  return tape.record(rule.name, inputs, [value], (gs) => rule.vjp(gs[0]!, saved, needs))[0]!;
}

/** Runs a multi-output op and records it when an input needs gradients. */
export function applyMultiOp<P, S>(rule: MultiOpRule<P, S>, inputs: readonly Var[], params: P): Var[] {
  const tape = tapeOf(inputs, rule.name);
  const { values, saved } = rule.forward(inputs.map((v) => v.value), params);
  if (tape === null) return values.map(constant);
  const needs = inputs.map((v) => v.tape !== null);
  return tape.record(rule.name, inputs, values, (gs) => rule.vjp(gs, saved, needs));
}
