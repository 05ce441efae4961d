/**
 * Differentiable einsum.
 *
 * The subscripts are parsed once per (spec, shapes) and turned into a small program
 * on the tape: size-1 broadcast axes are squeezed (a reshape), and a contraction of
 * three or more operands is split into the pairwise steps of the einsum path
 * optimizer, so the reverse pass reuses the forward intermediates and costs about two
 * pairwise contractions per forward step. Each recorded step is an explicit-letter
 * einsum whose VJP is one einsum per operand:
 *
 *   ∂L/∂X_k = einsum(out, X_j (j ≠ k) -> labels of X_k)
 *
 * followed, when X_k has repeated labels (traces, diagonals) or labels summed out of it
 * alone, by an expansion that writes the result on the diagonal and broadcasts it over
 * the lone labels.
 */
import { einsum as tensorEinsum, einsumPath } from '../../einsum/einsum.js';
import { parseSubscripts } from '../../einsum/parse.js';
import { resolveSizes } from '../../einsum/sizes.js';
import { contiguousStrides, shapesEqual } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { dense, resultDType, scatter, zerosOf } from '../loops.js';
import { asVar, type VarLike } from '../operand.js';
import { applyOp, defineOp } from '../tape.js';
import type { Var } from '../variable.js';
import { permute, reshape } from './shape.js';

/** An einsum with single-letter labels only (no ellipsis, no broadcasting). */
interface ExplicitEinsum {
  inputs: string[][];
  output: string[];
}

function specOf(inputs: readonly (readonly string[])[], output: readonly string[]): string {
  return `${inputs.map((l) => l.join('')).join(',')}->${output.join('')}`;
}

/** Distinct labels in order of first appearance. */
function distinct(labels: readonly string[]): string[] {
  return [...new Set(labels)];
}

/**
 * The gradient with respect to an operand labelled `labels` (shape `shape`), given the
 * contraction result `res` over `target` (the distinct labels of the operand that the
 * other tensors carry): placed on the diagonal of repeated labels and broadcast over
 * labels the operand alone had.
 */
function expandToOperand(res: Tensor, target: readonly string[], labels: readonly string[], shape: readonly number[]): Tensor {
  const unique = distinct(labels);
  if (unique.length === labels.length && target.length === labels.length) return res;
  const sizeOfLabel = new Map(labels.map((l, i) => [l, shape[i]!]));
  const uniqueShape = unique.map((l) => sizeOfLabel.get(l)!);
  const src = res.reshape(...unique.map((l) => (target.includes(l) ? sizeOfLabel.get(l)! : 1))).broadcastTo(uniqueShape);
  const out = zerosOf(shape, res.dtype);
  const strides = contiguousStrides(shape);
  // A repeated label walks the diagonal: its stride is the sum of its axes' strides.
  const diagStrides = unique.map((l) => labels.reduce((s, m, i) => (m === l ? s + strides[i]! : s), 0));
  scatter(dense(src), uniqueShape, out.data, 0, diagStrides, false);
  return out;
}

interface CoreSaved {
  e: ExplicitEinsum;
  operands: readonly Tensor[];
}

export const einsumRule = defineOp({
  name: 'einsum',
  forward(operands: readonly Tensor[], e: ExplicitEinsum) {
    return { value: tensorEinsum(specOf(e.inputs, e.output), ...operands), saved: { e, operands } };
  },
  vjp(g, { e, operands }: CoreSaved, needs) {
    return operands.map((x, k) => {
      if (!needs[k]) return null;
      const others = operands.map((_, j) => j).filter((j) => j !== k);
      const available = new Set([...e.output, ...others.flatMap((j) => e.inputs[j]!)]);
      const target = distinct(e.inputs[k]!).filter((l) => available.has(l));
      const spec = specOf([e.output, ...others.map((j) => e.inputs[j]!)], target);
      const dtype = resultDType(x, g);
      const res = tensorEinsum(spec, g.astype(dtype), ...others.map((j) => operands[j]!));
      return expandToOperand(res.astype(x.dtype), target, e.inputs[k]!, x.shape);
    });
  },
});

/** What one call to {@link einsum} records, cached per (spec, shapes). */
interface Program {
  /** Per operand, the shape to squeeze it to (broadcast axes removed), or null. */
  squeeze: (number[] | null)[];
  /** Pairwise steps: positions in the current operand list (removed, result appended). */
  steps: { positions: [number, number]; e: ExplicitEinsum }[];
  /** A single recorded einsum when there are at most two operands. */
  direct: ExplicitEinsum | null;
  /** Axis permutation taking the last step's labels to the output order, or null. */
  finalPerm: number[] | null;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const PROGRAM_CACHE_LIMIT = 256;
const programs = new Map<string, Program>();

function compileProgram(spec: string, shapes: readonly (readonly number[])[]): Program {
  const parsed = parseSubscripts(spec, shapes.map((s) => s.length));
  const { broadcastAxes, inputs } = resolveSizes(parsed, shapes);
  // Ellipsis labels become letters the subscripts do not use.
  const used = new Set([...inputs.flat(), ...parsed.output].filter((l) => l.length === 1));
  const spare = [...LETTERS].filter((c) => !used.has(c));
  const letter = new Map<string, string>();
  for (const l of [...inputs.flat(), ...parsed.output]) {
    if (letter.has(l)) continue;
    if (l.length === 1) letter.set(l, l);
    else {
      const c = spare.shift();
      if (c === undefined) throw new RangeError(`einsum: '${spec}' needs more than ${LETTERS.length} distinct indices, which autodiff einsum cannot name`);
      letter.set(l, c);
    }
  }
  const ins = inputs.map((ls) => ls.map((l) => letter.get(l)!));
  const output = parsed.output.map((l) => letter.get(l)!);
  const squeeze = shapes.map((s, k) => (broadcastAxes[k]!.length === 0 ? null : s.filter((_, i) => !broadcastAxes[k]!.includes(i))));
  if (ins.length <= 2) return { squeeze, steps: [], direct: { inputs: ins, output }, finalPerm: null };

  const squeezed = shapes.map((s, k) => squeeze[k] ?? [...s]);
  const { path } = einsumPath(specOf(ins, output), ...squeezed);
  const current = ins.map((l) => [...l]);
  const steps: Program['steps'] = [];
  for (const [i, j] of path) {
    const a = current[i]!;
    const b = current[j]!;
    const rest = current.filter((_, p) => p !== i && p !== j);
    const needed = new Set([...output, ...rest.flat()]);
    const result = distinct([...a, ...b]).filter((l) => needed.has(l));
    steps.push({ positions: [i, j], e: { inputs: [a, b], output: result } });
    current.splice(Math.max(i, j), 1);
    current.splice(Math.min(i, j), 1);
    current.push(result);
  }
  const last = current[0]!;
  const finalPerm = shapesEqual(last.map((l) => l.charCodeAt(0)), output.map((l) => l.charCodeAt(0))) ? null : output.map((l) => last.indexOf(l));
  return { squeeze, steps, direct: null, finalPerm };
}

function programFor(spec: string, shapes: readonly (readonly number[])[]): Program {
  const key = `${spec}|${shapes.map((s) => s.join(',')).join(';')}`;
  let p = programs.get(key);
  if (p) {
    programs.delete(key);
  } else {
    p = compileProgram(spec, shapes);
    if (programs.size >= PROGRAM_CACHE_LIMIT) programs.delete(programs.keys().next().value!);
  }
  programs.set(key, p);
  return p;
}

/**
 * Differentiable Einstein summation with numpy subscripts (explicit or implicit output,
 * repeated indices for traces/diagonals, `...` with broadcasting). Operands may be
 * variables or constant tensors. Three or more operands are contracted pairwise along
 * the path of the einsum optimizer, and each pairwise step is recorded, so the gradient
 * reuses the forward intermediates.
 * @example einsum('bl,lpr,bp->br', env, core, x)
 */
export function einsum(spec: string, ...operands: VarLike[]): Var {
  const vars = operands.map((o, k) => asVar(o, `einsum operand ${k}`));
  const program = programFor(spec, vars.map((v) => v.shape));
  const list = vars.map((v, k) => (program.squeeze[k] ? reshape(v, program.squeeze[k]!) : v));
  if (program.direct) return applyOp(einsumRule, list, program.direct);
  for (const { positions: [i, j], e } of program.steps) {
    const out = applyOp(einsumRule, [list[i]!, list[j]!], e);
    list.splice(Math.max(i, j), 1);
    list.splice(Math.min(i, j), 1);
    list.push(out);
  }
  return program.finalPerm ? permute(list[0]!, program.finalPerm) : list[0]!;
}
