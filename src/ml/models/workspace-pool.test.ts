import { describe, expect, it } from 'vitest';
import { customOp, sum, valueAndGrad } from '../../autodiff/index.js';
import { Random } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { pooledOp, WorkspacePool } from './workspace-pool.js';

interface Workspace {
  readonly shape: number;
  readonly serial: number;
}

/** A pool of numbered workspaces whose shape is a small integer, counting what it creates. */
function countingPool(maxShapes: number, perShape: number): { pool: WorkspacePool<number, Workspace>; created: () => number } {
  let serial = 0;
  const pool = new WorkspacePool<number, Workspace>((shape) => ({ shape, serial: serial++ }), (shape) => `s${shape}`, maxShapes, perShape);
  return { pool, created: () => serial };
}

describe('WorkspacePool', () => {
  it('follows the documented policy on random take/give sequences', () => {
    for (let trial = 0; trial < 40; trial++) {
      const rng = new Random(500 + trial);
      const maxShapes = 1 + rng.int(4);
      const perShape = 1 + rng.int(3);
      const { pool, created } = countingPool(maxShapes, perShape);
      // The reference: idle lists by shape in insertion order, as the pool documents.
      const idle = new Map<number, Workspace[]>();
      const lent: Workspace[] = [];
      for (let step = 0; step < 200; step++) {
        if (lent.length === 0 || rng.uniform() < 0.55) {
          const shape = rng.int(maxShapes + 2);
          const before = created();
          const ws = pool.take(shape);
          expect(ws.shape).toBe(shape);
          const list = idle.get(shape);
          const expected = list?.pop();
          if (expected === undefined) {
            expect(created()).toBe(before + 1);
          } else {
            expect(ws).toBe(expected);
            if (list!.length === 0) idle.delete(shape);
          }
          lent.push(ws);
        } else {
          const [ws] = lent.splice(rng.int(lent.length), 1);
          pool.give(ws!);
          let list = idle.get(ws!.shape);
          if (list === undefined) {
            if (idle.size >= maxShapes) idle.delete(idle.keys().next().value!);
            list = [];
            idle.set(ws!.shape, list);
          }
          list.push(ws!);
          if (list.length > perShape) list.shift();
        }
        expect(idle.size).toBeLessThanOrEqual(maxShapes);
      }
    }
  });

  it('never hands out a workspace that is still lent', () => {
    const rng = new Random(7);
    const { pool } = countingPool(2, 2);
    const lent = new Set<Workspace>();
    for (let step = 0; step < 500; step++) {
      if (lent.size === 0 || rng.uniform() < 0.5) {
        const ws = pool.take(rng.int(3));
        expect(lent.has(ws)).toBe(false);
        lent.add(ws);
      } else {
        const ws = [...lent][rng.int(lent.size)]!;
        lent.delete(ws);
        pool.give(ws);
      }
    }
  });
});

describe('pooledOp', () => {
  const x = new Tensor(new Float64Array([1, -2, 3]), [3]);

  /** y = 2·x, computed "in" a workspace; the VJP is 2·g. */
  function doubling(pool: WorkspacePool<number, Workspace>, seen: Workspace[]) {
    return pooledOp(pool, 3, {
      name: 'doubling',
      forward(ws, inputs) {
        seen.push(ws);
        const data = Float64Array.from(inputs[0]!.contiguous().data, (v) => 2 * v);
        return { value: new Tensor(data, [3]), saved: ws.serial };
      },
      vjp(ws, g, serial) {
        expect(ws.serial).toBe(serial);
        return [new Tensor(Float64Array.from(g.contiguous().data, (v) => 2 * v), [3])];
      },
    });
  }

  it('gives the workspace back after the VJP, so the next call reuses it', () => {
    const { pool, created } = countingPool(4, 1);
    const seen: Workspace[] = [];
    for (let k = 0; k < 3; k++) {
      const { value, grads } = valueAndGrad((v) => sum(customOp(doubling(pool, seen), [v])), [x]);
      expect(value).toBe(4);
      expect(Array.from(grads[0]!.toTypedArray())).toEqual([2, 2, 2]);
    }
    expect(created()).toBe(1);
    expect(seen.every((ws) => ws === seen[0])).toBe(true);
  });

  it('gives the workspace back when nothing needs a gradient (discard)', () => {
    const { pool, created } = countingPool(4, 1);
    const seen: Workspace[] = [];
    for (let k = 0; k < 3; k++) expect(Array.from(customOp(doubling(pool, seen), [x]).value.toTypedArray())).toEqual([2, -4, 6]);
    expect(created()).toBe(1);
  });
});
