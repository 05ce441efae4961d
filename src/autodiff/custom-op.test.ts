import { describe, expect, it } from 'vitest';
import { randn } from '../tensor/create.js';
import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { customOp, type CustomOp } from './custom-op.js';
import { checkGradient } from './gradcheck.js';
import { valueAndGrad } from './grad.js';
import { add, mul } from './ops/elementwise.js';
import { NonFiniteError } from './tape.js';
import { project, randomShape } from '../../test/helpers/autodiff.js';
import type { Var } from './variable.js';

/** f(a, b) = a³ · b elementwise (same shapes), with its VJP written out; counts discards. */
function cubeTimes(log: { discarded: number; returned: Tensor[] }): CustomOp<{ a: Tensor; b: Tensor }> {
  return {
    name: 'cubeTimes',
    forward([a, b]) {
      const x = a!.toTypedArray();
      const y = b!.toTypedArray();
      const out = new Float64Array(x.length);
      for (let i = 0; i < x.length; i++) out[i] = x[i]! ** 3 * y[i]!;
      return { value: new Tensor(out, a!.shape), saved: { a: a!, b: b! } };
    },
    vjp(g, { a, b }, needs) {
      const gd = g.toTypedArray();
      const x = a.toTypedArray();
      const y = b.toTypedArray();
      const da = needs[0] ? new Tensor(Float64Array.from(x, (v, i) => 3 * v * v * y[i]! * gd[i]!), a.shape) : null;
      const db = needs[1] ? new Tensor(Float64Array.from(x, (v, i) => v ** 3 * gd[i]!), b.shape) : null;
      for (const t of [da, db]) if (t) log.returned.push(t);
      return [da, db];
    },
    discard() {
      log.discarded++;
    },
  };
}

describe('customOp', () => {
  it('its hand-written VJP is what valueAndGrad returns, and matches finite differences, also when the op is used twice', () => {
    for (let seed = 0; seed < 6; seed++) {
      const rng = new Random(seed);
      const shape = randomShape(rng, 1 + rng.int(3));
      const a = randn(shape, { rng });
      const b = randn(shape, { rng });
      const log = { discarded: 0, returned: [] as Tensor[] };
      const op = cubeTimes(log);
      const once = (x: Var, y: Var) => project(customOp(op, [x, y]), seed);
      expect(checkGradient(once, [a, b]).relativeError).toBeLessThan(1e-7);
      // Fresh gradients are handed out as they are, without a copy.
      log.returned.length = 0;
      const { grads } = valueAndGrad(once, [a, b]);
      expect(grads[0]).toBe(log.returned[0]);
      expect(grads[1]).toBe(log.returned[1]);
      // Used twice (and mixed with generic ops), the gradients accumulate.
      const twice = (x: Var, y: Var) => project(add(customOp(op, [x, y]), mul(customOp(op, [y, x]), 2)), seed + 1);
      expect(checkGradient(twice, [a, b]).relativeError).toBeLessThan(1e-7);
    }
  });

  it('with constant inputs only it records nothing and calls discard; constant inputs get no VJP work', () => {
    const a = randn([3], { seed: 1 });
    const b = randn([3], { seed: 2 });
    const log = { discarded: 0, returned: [] as Tensor[] };
    const out = customOp(cubeTimes(log), [a, b]);
    expect(out.requiresGrad).toBe(false);
    expect(log.discarded).toBe(1);
    const { grads } = valueAndGrad((x) => project(customOp(cubeTimes(log), [x, b]), 3), [a]);
    expect(log.returned.length).toBe(1);
    expect(grads[0]!.shape).toEqual([3]);
  });

  it('checkFinite names the custom op', () => {
    const a = new Tensor(Float64Array.of(1e200, 1), [2]);
    const b = new Tensor(Float64Array.of(1, 1), [2]);
    const log = { discarded: 0, returned: [] as Tensor[] };
    try {
      valueAndGrad((x) => project(customOp(cubeTimes(log), [x, b]), 0), [a], { checkFinite: true });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(NonFiniteError);
      expect((e as NonFiniteError).op).toBe('custom:cubeTimes');
    }
  });
});

/** f(a) = 3a, whose VJP writes into the lent buffer when there is one. */
const tripleInto: CustomOp<null> = {
  name: 'tripleInto',
  forward([a]) {
    return { value: new Tensor(Float64Array.from(a!.toTypedArray(), (v) => 3 * v), a!.shape), saved: null };
  },
  vjp(g, _saved, _needs, into) {
    const out = into?.[0] ?? new Tensor(new Float64Array(g.size), g.shape);
    const gd = g.toTypedArray();
    for (let i = 0; i < gd.length; i++) out.data[i] = 3 * gd[i]!;
    return [out];
  },
};

describe('gradient buffers', () => {
  it('are written by ops that take them and returned as the gradients, with the same numbers as fresh allocation', () => {
    for (let seed = 0; seed < 5; seed++) {
      const rng = new Random(40 + seed);
      const shape = randomShape(rng, 1 + rng.int(3));
      const a = randn(shape, { rng });
      const b = randn(shape, { rng });
      // a feeds a generic op and then the custom op twice (the reverse pass reaches the custom
      // ops first, so the buffer is lent and the other contributions are added into it); b only generic ops.
      const f = (x: Var, y: Var): Var => project(add(mul(x, y), add(customOp(tripleInto, [x]), mul(customOp(tripleInto, [x]), y))), seed);
      const plain = valueAndGrad(f, [a, b]);
      const buffers = [a, b].map((t) => new Tensor(new Float64Array(t.size).fill(Number.NaN), t.shape));
      const lent = valueAndGrad(f, [a, b], { gradientBuffers: buffers });
      expect(lent.grads[0]).toBe(buffers[0]);
      lent.grads.forEach((g, k) => expect(Array.from(g.toTypedArray())).toEqual(Array.from(plain.grads[k]!.toTypedArray())));
      expect(checkGradient(f, [a, b]).relativeError).toBeLessThan(1e-7);
    }
  });

  it('are checked against the parameters, naming the problem', () => {
    const a = randn([2, 3], { seed: 1 });
    const f = (x: Var): Var => project(customOp(tripleInto, [x]), 0);
    expect(() => valueAndGrad(f, [a], { gradientBuffers: [randn([3, 2], { seed: 2 })] })).toThrow(/gradient buffer 0 must be a f64 tensor of shape \[2, 3\]/);
    expect(() => valueAndGrad(f, [a], { gradientBuffers: [a.reshape(2, 3)] })).toThrow(/shares memory with a parameter/);
    expect(() => valueAndGrad(f, [a], { gradientBuffers: [randn([2, 6], { seed: 3 }).slice([0, 2], [0, 3])] })).toThrow(/is a view/);
    const buf = randn([2, 3], { seed: 4 });
    expect(() => valueAndGrad((x: Var, y: Var) => project(add(x, y), 0), [a, a.copy()], { gradientBuffers: [buf, buf] })).toThrow(/shares memory with another gradient buffer/);
    expect(() => valueAndGrad(f, [a], { gradientBuffers: [] })).toThrow(/0 gradient buffers for 1 parameters/);
  });
});
