import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rocAuc } from './roc-auc.js';
import { rocCurve } from './roc-curve.js';

/** Area under a polyline by the trapezoid rule. */
function trapezoid(x: number[], y: number[]): number {
  let a = 0;
  for (let i = 1; i < x.length; i++) a += ((x[i]! - x[i - 1]!) * (y[i]! + y[i - 1]!)) / 2;
  return a;
}

describe('rocCurve', () => {
  it('runs from (0, 0) to (1, 1), monotone, with a trapezoid area equal to the exact AUC (ties included)', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 5 })), { minLength: 2, maxLength: 60 })
        .filter((rows) => rows.some(([y]) => y === 1) && rows.some(([y]) => y === 0)),
      (rows) => {
        const y = rows.map(([l]) => l);
        const s = rows.map(([, v]) => v);
        const { fpr, tpr, auc } = rocCurve(y, s);
        expect(fpr[0]).toBe(0);
        expect(tpr[0]).toBe(0);
        expect(fpr[fpr.length - 1]).toBe(1);
        expect(tpr[tpr.length - 1]).toBe(1);
        for (let i = 1; i < fpr.length; i++) {
          expect(fpr[i]!).toBeGreaterThanOrEqual(fpr[i - 1]!);
          expect(tpr[i]!).toBeGreaterThanOrEqual(tpr[i - 1]!);
        }
        expect(auc).toBe(rocAuc(y, s));
        expect(trapezoid(fpr, tpr)).toBeCloseTo(auc, 12);
      },
    ));
  });

  it('thins to maxPoints keeping both ends', () => {
    const y = Array.from({ length: 500 }, (_, i) => i % 2);
    const s = Array.from({ length: 500 }, (_, i) => i + (i % 2) * 3);
    const full = rocCurve(y, s);
    const thin = rocCurve(y, s, { maxPoints: 50 });
    expect(full.fpr.length).toBeGreaterThan(50);
    expect(thin.fpr.length).toBe(50);
    expect(thin.fpr[0]).toBe(0);
    expect(thin.tpr[49]).toBe(1);
    expect(thin.auc).toBe(full.auc);
    expect(() => rocCurve(y, s, { maxPoints: 1 })).toThrow(/maxPoints/);
  });
});
