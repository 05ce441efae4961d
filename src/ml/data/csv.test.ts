import { describe, expect, it } from 'vitest';
import { parseCsv, parseCsvFeatures } from './csv.js';

describe('parseCsv', () => {
  it('splits features and integer labels, with quoted header cells', () => {
    const t = parseCsv('"a, b",c,target\n1,2.5,0\n\n-3e2,4,2\n', { source: 'x.csv' });
    expect(t.featureNames).toEqual(['a, b', 'c']);
    expect(t.targetName).toBe('target');
    expect(t.X.shape).toEqual([2, 2]);
    expect(t.X.toArray()).toEqual([[1, 2.5], [-300, 4]]);
    expect(Array.from(t.y)).toEqual([0, 2]);
  });

  it('takes the target by name or index', () => {
    const t = parseCsv('y,a,b\n1,2,3\n', { target: 0 });
    expect(t.featureNames).toEqual(['a', 'b']);
    expect(Array.from(t.y)).toEqual([1]);
    expect(parseCsv('a,lab\n5,1\n', { target: 'lab', dtype: 'f32' }).X.dtype).toBe('f32');
  });

  it('names the file, line and column of bad cells and a missing target', () => {
    expect(() => parseCsv('a,b,target\n1,2,0\n3,abc,1\n', { source: 'd.csv' })).toThrow('d.csv:3:3 (column "b"): cannot parse "abc" as a number');
    expect(() => parseCsv('a,b,target\n1,,0\n', { source: 'd.csv' })).toThrow('d.csv:2:3 (column "b"): cannot parse an empty cell as a number');
    expect(() => parseCsv('a,b\n1,2\n', { source: 'd.csv' })).toThrow(/d\.csv:1: no target column "target" in the header \(columns: "a", "b"\)/);
    expect(() => parseCsv('a,target\n1,0.5\n', { source: 'd.csv' })).toThrow(/d\.csv:2:3 \(target column "target"\): label 0\.5 is not a 32-bit integer/);
    expect(() => parseCsv('a,target\n1,0,7\n', { source: 'd.csv' })).toThrow(/d\.csv:2: 3 cells, but the header has 2 columns/);
    expect(() => parseCsv('', { source: 'd.csv' })).toThrow(/d\.csv: the file is empty/);
  });
});

describe('parseCsvFeatures', () => {
  it('reads every column as a feature, with the same cell checks', () => {
    const t = parseCsvFeatures('a,target\n1,2.5\n\n3,-4\n', { source: 'x.csv' });
    expect(t.featureNames).toEqual(['a', 'target']);
    expect(t.X.toArray()).toEqual([[1, 2.5], [3, -4]]);
    expect(parseCsvFeatures('a,b\n').X.shape).toEqual([0, 2]);
    expect(() => parseCsvFeatures('a,b\n1\n', { source: 'x.csv' })).toThrow(/x\.csv:2: 1 cells, but the header has 2 columns/);
    expect(() => parseCsvFeatures('a,b\n1,z\n', { source: 'x.csv' })).toThrow(/x\.csv:2:3 \(column "b"\): cannot parse "z"/);
  });
});
