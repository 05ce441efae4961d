import { getKernel } from '../kernels/registry.js';
import { allocate, type FloatArray } from '../tensor/dtype.js';
import { contiguousStrides, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { ContractionPlan } from './path.js';

/** One operand inside a contraction plan: a tensor and the label of each of its axes (distinct labels). Not the network layer's `LabeledTensor` (axes named by `Index` objects). */
export interface LabeledOperand {
  tensor: Tensor;
  labels: string[];
}

/** Layout decisions of one execution, reusable for operands with the same strides. */
export type LayoutMemo = Map<string, Layout[]>;

/**
 * Evaluates a plan on operands whose axes match `plan.inputs` one to one (same
 * dtype, broadcast axes already dropped). Returns a fresh contiguous tensor
 * with axes in `plan.output` order. With `memo`, the layout decisions (label
 * orders, transpose flags) are remembered per input stride pattern, since they
 * depend on nothing else.
 */
export function executePlan(plan: ContractionPlan, operands: readonly Tensor[], memo?: LayoutMemo): Tensor {
  const n = operands.length;
  const live = new Map<number, LabeledOperand>();
  operands.forEach((t, k) => {
    const prep = plan.prep[k]!;
    let op = takeDiagonal(t, prep.labels);
    if (prep.summed.length > 0) op = sumOut(op, prep.summed);
    live.set(k, op);
  });
  const memoKey = memo ? operands.map((t) => t.strides.join(',')).join(';') : '';
  const remembered = memo?.get(memoKey);
  const used: Layout[] = [];
  const consumers = consumersOf(plan, n);
  const ids = [...Array(n).keys()];
  plan.steps.forEach((step, s) => {
    const [i, j] = step.positions;
    const x = ids[i]!;
    const y = ids[j]!;
    const a = live.get(x)!;
    const b = live.get(y)!;
    let layout = remembered?.[s];
    if (!layout) {
      // Look one step ahead: if the partner of this result exists already, prefer
      // a result layout that the next step can use without copying.
      const c = consumers.get(n + s);
      const partner = c === undefined ? undefined : live.get(c.partner);
      const next = c && partner && { partner: geometryOf(partner), kept: new Set(plan.steps[c.step]!.output) };
      const last = s === plan.steps.length - 1;
      layout = chooseLayout(geometryOf(a), geometryOf(b), new Set(step.output), last ? plan.output : undefined, next);
    }
    used.push(layout);
    live.delete(x);
    live.delete(y);
    live.set(n + s, contractWithLayout(a, b, layout));
    ids.splice(j, 1);
    ids.splice(i, 1);
    ids.push(n + s);
  });
  if (memo && !remembered) {
    if (memo.size >= 16) memo.clear();
    memo.set(memoKey, used);
  }
  const final = live.get(ids[0]!)!;
  const view = final.tensor.permute(...plan.output.map((l) => final.labels.indexOf(l)));
  // Never hand back memory that belongs to an input.
  const aliased = operands.some((t) => t.data.buffer === view.data.buffer);
  return !aliased && view.isContiguous ? view.contiguous() : view.copy();
}

/** For each operand id (inputs 0…n−1, step s's result n+s): the step that consumes it and its partner there. */
function consumersOf(plan: ContractionPlan, n: number): Map<number, { step: number; partner: number }> {
  const out = new Map<number, { step: number; partner: number }>();
  const ids = [...Array(n).keys()];
  plan.steps.forEach((step, s) => {
    const [i, j] = step.positions;
    const x = ids[i]!;
    const y = ids[j]!;
    out.set(x, { step: s, partner: y });
    out.set(y, { step: s, partner: x });
    ids.splice(j, 1);
    ids.splice(i, 1);
    ids.push(n + s);
  });
  return out;
}

/**
 * Merges repeated labels into one axis whose stride is the sum of theirs: the
 * diagonal as a view, no copy.
 */
export function takeDiagonal(t: Tensor, labels: readonly string[]): LabeledOperand {
  const distinct = [...new Set(labels)];
  if (distinct.length === labels.length) return { tensor: t, labels: [...labels] };
  const shape = distinct.map((l) => t.shape[labels.indexOf(l)]!);
  const strides = distinct.map((l) => labels.reduce((s, m, axis) => (m === l ? s + t.strides[axis]! : s), 0));
  return { tensor: new Tensor(t.data, shape, strides, t.offset), labels: distinct };
}

/** What layout decisions need to know about an operand: its labels and how its data lie. */
interface Geometry {
  labels: readonly string[];
  shape: readonly number[];
  strides: readonly number[];
  size: number;
}

function geometryOf(op: LabeledOperand): Geometry {
  return { labels: op.labels, shape: op.tensor.shape, strides: op.tensor.strides, size: op.tensor.size };
}

/** True when the labelled axes taken in `order` form a dense C-order block (size-1 axes may have any stride). */
function denseInOrder(g: Geometry, order: readonly string[]): boolean {
  let expected = 1;
  for (let p = order.length - 1; p >= 0; p--) {
    const axis = g.labels.indexOf(order[p]!);
    const d = g.shape[axis]!;
    if (d !== 1 && g.strides[axis] !== expected) return false;
    expected *= d;
  }
  return true;
}

/** The data of `op` laid out with its axes in `order` (labels), copying only if it is not already so. */
function dataInOrder(op: LabeledOperand, order: readonly string[]): FloatArray {
  const t = op.tensor;
  if (denseInOrder(geometryOf(op), order)) return t.data.subarray(t.offset, t.offset + t.size);
  return t.permute(...order.map((l) => op.labels.indexOf(l))).copy().data;
}

/** The labels sorted by memory order (largest stride first), which is the order a dense block can be read in. */
function memoryOrder(g: Geometry): string[] {
  const axes = [...g.labels.keys()];
  axes.sort((x, y) => Math.abs(g.strides[y]!) - Math.abs(g.strides[x]!) || x - y);
  return axes.map((a) => g.labels[a]!);
}

/**
 * Sums out labels of one operand with a single gemm against a ones vector:
 * [kept, summed]·1 or 1ᵀ·[summed, kept], whichever matches the data as it lies.
 */
export function sumOut(op: LabeledOperand, summed: readonly string[]): LabeledOperand {
  const drop = new Set(summed);
  const g = geometryOf(op);
  const mem = memoryOrder(g);
  const keptOrder = mem.filter((l) => !drop.has(l));
  const sumOrder = mem.filter((l) => drop.has(l));
  const t = op.tensor;
  const dimOf = (l: string): number => t.shape[op.labels.indexOf(l)]!;
  const m = sizeOf(keptOrder.map(dimOf));
  const k = sizeOf(sumOrder.map(dimOf));
  const out = allocate(t.dtype, m);
  if (m > 0 && k > 0) {
    const ones = allocate(t.dtype, k).fill(1);
    const summedFirst = [...sumOrder, ...keptOrder];
    if (denseInOrder(g, summedFirst)) getKernel().gemm(false, false, 1, m, k, 1, ones, dataInOrder(op, summedFirst), 0, out);
    else getKernel().gemm(false, false, m, 1, k, 1, dataInOrder(op, [...keptOrder, ...sumOrder]), ones, 0, out);
  }
  return { tensor: new Tensor(out, keptOrder.map(dimOf)), labels: keptOrder };
}

/**
 * How one pairwise step lays out its gemm: label orders of each class, and
 * whether the operands are swapped (the result is then [batch, right, left]).
 */
export interface Layout {
  swap: boolean;
  batch: string[];
  contracted: string[];
  left: string[];
  right: string[];
}

/**
 * Contracts two labeled tensors with one gemm/gemmBatched call. Each label is
 * batch (both, kept), contracted (both, not kept), left-only or right-only. The
 * label orders and transpose flags are chosen so that as little data as
 * possible is copied; with `desired`, the result's layout is also matched to it.
 */
export function contractOperandPair(
  a: LabeledOperand, b: LabeledOperand, kept: ReadonlySet<string>, desired?: readonly string[],
): LabeledOperand {
  // A label only on one side that nobody needs is summed away first (plans never leave one).
  const inA = new Set(a.labels);
  const inB = new Set(b.labels);
  const lonelyA = a.labels.filter((l) => !inB.has(l) && !kept.has(l));
  const lonelyB = b.labels.filter((l) => !inA.has(l) && !kept.has(l));
  if (lonelyA.length > 0) return contractOperandPair(sumOut(a, lonelyA), b, kept, desired);
  if (lonelyB.length > 0) return contractOperandPair(a, sumOut(b, lonelyB), kept, desired);
  return contractWithLayout(a, b, chooseLayout(geometryOf(a), geometryOf(b), kept, desired));
}

/** Runs one pairwise step as a single gemm (batch 1) or gemmBatched call; the result is [batch, rows, cols]. */
function contractWithLayout(a: LabeledOperand, b: LabeledOperand, layout: Layout): LabeledOperand {
  const { swap, batch, contracted } = layout;
  const [rowsOp, colsOp] = swap ? [b, a] : [a, b];
  const [rows, cols] = swap ? [layout.right, layout.left] : [layout.left, layout.right];
  const dim = (l: string): number => {
    const p = a.labels.indexOf(l);
    return p >= 0 ? a.tensor.shape[p]! : b.tensor.shape[b.labels.indexOf(l)]!;
  };
  const nb = sizeOf(batch.map(dim));
  const m = sizeOf(rows.map(dim));
  const n = sizeOf(cols.map(dim));
  const k = sizeOf(contracted.map(dim));
  const labels = [...batch, ...rows, ...cols];
  const out = allocate(a.tensor.dtype, nb * m * n);
  if (out.length > 0 && k > 0) {
    const x = operandData(rowsOp, batch, rows, contracted);
    const y = operandData(colsOp, batch, contracted, cols);
    const kernel = getKernel();
    if (m === 1 && n === 1 && k === 1) {
      // A Hadamard-type step (nothing summed, nothing free): a batch of 1×1 products
      // is an elementwise multiply; a kernel call per batch of scalars costs ~20× more.
      const xd = x.data;
      const yd = y.data;
      for (let i = 0; i < nb; i++) out[i] = xd[i]! * yd[i]!;
    } else if (nb === 1) kernel.gemm(x.trans, y.trans, m, n, k, 1, x.data, y.data, 0, out);
    else kernel.gemmBatched(x.trans, y.trans, nb, m, n, k, 1, x.data, m * k, y.data, k * n, 0, out);
  }
  return { tensor: new Tensor(out, labels.map(dim)), labels };
}

/**
 * How a gemm operand that must be [batch, outer, inner] can be read: as is,
 * transposed ([batch, inner, outer]), or only after a copy.
 */
function access(g: Geometry, batch: readonly string[], outer: readonly string[], inner: readonly string[]): 'direct' | 'trans' | 'copy' {
  if (denseInOrder(g, [...batch, ...outer, ...inner])) return 'direct';
  if (denseInOrder(g, [...batch, ...inner, ...outer])) return 'trans';
  return 'copy';
}

/** The data of one gemm operand and its transpose flag, copied into [batch, outer, inner] only when needed. */
function operandData(op: LabeledOperand, batch: string[], outer: string[], inner: string[]): { data: FloatArray; trans: boolean } {
  const how = access(geometryOf(op), batch, outer, inner);
  if (how === 'trans') return { data: dataInOrder(op, [...batch, ...inner, ...outer]), trans: true };
  return { data: dataInOrder(op, [...batch, ...outer, ...inner]), trans: false };
}

interface NextStep {
  partner: Geometry;
  kept: ReadonlySet<string>;
}

/**
 * Picks label orders and operand roles for one step: fewest elements copied
 * (inputs that are not in a gemm-readable layout, a result not in `desired`,
 * and — looking one step ahead — copies the next step would need), then fewest
 * transposed operands.
 */
function chooseLayout(a: Geometry, b: Geometry, kept: ReadonlySet<string>, desired: readonly string[] | undefined, next?: NextStep): Layout {
  const inA = new Set(a.labels);
  const inB = new Set(b.labels);
  const dims = new Map<string, number>();
  a.labels.forEach((l, i) => dims.set(l, a.shape[i]!));
  b.labels.forEach((l, i) => dims.set(l, b.shape[i]!));
  const batchSet = new Set(a.labels.filter((l) => inB.has(l) && kept.has(l)));
  const contractedSet = new Set(a.labels.filter((l) => inB.has(l) && !kept.has(l)));
  const leftSet = new Set(a.labels.filter((l) => !inB.has(l)));
  const rightSet = new Set(b.labels.filter((l) => !inA.has(l)));
  const memA = memoryOrder(a);
  const memB = memoryOrder(b);
  // Candidate orders of one class of labels, each following a reference order;
  // labels the reference lacks go last, in the first reference's order.
  const options = (set: ReadonlySet<string>, orders: (readonly string[] | undefined)[]): string[][] => {
    const seen = new Map<string, string[]>();
    const fallback = orders[0]!.filter((l) => set.has(l));
    for (const o of orders) {
      if (!o) continue;
      const p = o.filter((l) => set.has(l));
      if (p.length < set.size) p.push(...fallback.filter((l) => !p.includes(l)));
      seen.set(p.join('|'), p);
    }
    return [...seen.values()];
  };
  const nextOrders = next ? memoryOrder(next.partner) : undefined;
  const batchOptions = options(batchSet, [memA, memB, desired, nextOrders]);
  const contractedOptions = options(contractedSet, [memA, memB]);
  const leftOptions = options(leftSet, [memA, desired, nextOrders]);
  const rightOptions = options(rightSet, [memB, desired, nextOrders]);
  const desiredKey = desired?.join('|');
  const resultSize = sizeOf([...batchSet, ...leftSet, ...rightSet].map((l) => dims.get(l)!));
  const lookahead = new Map<string, number>();
  const nextCopies = (order: string[]): number => {
    if (!next) return 0;
    const key = order.join('|');
    let c = lookahead.get(key);
    if (c === undefined) {
      const shape = order.map((l) => dims.get(l)!);
      const result: Geometry = { labels: order, shape, strides: contiguousStrides(shape), size: resultSize };
      c = layoutCost(result, next.partner, chooseLayout(result, next.partner, next.kept, undefined)).copies;
      lookahead.set(key, c);
    }
    return c;
  };

  let best: Layout | undefined;
  let bestCost: { copies: number; trans: number } | undefined;
  for (const swap of [false, true]) {
    for (const batch of batchOptions) {
      for (const contracted of contractedOptions) {
        for (const left of leftOptions) {
          for (const right of rightOptions) {
            const layout = { swap, batch, contracted, left, right };
            const cost = layoutCost(a, b, layout);
            const result = swap ? [...batch, ...right, ...left] : [...batch, ...left, ...right];
            if (desiredKey !== undefined && result.join('|') !== desiredKey) cost.copies += resultSize;
            cost.copies += nextCopies(result);
            if (!bestCost || cost.copies < bestCost.copies || (cost.copies === bestCost.copies && cost.trans < bestCost.trans)) {
              best = layout;
              bestCost = cost;
            }
          }
        }
      }
    }
  }
  return best!;
}

/** Elements copied to feed the gemm of a layout, and how many operands it reads transposed. */
function layoutCost(a: Geometry, b: Geometry, layout: Layout): { copies: number; trans: number } {
  const { swap, batch, contracted, left, right } = layout;
  // The rows operand is read as [batch, rows, k], the columns operand as [batch, k, cols].
  const ha = swap ? access(a, batch, contracted, left) : access(a, batch, left, contracted);
  const hb = swap ? access(b, batch, right, contracted) : access(b, batch, contracted, right);
  return {
    copies: (ha === 'copy' ? a.size : 0) + (hb === 'copy' ? b.size : 0),
    trans: (ha === 'trans' ? 1 : 0) + (hb === 'trans' ? 1 : 0),
  };
}
