import { describe, expect, it } from 'vitest';
import { randn } from '../tensor/create.js';
import { Random } from '../tensor/random.js';
import { contiguousStrides } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { einsum, einsumPath } from './einsum.js';
import { planContraction, type ContractionPlan } from './path.js';

/** A random connected-or-not network: each label on two operands (bonds) or one operand and the output. */
function randomNetwork(rng: Random, n: number): { inputs: string[][]; output: string[]; sizes: Map<string, number> } {
  const inputs: string[][] = Array.from({ length: n }, () => []);
  const sizes = new Map<string, number>();
  const output: string[] = [];
  const letters = rng.shuffle([...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ']);
  const bonds = n + rng.int(n + 1);
  let next = 0;
  for (let b = 0; b < bonds && next < letters.length; b++) {
    const i = rng.int(n);
    const j = rng.int(n);
    if (i === j) continue;
    const l = letters[next++]!;
    sizes.set(l, 2 + rng.int(7));
    inputs[i]!.push(l);
    inputs[j]!.push(l);
  }
  for (let k = 0; k < n && next < letters.length; k++) {
    if (rng.uniform() < 0.3) {
      const l = letters[next++]!;
      sizes.set(l, 2 + rng.int(3));
      inputs[k]!.push(l);
      output.push(l);
    }
  }
  return { inputs, output, sizes };
}

/** Replays a positional path with an independent cost model: Σ 2·(index space) per step (1· for outer/Hadamard). */
function replayCost(plan: ContractionPlan): bigint {
  const current = plan.prep.map((p) => [...p.result]);
  let total = 0n;
  plan.path.forEach(([i, j], k) => {
    expect(i).toBeLessThan(j);
    expect(j).toBeLessThan(current.length);
    const a = current[i]!;
    const b = current[j]!;
    const rest = current.filter((_, p) => p !== i && p !== j).flat();
    const union = [...new Set([...a, ...b])];
    const keep = union.filter((l) => plan.output.includes(l) || rest.includes(l));
    let space = 1n;
    for (const l of union) space *= BigInt(plan.sizes.get(l)!);
    total += space * (keep.length < union.length ? 2n : 1n);
    current.splice(j, 1);
    current.splice(i, 1);
    current.push(k === plan.path.length - 1 ? [...plan.output] : keep);
  });
  expect(current.length).toBe(1);
  expect(new Set(current[0])).toEqual(new Set(plan.output));
  return total;
}

/** Cost of a random order that contracts operands sharing an index first, outer products only when forced. */
function randomConnectedFirstCost(plan: ContractionPlan, rng: Random): bigint {
  const current = plan.prep.map((p) => [...p.result]);
  let total = 0n;
  while (current.length > 1) {
    const pairs: [number, number][] = [];
    for (let i = 0; i < current.length; i++) {
      for (let j = i + 1; j < current.length; j++) if (current[i]!.some((l) => current[j]!.includes(l))) pairs.push([i, j]);
    }
    const [i, j] = pairs.length > 0 ? pairs[rng.int(pairs.length)]! : [0, 1];
    const rest = current.filter((_, p) => p !== i && p !== j).flat();
    const union = [...new Set([...current[i]!, ...current[j]!])];
    const keep = union.filter((l) => plan.output.includes(l) || rest.includes(l));
    let space = 1n;
    for (const l of union) space *= BigInt(plan.sizes.get(l)!);
    total += space * (keep.length < union.length ? 2n : 1n);
    current.splice(j, 1);
    current.splice(i, 1);
    current.push(keep);
  }
  return total;
}

describe('contraction paths', () => {
  it('finds the hand-computed best order of a matrix chain', () => {
    // (AB)C: 2·10·100·5 + 2·10·5·50 = 15 000 FLOPs; A(BC): 2·100·5·50 + 2·10·100·50 = 150 000.
    for (const optimize of ['optimal', 'greedy', 'auto'] as const) {
      const info = einsumPath('ab,bc,cd->ad', [10, 100], [100, 5], [5, 50], { optimize });
      expect(info.path).toEqual([[0, 1], [0, 1]]);
      expect(info.steps.map((s) => s.flops)).toEqual([10000n, 5000n]);
      expect(info.steps.map((s) => s.outputShape)).toEqual([[10, 5], [10, 50]]);
      expect(info.flops).toEqual({ naive: 2n * 2n * 10n * 100n * 5n * 50n, optimized: 15000n });
      expect(info.largestIntermediate).toBe(500n);
      expect(info.speedup).toBeCloseTo(1_000_000 / 15000, 10);
    }
    // Reversed sizes make A(BC) the cheap order.
    const rev = einsumPath('ab,bc,cd->ad', [50, 5], [5, 100], [100, 10]);
    expect(rev.path).toEqual([[1, 2], [0, 1]]);
    expect(rev.flops.optimized).toBe(15000n);
  });

  it('plans an MPS environment step with the hand-computed cost', () => {
    const chi = 64;
    const d = 4;
    const shapes = [[chi, chi], [chi, d, chi], [chi, d, chi], [chi, d, chi], [chi, d, chi]];
    const info = einsumPath('ab,apc,bpd,cqe,dqf->ef', ...shapes);
    // Absorbing one site tensor at a time: every step loops over χ³·d and sums.
    expect(info.path.length).toBe(4);
    expect(info.steps.map((s) => s.flops)).toEqual(Array(4).fill(2n * BigInt(chi ** 3 * d)));
    expect(info.largestIntermediate).toBe(BigInt(chi * d * chi));
    expect(info.flops.naive).toBe(2n * 4n * BigInt(chi) ** 6n * BigInt(d * d));
  });

  it('contracts a bra–ket MPS pair to the right overlap', () => {
    const rng = new Random(3);
    const chi = 3;
    const d = 2;
    const A = [randn([d, chi], { rng }), randn([chi, d, chi], { rng }), randn([chi, d], { rng })];
    const B = [randn([d, chi], { rng }), randn([chi, d, chi], { rng }), randn([chi, d], { rng })];
    const spec = 'pa,aqb,br,pc,cqd,dr->';
    const got = einsum(spec, A[0]!, A[1]!, A[2]!, B[0]!, B[1]!, B[2]!).item();
    // Dense states |ψ⟩[p,q,r] by explicit loops, then ⟨ψ_A|ψ_B⟩.
    const dense = (M: Tensor[]): number[] => {
      const out: number[] = [];
      for (let p = 0; p < d; p++) for (let q = 0; q < d; q++) for (let r = 0; r < d; r++) {
        let s = 0;
        for (let a = 0; a < chi; a++) for (let b = 0; b < chi; b++) s += M[0]!.get(p, a) * M[1]!.get(a, q, b) * M[2]!.get(b, r);
        out.push(s);
      }
      return out;
    };
    const x = dense(A);
    const y = dense(B);
    const expected = x.reduce((s, v, i) => s + v * y[i]!, 0);
    expect(Math.abs(got - expected)).toBeLessThan(1e-12 * x.reduce((s, v, i) => s + Math.abs(v * y[i]!), 0));
  });

  it('optimal is never worse than greedy or any connected-first order, and costs replay exactly', () => {
    const rng = new Random(2024);
    let strictlyBetter = 0;
    for (let trial = 0; trial < 60; trial++) {
      const net = randomNetwork(rng, 2 + rng.int(8));
      const optimal = planContraction(net.inputs, net.output, net.sizes, 'optimal');
      const greedy = planContraction(net.inputs, net.output, net.sizes, 'greedy');
      const prep = optimal.prep.reduce((s, p) => s + p.flops, 0n);
      expect(replayCost(optimal) + prep).toBe(optimal.optimizedFlops);
      expect(replayCost(greedy) + prep).toBe(greedy.optimizedFlops);
      expect(optimal.optimizedFlops).toBeLessThanOrEqual(greedy.optimizedFlops);
      if (optimal.optimizedFlops < greedy.optimizedFlops) strictlyBetter++;
      for (let r = 0; r < 5; r++) {
        const other = randomConnectedFirstCost(optimal, rng) + prep;
        expect(optimal.optimizedFlops).toBeLessThanOrEqual(other);
      }
    }
    // The networks are varied enough that greedy is sometimes beaten.
    expect(strictlyBetter).toBeGreaterThan(0);
  });

  it("greedy leaves products over kept indices only to the end, smallest first, as opt_einsum's greedy does", () => {
    // a (2), ab (6), abc (24), everything kept: a·ab (6 FLOPs) then ab·abc (24) = 30; the
    // lowest-score pair ab·abc first costs 24 + 24 = 48.
    const p = einsumPath('a,ab,abc->abc', [2], [2, 3], [2, 3, 4], { optimize: 'greedy' });
    expect(p.flops.optimized).toBe(30n);
    expect(p.path).toEqual([[0, 1], [0, 1]]);
    // Operands with the same indices are multiplied first (one pass over them, nothing grows).
    const h = planContraction([['i', 'j'], ['j', 'k'], ['i', 'j']], ['i', 'k'], new Map([['i', 5], ['j', 6], ['k', 7]]), 'greedy');
    expect(h.steps[0]!.spec).toBe('ij,ij->ij');
    expect(h.optimizedFlops).toBe(30n + 2n * 5n * 6n * 7n);
  });

  it('is deterministic and pure: the same labels and sizes give the same plan', () => {
    const rng = new Random(7);
    for (let trial = 0; trial < 10; trial++) {
      const net = randomNetwork(rng, 3 + rng.int(20));
      for (const optimize of ['greedy', 'auto'] as const) {
        const p1 = planContraction(net.inputs, net.output, net.sizes, optimize);
        const p2 = planContraction(net.inputs.map((x) => [...x]), [...net.output], new Map(net.sizes), optimize);
        expect(p2.path).toEqual(p1.path);
        expect(p2.optimizedFlops).toBe(p1.optimizedFlops);
      }
    }
  });

  it("'auto' is exhaustive for small networks, dynamic programming up to 20 operands and greedy for larger ones", () => {
    const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const ring = (n: number): string => Array.from({ length: n }, (_, i) => `${letters[i]}${letters[(i + 1) % n]}`).join(',') + '->';
    expect(einsumPath(ring(5), ...Array(5).fill([3, 3])).optimizer).toBe('optimal');
    expect(einsumPath(ring(10), ...Array(10).fill([3, 3])).optimizer).toBe('optimal');
    expect(einsumPath(ring(11), ...Array(11).fill([3, 3])).optimizer).toBe('dp');
    const big = einsumPath(ring(20), ...Array(20).fill([3, 3]));
    expect(big.optimizer).toBe('dp');
    expect(big.path.length).toBe(19);
    const bigger = einsumPath(ring(21), ...Array(21).fill([3, 3]));
    expect(bigger.optimizer).toBe('greedy');
    expect(bigger.path.length).toBe(20);
    expect(() => einsumPath(ring(20), ...Array(20).fill([3, 3]), { optimize: 'optimal' })).toThrow(/at most \d+ operands.*greedy/);
  });

  it('sums indices found on one operand first and contracts the rest pairwise', () => {
    const plan = planContraction([['i', 'i', 'j', 'x'], ['j', 'k']], ['k'], new Map([['i', 3], ['j', 4], ['k', 5], ['x', 6]]));
    expect(plan.prep[0]).toMatchObject({ diagonal: true, summed: ['i', 'x'], result: ['j'], flops: 72n });
    expect(plan.prep[1]).toMatchObject({ diagonal: false, summed: [], result: ['j', 'k'], flops: 0n });
    expect(plan.steps).toHaveLength(1);
    expect(plan.steps[0]).toMatchObject({ spec: 'j,jk->k', flops: 40n, contracted: ['j'] });
  });

  it('counts FLOPs exactly past 2^53 and past the double range', () => {
    const n = 2 ** 20;
    const info = einsumPath('ab,bc->ac', [n, n], [n, n]);
    expect(info.flops.optimized).toBe(2n ** 61n);
    expect(info.largestIntermediate).toBe(2n ** 40n);
    // A chain of 38 matrices of size 1e8: the naive count is ~7e313, beyond any double.
    const k = 38;
    const L = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    const spec = Array.from({ length: k }, (_, i) => `${L[i]}${L[i + 1]}`).join(',') + '->';
    const chain = einsumPath(spec, ...Array(k).fill([1e8, 1e8]));
    expect(chain.flops.naive).toBe(10n ** (8n * 39n) * BigInt(k - 1) * 2n);
    expect(chain.flops.optimized > 2n ** 53n).toBe(true);
    // The open ends are summed first (1e16 each), then 36 vector–matrix steps (2e16) and one dot product (2e8).
    const optimized = 2n * 10n ** 16n + 36n * 2n * 10n ** 16n + 2n * 10n ** 8n;
    expect(chain.flops.optimized).toBe(optimized);
    const expectedSpeedup = (Number(chain.flops.naive / 10n ** 300n) / Number(optimized)) * 1e300;
    expect(Math.abs(chain.speedup / expectedSpeedup - 1)).toBeLessThan(1e-12);
    expect(Number.isFinite(chain.speedup)).toBe(true);
  });
});

describe('einsum agrees with step-by-step evaluation of its own path', () => {
  it('for random tensor networks with 3–9 operands', () => {
    const rng = new Random(11);
    for (let trial = 0; trial < 20; trial++) {
      const net = randomNetwork(rng, 3 + rng.int(7));
      for (const [l, s] of net.sizes) net.sizes.set(l, Math.min(s, 3));
      const spec = `${net.inputs.map((x) => x.join('')).join(',')}->${net.output.join('')}`;
      const ops = net.inputs.map((x) => randn(x.map((l) => net.sizes.get(l)!), { rng }));
      const greedy = einsum(spec, ...ops, { optimize: 'greedy' });
      const optimal = einsum(spec, ...ops, { optimize: 'optimal' });
      expect(optimal.shape).toEqual(greedy.shape);
      const a = greedy.toTypedArray();
      const b = optimal.toTypedArray();
      const scale = Math.max(1, ...Array.from(a, Math.abs));
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-10 * scale);
      expect(contiguousStrides(greedy.shape)).toEqual([...greedy.strides]);
    }
  });
});
