import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { flopCount, labelsSize } from './cost.js';
import { dpOrder } from './dp.js';
import { einsum } from './einsum.js';
import { greedyOrder, ssaFlops } from './greedy.js';
import type { Network, SsaPath } from './network.js';
import { planContraction } from './path.js';

/** A random network: bonds on two operands, some hyperedges, open output legs, sometimes a batch index on all. */
const networkArb = (minOps: number, maxOps: number): fc.Arbitrary<Network> =>
  fc
    .record({
      n: fc.integer({ min: minOps, max: maxOps }),
      bonds: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 2, max: 6 })), { minLength: 1, maxLength: 2 * maxOps }),
      hyper: fc.array(fc.tuple(fc.array(fc.nat(), { minLength: 3, maxLength: 4 }), fc.integer({ min: 2, max: 3 }), fc.boolean()), { maxLength: 2 }),
      open: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 2, max: 3 })), { maxLength: maxOps }),
      batch: fc.option(fc.tuple(fc.integer({ min: 2, max: 3 }), fc.boolean())),
    })
    .map(({ n, bonds, hyper, open, batch }) => {
      const inputs: string[][] = Array.from({ length: n }, () => []);
      const sizes = new Map<string, number>();
      const output: string[] = [];
      let next = 0;
      const label = (size: number): string => {
        const l = `x${next++}`;
        sizes.set(l, size);
        return l;
      };
      for (const [i, j, d] of bonds) {
        if (i % n === j % n) continue;
        const l = label(d);
        inputs[i % n]!.push(l);
        inputs[j % n]!.push(l);
      }
      for (const [on, d, kept] of hyper) {
        const l = label(d);
        for (const k of new Set(on.map((x) => x % n))) inputs[k]!.push(l);
        if (kept) output.push(l);
      }
      for (const [k, d] of open) {
        const l = label(d);
        inputs[k % n]!.push(l);
        output.push(l);
      }
      if (batch) {
        const l = label(batch[0]);
        for (const x of inputs) x.push(l);
        if (batch[1]) output.push(l);
      }
      // Planning sees distinct labels on each operand, each on ≥ 2 operands or kept (as after preprocessing).
      const counts = new Map<string, number>();
      for (const x of inputs) for (const l of new Set(x)) counts.set(l, (counts.get(l) ?? 0) + 1);
      const kept = new Set(output);
      return {
        inputs: inputs.map((x) => [...new Set(x)].filter((l) => kept.has(l) || counts.get(l)! > 1)),
        output: [...kept],
        sizes,
      };
    });

/**
 * The optimum over the same space as dpOrder, by plain recursion: within a part
 * connected by summed indices, every split into two connected halves sharing a
 * summed index; parts multiplied smallest first; never above greedy's cost.
 */
function bruteForceDpSpace(net: Network): bigint {
  const n = net.inputs.length;
  if (n <= 1) return 0n;
  const output = new Set(net.output);
  const summedShared = (a: readonly string[], b: readonly string[]): boolean => a.some((l) => !output.has(l) && b.includes(l));
  const labelsOf = (S: number): string[] => [...new Set(net.inputs.filter((_, k) => (S >> k) & 1).flat())];
  const legs = (S: number): string[] => {
    const outside = new Set(net.inputs.filter((_, k) => !((S >> k) & 1)).flat());
    return labelsOf(S).filter((l) => output.has(l) || outside.has(l));
  };
  const connected = (S: number): boolean => {
    let reach = S & -S;
    for (;;) {
      let grown = reach;
      for (let i = 0; i < n; i++) {
        if (!((reach >> i) & 1)) continue;
        for (let j = 0; j < n; j++) if ((S >> j) & 1 && summedShared(net.inputs[i]!, net.inputs[j]!)) grown |= 1 << j;
      }
      if (grown === reach) return reach === S;
      reach = grown;
    }
  };
  const memo = new Map<number, bigint | null>();
  const best = (S: number): bigint | null => {
    if ((S & (S - 1)) === 0) return 0n;
    if (memo.has(S)) return memo.get(S)!;
    let result: bigint | null = null;
    for (let A = (S - 1) & S; A > 0; A = (A - 1) & S) {
      const B = S ^ A;
      if (A > B || !connected(A) || !connected(B) || !summedShared(labelsOf(A), labelsOf(B))) continue;
      const ca = best(A);
      const cb = best(B);
      if (ca === null || cb === null) continue;
      const union = [...new Set([...legs(A), ...legs(B)])];
      const c = ca + cb + flopCount(labelsSize(union, net.sizes), legs(S).length < union.length, 2);
      if (result === null || c < result) result = c;
    }
    memo.set(S, result);
    return result;
  };
  // Parts connected by summed indices, then their products smallest first.
  let unseen = (1 << n) - 1;
  const parts: { cost: bigint; legs: string[] }[] = [];
  while (unseen) {
    let part = unseen & -unseen;
    for (;;) {
      let grown = part;
      for (let j = 0; j < n; j++) if ((unseen >> j) & 1 && connected(part | (1 << j))) grown |= 1 << j;
      if (grown === part) break;
      part = grown;
    }
    parts.push({ cost: best(part)!, legs: legs(part) });
    unseen &= ~part;
  }
  let total = parts.reduce((s, p) => s + p.cost, 0n);
  let live = parts.map((p, i) => ({ legs: p.legs, id: i }));
  let nextId = parts.length;
  while (live.length > 1) {
    live.sort((a, b) => {
      const sa = labelsSize(a.legs, net.sizes);
      const sb = labelsSize(b.legs, net.sizes);
      return sa < sb ? -1 : sa > sb ? 1 : a.id - b.id;
    });
    const [a, b] = live as [{ legs: string[]; id: number }, { legs: string[]; id: number }];
    const union = [...new Set([...a.legs, ...b.legs])];
    const rest = new Set(live.slice(2).flatMap((p) => p.legs));
    const keep = union.filter((l) => output.has(l) || rest.has(l));
    total += flopCount(labelsSize(union, net.sizes), keep.length < union.length, 2);
    live = [...live.slice(2), { legs: keep, id: nextId++ }];
  }
  const greedy = ssaFlops(net, greedyOrder(net));
  return total < greedy ? total : greedy;
}

/** True when an SSA path contracts every operand exactly once into one tensor. */
function validSsa(ssa: SsaPath, n: number): boolean {
  const live = new Set(Array.from({ length: n }, (_, k) => k));
  let next = n;
  for (const [x, y] of ssa) {
    if (x === y || !live.has(x) || !live.has(y)) return false;
    live.delete(x);
    live.delete(y);
    live.add(next++);
  }
  return live.size === (n === 0 ? 0 : 1);
}

describe("optimize: 'dp' (dynamic programming over connected subgraphs)", () => {
  it('gives a valid path, never costlier than greedy nor cheaper than the exhaustive optimum, and equal to the optimum of its search space', () => {
    let belowGreedy = 0;
    let equalToOptimal = 0;
    let runs = 0;
    fc.assert(
      fc.property(networkArb(2, 7), (net) => {
        const dp = dpOrder(net);
        expect(validSsa(dp.ssa, net.inputs.length)).toBe(true);
        const cost = ssaFlops(net, dp.ssa);
        const greedy = ssaFlops(net, greedyOrder(net));
        const optimal = planContraction(net.inputs, net.output, net.sizes, 'optimal').optimizedFlops;
        const planned = planContraction(net.inputs, net.output, net.sizes, 'dp');
        // The plan's own step costs agree with the search's.
        expect(planned.optimizedFlops).toBe(cost);
        expect(cost).toBeLessThanOrEqual(greedy);
        expect(cost).toBeGreaterThanOrEqual(optimal);
        expect(cost).toBe(bruteForceDpSpace(net));
        runs++;
        if (cost < greedy) belowGreedy++;
        if (cost === optimal) equalToOptimal++;
      }),
      { numRuns: 150, seed: 11 },
    );
    // The generator is varied enough for dp to beat greedy sometimes, and to match the optimum mostly.
    expect(belowGreedy).toBeGreaterThan(0);
    expect(equalToOptimal).toBeGreaterThan(runs / 2);
  });

  it('equals the exhaustive optimum on matrix chains', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 3, maxLength: 10 }), (dims) => {
        // A matrix chain A0(d0×d1) A1(d1×d2) …: labels x0…xk, open ends kept.
        const inputs = dims.slice(0, -1).map((_, i) => [`x${i}`, `x${i + 1}`]);
        const net: Network = { inputs, output: ['x0', `x${dims.length - 1}`], sizes: new Map(dims.map((d, i) => [`x${i}`, d])) };
        const dp = planContraction(net.inputs, net.output, net.sizes, 'dp').optimizedFlops;
        const optimal = planContraction(net.inputs, net.output, net.sizes, 'optimal').optimizedFlops;
        expect(dp).toBe(optimal);
      }),
      { numRuns: 60, seed: 5 },
    );
  });

  it('is chosen by auto from 11 to 20 operands and never costs more than greedy there, counting past 2^53 exactly', () => {
    const rng = new Random(99);
    for (const n of [11, 14, 17]) {
      // A random 3-regular-ish network of bonds of size 2^10: costs pass 2^53.
      const inputs: string[][] = Array.from({ length: n }, () => []);
      const sizes = new Map<string, number>();
      let next = 0;
      for (let i = 0; i < n; i++) {
        const l = `b${next++}`;
        sizes.set(l, 1024);
        inputs[i]!.push(l);
        inputs[(i + 1) % n]!.push(l);
      }
      for (let e = 0; e < n / 2; e++) {
        const i = rng.int(n);
        const j = rng.int(n);
        if (i === j) continue;
        const l = `b${next++}`;
        sizes.set(l, 1024);
        inputs[i]!.push(l);
        inputs[j]!.push(l);
      }
      const auto = planContraction(inputs, [], sizes);
      const greedy = planContraction(inputs, [], sizes, 'greedy');
      expect(auto.optimizer).toBe('dp');
      expect(auto.optimizedFlops).toBeLessThanOrEqual(greedy.optimizedFlops);
      expect(auto.optimizedFlops > 2n ** 53n).toBe(true);
    }
  });

  it("settles for greedy's order under 'auto' when the search would be long (a complete graph)", () => {
    const n = 16;
    const inputs: string[][] = Array.from({ length: n }, () => []);
    const sizes = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const l = `e${i}_${j}`;
        sizes.set(l, 2);
        inputs[i]!.push(l);
        inputs[j]!.push(l);
      }
    }
    const auto = planContraction(inputs, [], sizes);
    expect(auto.optimizer).toBe('greedy');
    expect(auto.optimizedFlops).toBe(planContraction(inputs, [], sizes, 'greedy').optimizedFlops);
    const capped = dpOrder({ inputs, output: [], sizes }, { maxWork: 1000 });
    expect(capped).toMatchObject({ gaveUp: true, fromGreedy: true });
    expect(capped.work).toBeGreaterThan(1000);
  });

  it('handles disconnected networks, scalars and a single operand', () => {
    expect(dpOrder({ inputs: [['a']], output: ['a'], sizes: new Map([['a', 2]]) }).ssa).toEqual([]);
    const net: Network = { inputs: [['a', 'b'], ['b'], ['c'], ['c', 'd'], []], output: ['a', 'd'], sizes: new Map([['a', 2], ['b', 3], ['c', 4], ['d', 5]]) };
    const dp = dpOrder(net);
    expect(validSsa(dp.ssa, 5)).toBe(true);
    expect(ssaFlops(net, dp.ssa)).toBeLessThanOrEqual(ssaFlops(net, greedyOrder(net)));
    expect(() => dpOrder({ inputs: Array.from({ length: 31 }, () => ['a']), output: [], sizes: new Map([['a', 2]]) })).toThrow(/at most 30 operands/);
  });
});

/** Naive einsum: one loop over every index value. */
function naiveEinsum(inputs: string[][], output: string[], shapes: number[][], data: Float64Array[]): { shape: number[]; values: number[] } {
  const sizes = new Map<string, number>();
  inputs.forEach((ls, k) => ls.forEach((l, a) => sizes.set(l, Math.max(sizes.get(l) ?? 1, shapes[k]![a]!))));
  const all = [...new Set([...inputs.flat(), ...output])];
  const outShape = output.map((l) => sizes.get(l)!);
  const values = new Array<number>(outShape.reduce((p, d) => p * d, 1)).fill(0);
  const idx = new Map<string, number>(all.map((l) => [l, 0]));
  const total = all.reduce((p, l) => p * sizes.get(l)!, 1);
  for (let flat = 0; flat < total; flat++) {
    let rem = flat;
    for (let a = all.length - 1; a >= 0; a--) {
      const d = sizes.get(all[a]!)!;
      idx.set(all[a]!, rem % d);
      rem = Math.floor(rem / d);
    }
    let prod = 1;
    inputs.forEach((ls, k) => {
      let off = 0;
      ls.forEach((l, a) => {
        const d = shapes[k]![a]!;
        off = off * d + idx.get(l)! % d; // size 1 broadcasts
      });
      prod *= data[k]![off]!;
    });
    let o = 0;
    output.forEach((l, a) => (o = o * outShape[a]! + idx.get(l)!));
    values[o]! += prod;
  }
  return { shape: outShape, values };
}

describe('einsum agrees with a naive loop on random specs and shapes (property)', () => {
  it('for every optimizer, with repeated indices, size-1 broadcasting and implicit outputs', () => {
    const specArb = fc
      .record({
        pool: fc.integer({ min: 1, max: 5 }),
        terms: fc.array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: 1, maxLength: 5 }),
        sizes: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 5, maxLength: 5 }),
        ones: fc.array(fc.boolean(), { minLength: 15, maxLength: 15 }),
        outPick: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
        implicit: fc.boolean(),
        optimize: fc.constantFrom('auto', 'optimal', 'dp', 'greedy' as const),
        seed: fc.nat(),
      })
      .map(({ pool, terms, sizes, ones, outPick, implicit, optimize, seed }) => {
        const letters = 'abcde'.slice(0, pool);
        const inputs = terms.map((t) => t.map((x) => letters[x % pool]!));
        // Shapes: each axis has its index's size, or 1 (broadcast) unless the index repeats in that operand.
        let o = 0;
        const shapes = inputs.map((ls) => ls.map((l) => (ones[o++ % 15] && ls.indexOf(l) === ls.lastIndexOf(l) ? 1 : sizes[letters.indexOf(l)]!)));
        const used = [...new Set(inputs.flat())];
        const counts = new Map<string, number>();
        for (const l of inputs.flat()) counts.set(l, (counts.get(l) ?? 0) + 1);
        const output = implicit ? used.filter((l) => counts.get(l) === 1).sort() : used.filter((l) => outPick[letters.indexOf(l)]);
        const spec = `${inputs.map((ls) => ls.join('')).join(',')}${implicit ? '' : `->${output.join('')}`}`;
        return { inputs, output, shapes, spec, optimize, seed };
      });
    fc.assert(
      fc.property(specArb, ({ inputs, output, shapes, spec, optimize, seed }) => {
        const rng = new Random(seed);
        const data = shapes.map((s) => Float64Array.from({ length: s.reduce((p, d) => p * d, 1) }, () => rng.normal()));
        const ops = data.map((d, k) => new Tensor(d, shapes[k]!));
        const got = einsum(spec, ...ops, { optimize });
        const want = naiveEinsum(inputs, output, shapes, data);
        expect(got.shape).toEqual(want.shape);
        const g = got.toTypedArray();
        const scale = Math.max(1, ...want.values.map(Math.abs));
        want.values.forEach((v, i) => expect(Math.abs(g[i]! - v)).toBeLessThan(1e-10 * scale));
      }),
      { numRuns: 300, seed: 3 },
    );
  });
});
