import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEEP_ERROR, FUZZ_SEED, outcome } from '../../test/helpers/fuzz.js';
import { Tensor } from '../tensor/tensor.js';
import { einsum } from './einsum.js';

/*
 * Fuzz: random einsum subscripts over a small alphabet (letters, ',', '->', '.', spaces)
 * with random operand shapes give either the result a plain nested-loop reference gives,
 * or one Error naming einsum, never a crash from deep inside or a hang.
 */

/** Cases per property (the counts are reported in issue 11's closing note). */
const EINSUM_RUNS = { random: 600, valid: 300 };

type Optimize = 'auto' | 'greedy' | 'optimal' | 'dp';

/**
 * The reference: numpy's einsum rules as tnkit documents them (implicit output = the
 * ellipsis dimensions, then letters appearing once, in character-code order; explicit
 * output without '...' sums the broadcast dimensions; size-1 axes broadcast across
 * operands, never within one), computed by one loop over every label assignment.
 * Returns undefined for subscripts these rules refuse.
 */
function reference(spec: string, operands: Tensor[]): Tensor | undefined {
  const text = spec.replace(/\s+/g, '');
  if (!/^[a-zA-Z.,\->]*$/.test(text)) return undefined;
  const sides = text.split('->');
  if (sides.length > 2 || sides.some((s) => /[->]/.test(s))) return undefined;
  const terms = sides[0]!.split(',');
  if (terms.length !== operands.length) return undefined;
  const parseTerm = (t: string): { before: string[]; dots: boolean; after: string[] } | undefined => {
    const parts = t.split('...');
    if (parts.length > 2 || parts.some((p) => !/^[a-zA-Z]*$/.test(p))) return undefined;
    return { before: [...parts[0]!], dots: parts.length === 2, after: [...(parts[1] ?? '')] };
  };
  const parsed = terms.map(parseTerm);
  if (parsed.some((p) => p === undefined)) return undefined;
  const covered: number[] = [];
  for (let k = 0; k < operands.length; k++) {
    const p = parsed[k]!;
    const named = p.before.length + p.after.length;
    const ndim = operands[k]!.ndim;
    if (p.dots ? ndim < named : ndim !== named) return undefined;
    covered.push(ndim - named);
  }
  const E = Math.max(0, ...covered);
  const dotLabels = (n: number): string[] => Array.from({ length: n }, (_, i) => `.${E - n + i}`);
  const inputs = parsed.map((p, k) => [...p!.before, ...dotLabels(covered[k]!), ...p!.after]);
  const sizes = new Map<string, number>();
  for (let k = 0; k < operands.length; k++) {
    const here = new Map<string, number>();
    for (let a = 0; a < inputs[k]!.length; a++) {
      const l = inputs[k]![a]!;
      const d = operands[k]!.shape[a]!;
      if (here.has(l) && here.get(l) !== d) return undefined;
      here.set(l, d);
      const known = sizes.get(l);
      if (known === undefined || known === 1) sizes.set(l, d);
      else if (d !== 1 && d !== known) return undefined;
    }
  }
  let output: string[];
  if (sides.length === 1) {
    const counts = new Map<string, number>();
    for (const p of parsed) for (const l of [...p!.before, ...p!.after]) counts.set(l, (counts.get(l) ?? 0) + 1);
    const once = [...counts].filter(([, c]) => c === 1).map(([l]) => l).sort((x, y) => x.charCodeAt(0) - y.charCodeAt(0));
    output = [...dotLabels(E), ...once];
  } else {
    const p = parseTerm(sides[1]!);
    if (p === undefined) return undefined;
    const letters = [...p.before, ...p.after];
    if (new Set(letters).size !== letters.length || letters.some((l) => !sizes.has(l))) return undefined;
    output = [...p.before, ...(p.dots ? dotLabels(E) : []), ...p.after];
  }
  const labels = [...sizes.keys()];
  const outShape = output.map((l) => sizes.get(l)!);
  const out = new Float64Array(outShape.reduce((a, b) => a * b, 1));
  const datas = operands.map((t) => t.toTypedArray());
  const at = new Map<string, number>();
  const total = labels.reduce((p, l) => p * sizes.get(l)!, 1);
  for (let flat = 0; flat < total; flat++) {
    let rest = flat;
    for (const l of labels) {
      at.set(l, rest % sizes.get(l)!);
      rest = Math.floor(rest / sizes.get(l)!);
    }
    let product = 1;
    for (let k = 0; k < operands.length; k++) {
      const shape = operands[k]!.shape;
      let offset = 0;
      for (let a = 0; a < shape.length; a++) offset = offset * shape[a]! + (shape[a] === 1 ? 0 : at.get(inputs[k]![a]!)!);
      product *= datas[k]![offset]!;
    }
    let o = 0;
    for (let a = 0; a < output.length; a++) o = o * outShape[a]! + at.get(output[a]!)!;
    out[o] += product;
  }
  return new Tensor(out, outShape);
}

/** Small integer data, so sums are exact and results compare exactly. */
function operand(shape: number[], salt: number): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return new Tensor(Float64Array.from({ length: size }, (_, i) => ((i * 7 + salt * 3) % 5) - 2), shape);
}

function check(spec: string, shapes: number[][], optimize: Optimize, mustWork: boolean): void {
  const operands = shapes.map((s, k) => operand(s, k));
  const what = `einsum('${spec}', ${shapes.map((s) => `[${s.join(',')}]`).join(', ')}, ${optimize})`;
  const expected = reference(spec, operands);
  const r = outcome(() => einsum(spec, ...operands, { optimize }));
  expect(r.ms, `${what}: time`).toBeLessThan(2000);
  if (r.error !== undefined) {
    expect(r.error, `${what}: threw ${String(r.error)}`).toBeInstanceOf(Error);
    const message = (r.error as Error).message;
    expect(message, what).toMatch(/^einsum/);
    expect(message, what).not.toMatch(DEEP_ERROR);
    expect(expected, `${what}: refused (${message}) but the reference computes it`).toBeUndefined();
    return;
  }
  expect(mustWork || expected !== undefined, `${what}: accepted subscripts the reference refuses`).toBe(true);
  expect(r.value!.shape, what).toEqual(expected!.shape);
  // + 0 makes -0 and 0 equal (the order of the sums may differ).
  expect(Array.from(r.value!.toTypedArray(), (v) => v + 0), what).toEqual(Array.from(expected!.toTypedArray(), (v) => v + 0));
}

const optimizer = fc.constantFrom<Optimize>('auto', 'greedy', 'optimal', 'dp');
const shape = fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 4 });

describe('fuzz: einsum subscripts give the reference result or one error naming einsum', () => {
  it('random strings over letters, commas, arrows, dots and spaces', () => {
    const token = fc.constantFrom('a', 'b', 'c', 'i', 'j', 'A', ',', '->', '-', '>', '.', '...', ' ', 'é', '1');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 12 }).map((ts) => ts.join('')), fc.array(shape, { minLength: 1, maxLength: 3 }), optimizer, (spec, shapes, optimize) =>
        check(spec, shapes, optimize, false),
      ),
      { seed: FUZZ_SEED, numRuns: EINSUM_RUNS.random },
    );
  });

  it('well-formed subscripts with consistent (sometimes broadcast) shapes', () => {
    const term = fc.record({
      before: fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'B'), { maxLength: 3 }),
      dots: fc.boolean(),
      after: fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'B'), { maxLength: 2 }),
      dotDims: fc.array(fc.integer({ min: 1, max: 2 }), { maxLength: 2 }),
      ones: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
    });
    const sizes = fc.record({ a: fc.integer({ min: 1, max: 3 }), b: fc.integer({ min: 1, max: 3 }), c: fc.integer({ min: 1, max: 3 }), d: fc.integer({ min: 1, max: 3 }), B: fc.integer({ min: 1, max: 3 }) });
    fc.assert(
      fc.property(fc.array(term, { minLength: 1, maxLength: 3 }), sizes, fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }), optimizer, (terms, size, outPick, optimize) => {
        const letters = terms.map((t) => [...new Set([...t.before, ...t.after])]);
        const shapes = terms.map((t) => {
          // Each letter has its size, or 1 on this operand (broadcast); a letter repeated
          // within the term (a diagonal) keeps one size on all its axes.
          const all = [...t.before, ...t.after];
          const dims = all.map((l) => (t.ones[all.indexOf(l) % 6] ? 1 : size[l as keyof typeof size]));
          return [...dims.slice(0, t.before.length), ...(t.dots ? t.dotDims : []), ...dims.slice(t.before.length)];
        });
        const lhs = terms.map((t) => `${t.before.join('')}${t.dots ? '...' : ''}${t.after.join('')}`).join(',');
        let spec = lhs;
        if (outPick !== undefined) {
          const all = [...new Set(letters.flat())];
          const chosen = all.filter((_, i) => (outPick >> i) & 1);
          const dots = terms.some((t) => t.dots) && (outPick & 512) !== 0;
          spec = `${lhs}->${(outPick & 256 ? chosen.reverse() : chosen).join('')}${dots ? '...' : ''}`;
        }
        // Ellipsis dims (1 or 2 per axis) may not broadcast: the reference decides.
        check(spec, shapes, optimize, false);
      }),
      { seed: FUZZ_SEED, numRuns: EINSUM_RUNS.valid },
    );
  });
});
