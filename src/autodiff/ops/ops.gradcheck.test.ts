import { describe, expect, it } from 'vitest';
import { rand, randn } from '../../tensor/create.js';
import { Random } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkGradient } from '../gradcheck.js';
import type { OpName } from '../op-names.js';
import { project, randomShape } from '../../../test/helpers/autodiff.js';
import type { Var } from '../variable.js';
import { abs, add, div, exp, log, mul, neg, pow, relu, sigmoid, sqrt, square, sub, tanh } from './elementwise.js';
import { einsum } from './einsum.js';
import { qr, svd } from './linalg.js';
import { norm } from './norm.js';
import { max, mean, min, sum } from './reduce.js';
import { broadcastTo, concat, permute, pick, reshape, slice, stack, take } from './shape.js';
import { logSoftmax, logSumExp, softmax } from './softmax.js';
import { differentiableOps } from './table.js';

/** One gradient-check scenario: a scalar loss of some parameters, built from a seeded generator. */
interface Case {
  op: OpName;
  make(rng: Random): { f: (...p: Var[]) => Var; params: Tensor[] };
}

const TRIALS = 6;
const TOL = 1e-6;

/** Values bounded away from 0 (for abs, relu, log, sqrt). */
function awayFromZero(shape: number[], rng: Random): Tensor {
  const t = rand(shape, { rng, low: 0.2, high: 1.5 });
  for (let i = 0; i < t.size; i++) if (rng.uniform() < 0.5) t.data[i] = -t.data[i]!;
  return t;
}

/** A shape `b` that broadcasts against `full` (some axes 1, maybe fewer leading axes). */
function broadcastable(full: number[], rng: Random): number[] {
  const drop = rng.int(full.length + 1);
  return full.slice(drop).map((d) => (rng.uniform() < 0.4 ? 1 : d));
}

function binaryCase(op: 'add' | 'sub' | 'mul' | 'div' | 'pow'): Case {
  const fn = { add, sub, mul, div, pow }[op];
  return {
    op,
    make(rng) {
      const full = randomShape(rng, 1 + rng.int(3));
      const [sa, sb] = rng.uniform() < 0.5 ? [full, broadcastable(full, rng)] : [broadcastable(full, rng), full];
      const a = op === 'pow' ? rand(sa, { rng, low: 0.5, high: 2 }) : randn(sa, { rng });
      const b = op === 'div' ? awayFromZero(sb, rng) : randn(sb, { rng });
      return { f: (x, y) => project(fn(x!, y!), 5), params: [a, b] };
    },
  };
}

function unaryCase(op: OpName, fn: (x: Var) => Var, domain: 'any' | 'positive' | 'nonzero'): Case {
  return {
    op,
    make(rng) {
      const shape = randomShape(rng, rng.int(4));
      const a = domain === 'positive' ? rand(shape, { rng, low: 0.3, high: 2 }) : domain === 'nonzero' ? awayFromZero(shape, rng) : randn(shape, { rng });
      const w = randn(shape, { rng });
      return { f: (x) => sum(mul(fn(x!), w)), params: [a] };
    },
  };
}

/** A random axis subset (undefined = all) of an ndim-axis tensor. */
function randomAxes(rng: Random, ndim: number): number | number[] | undefined {
  const r = rng.uniform();
  if (r < 0.25) return undefined;
  if (r < 0.6) return rng.int(ndim) - (rng.uniform() < 0.5 ? ndim : 0);
  return [...Array(ndim).keys()].filter(() => rng.uniform() < 0.5);
}

const CASES: Case[] = [
  binaryCase('add'),
  binaryCase('sub'),
  binaryCase('mul'),
  binaryCase('div'),
  binaryCase('pow'),
  { op: 'addScalar', make: (rng) => ({ f: (x) => project(sub(add(x!, 1.5), 0.25), 5), params: [randn(randomShape(rng, 2), { rng })] }) },
  { op: 'addScalar', make: (rng) => ({ f: (x) => project(sub(2, x!), 5), params: [randn(randomShape(rng, 2), { rng })] }) },
  { op: 'scale', make: (rng) => ({ f: (x) => project(div(mul(-1.7, x!), 3), 5), params: [randn(randomShape(rng, 2), { rng })] }) },
  { op: 'powScalar', make: (rng) => ({ f: (x) => project(pow(x!, 2.3), 5), params: [rand(randomShape(rng, 2), { rng, low: 0.3, high: 2 })] }) },
  unaryCase('neg', neg, 'any'),
  unaryCase('exp', exp, 'any'),
  unaryCase('log', log, 'positive'),
  unaryCase('sqrt', sqrt, 'positive'),
  unaryCase('square', square, 'any'),
  unaryCase('abs', abs, 'nonzero'),
  unaryCase('tanh', tanh, 'any'),
  unaryCase('sigmoid', sigmoid, 'any'),
  unaryCase('relu', relu, 'nonzero'),
  ...(['sum', 'mean', 'max', 'min'] as const).map((op): Case => ({
    op,
    make(rng) {
      const shape = randomShape(rng, 1 + rng.int(3));
      const axes = randomAxes(rng, shape.length);
      const keep = rng.uniform() < 0.5;
      const fn = { sum, mean, max, min }[op];
      return { f: (x) => project(fn(x!, axes, keep), 5), params: [randn(shape, { rng })] };
    },
  })),
  ...(['logSumExp', 'logSoftmax', 'softmax'] as const).map((op): Case => ({
    op,
    make(rng) {
      const shape = randomShape(rng, 1 + rng.int(3));
      const axis = rng.int(shape.length);
      const a = randn(shape, { rng, scale: 3 });
      const keep = rng.uniform() < 0.5;
      const f = op === 'logSumExp' ? (x: Var) => project(logSumExp(x, axis, keep), 3) : (x: Var) => project((op === 'softmax' ? softmax : logSoftmax)(x, axis), 5);
      return { f, params: [a] };
    },
  })),
  { op: 'norm', make: (rng) => ({ f: (x) => mul(norm(x!), 1.3), params: [randn(randomShape(rng, 1 + rng.int(3)), { rng })] }) },
  {
    op: 'reshape',
    make(rng) {
      const shape = randomShape(rng, 3);
      return { f: (x) => project(reshape(x!, [shape[0]!, -1]), 5), params: [randn(shape, { rng })] };
    },
  },
  {
    op: 'permute',
    make(rng) {
      const shape = randomShape(rng, 1 + rng.int(4));
      const perm = rng.shuffle([...shape.keys()]);
      return { f: (x) => project(permute(x!, perm), 5), params: [randn(shape, { rng })] };
    },
  },
  {
    op: 'slice',
    make(rng) {
      const shape = randomShape(rng, 1 + rng.int(3), 2, 5);
      const specs = shape.map((d) => {
        const r = rng.uniform();
        if (r < 0.25) return rng.int(d) - (rng.uniform() < 0.5 ? d : 0);
        if (r < 0.4) return null;
        const step = (1 + rng.int(2)) * (rng.uniform() < 0.3 ? -1 : 1);
        return step > 0 ? ([rng.int(d), d, step] as const) : ([d - 1 - rng.int(d), null, step] as const);
      });
      return { f: (x) => project(slice(x!, ...specs), 5), params: [randn(shape, { rng })] };
    },
  },
  {
    op: 'concat',
    make(rng) {
      const shape = randomShape(rng, 1 + rng.int(3));
      const axis = rng.int(shape.length);
      const parts = [0, 1, 2].map(() => randn(shape.map((d, i) => (i === axis ? 1 + rng.int(3) : d)), { rng }));
      return { f: (a, b, c) => project(concat([a!, b!, c!], axis), 5), params: parts };
    },
  },
  {
    op: 'concat',
    make(rng) {
      const shape = randomShape(rng, 1 + rng.int(2));
      const axis = rng.int(shape.length + 1);
      return { f: (a, b) => project(stack([a!, b!, a!], axis), 5), params: [randn(shape, { rng }), randn(shape, { rng })] };
    },
  },
  {
    op: 'broadcastTo',
    make(rng) {
      const full = randomShape(rng, 1 + rng.int(3));
      return { f: (x) => project(broadcastTo(x!, full), 5), params: [randn(broadcastable(full, rng), { rng })] };
    },
  },
  {
    op: 'take',
    make(rng) {
      const shape = randomShape(rng, 1 + rng.int(3), 2, 4);
      const axis = rng.int(shape.length);
      const d = shape[axis]!;
      const idx = Array.from({ length: 1 + rng.int(5) }, () => rng.int(2 * d) - d);
      return { f: (x) => project(take(x!, idx, axis), 5), params: [randn(shape, { rng })] };
    },
  },
  {
    op: 'pick',
    make(rng) {
      const shape = randomShape(rng, 1 + rng.int(3), 2, 4);
      const axis = rng.int(shape.length);
      const n = shape.reduce((p, d) => p * d, 1) / shape[axis]!;
      const idx = Array.from({ length: n }, () => rng.int(shape[axis]!));
      return { f: (x) => project(pick(x!, idx, axis), 5), params: [randn(shape, { rng })] };
    },
  },
  ...[
    'ij,jk->ik', 'ij,jk', 'ii->', 'ii->i', 'iij->j', 'ij,ij->', 'i,j->ij', 'ijk->kji', 'ij->', 'bij,bjk->bik',
    '...ij,...jk->...ik', 'i...,i...->...', 'ab,bc,cd->ad', 'ab,bc,ca->', 'abc,cd,de,eb->ad', 'ij,j,k->ik',
  ].map((spec): Case => ({
    op: 'einsum',
    make(rng) {
      const sizes = new Map<string, number>();
      const dims = (term: string): number[] =>
        [...term].flatMap((c) => {
          if (c === '.') return [];
          if (!sizes.has(c)) sizes.set(c, 1 + rng.int(4));
          return [sizes.get(c)!];
        });
      const terms = spec.split('->')[0]!.split(',');
      // Ellipsis terms get one or two broadcast axes, sometimes of size 1 (broadcasting).
      const ell = randomShape(rng, 1 + rng.int(2), 2, 3);
      const shapes = terms.map((t) => {
        if (!t.includes('...')) return dims(t);
        const [before, after] = t.split('...');
        return [...dims(before!), ...ell.map((d) => (rng.uniform() < 0.3 ? 1 : d)), ...dims(after!)];
      });
      return { f: (...xs) => project(einsum(spec, ...xs), 5), params: shapes.map((s) => randn(s, { rng })) };
    },
  })),
  {
    op: 'einsum',
    make(rng) {
      // One variable used as two operands, and a constant tensor operand.
      const a = randn([3, 3], { rng });
      const c = randn([3], { rng });
      return { f: (x) => project(einsum('ij,jk,k->i', x!, x!, c), 5), params: [a] };
    },
  },
  {
    op: 'svd',
    make(rng) {
      const [m, n] = randomShape(rng, 2, 2, 5);
      return {
        f: (x) => {
          const { U, S, Vt } = svd(x!);
          return add(add(project(U, 5), project(S, 5)), project(Vt, 5));
        },
        params: [randn([m!, n!], { rng })],
      };
    },
  },
  {
    op: 'svd',
    make(rng) {
      // Only singular values and U used (the others get no upstream gradient).
      const [m, n] = randomShape(rng, 2, 2, 5);
      return { f: (x) => { const { U, S } = svd(x!); return add(sum(S), project(U, 14)); }, params: [randn([m!, n!], { rng })] };
    },
  },
  {
    op: 'qr',
    make(rng) {
      const n = 1 + rng.int(4);
      const m = n + rng.int(3);
      return {
        f: (x) => {
          const { Q, R } = qr(x!);
          return add(project(Q, 15), project(R, 16));
        },
        params: [randn([m, n], { rng })],
      };
    },
  },
];

describe('gradient checks against central finite differences (f64)', () => {
  it('covers every differentiable op', () => {
    const covered = new Set(CASES.map((c) => c.op));
    expect(differentiableOps().filter((op) => !covered.has(op))).toEqual([]);
  });

  CASES.forEach((c, k) => {
    it(`${c.op} (case ${k})`, () => {
      for (let trial = 0; trial < TRIALS; trial++) {
        const rng = new Random(1000 * k + trial);
        const { f, params } = c.make(rng);
        const { relativeError } = checkGradient(f, params);
        expect(relativeError, `trial ${trial}, shapes ${params.map((p) => `[${p.shape.join(',')}]`).join(' ')}`).toBeLessThan(TOL);
      }
    });
  });
});
