import fc from 'fast-check';
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

describe('parseCsv labels', () => {
  it('maps string labels to classes numbered in sorted order, and returns the names', () => {
    // Names: letters and spaces (no commas or quotes, which CSV would need quoted), never a number.
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z _-]{0,6}$/).map((s) => s.trim()).filter((s) => s !== '' && !Number.isFinite(Number(s)));
    fc.assert(fc.property(fc.array(name, { minLength: 1, maxLength: 30 }), (labels) => {
      const text = `x,species\n${labels.map((l, i) => `${i},${l}`).join('\n')}\n`;
      const t = parseCsv(text, { target: 'species' });
      const sorted = [...new Set(labels)].sort();
      expect(t.classNames).toEqual(sorted);
      expect(Array.from(t.y)).toEqual(labels.map((l) => sorted.indexOf(l)));
      expect(Array.from(t.X.toTypedArray())).toEqual(labels.map((_, i) => i));
    }));
    const t = parseCsv('a,d\n1,M\n2,B\n3,"M"\n', { target: 'd' });
    expect(t.classNames).toEqual(['B', 'M']);
    expect(Array.from(t.y)).toEqual([1, 0, 1]);
  });

  it('keeps numeric labels as they are (no class names), and maps labels through a given list', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 30 }), (labels) => {
      const t = parseCsv(`x,y\n${labels.map((l) => `0,${l}`).join('\n')}\n`, { target: 'y' });
      expect(Array.from(t.y)).toEqual(labels);
      expect(t.classNames).toBeUndefined();
    }));
    const t = parseCsv('a,d\n1,M\n2,M\n', { target: 'd', labels: ['B', 'M'] });
    expect(Array.from(t.y)).toEqual([1, 1]);
    expect(t.classNames).toEqual(['B', 'M']);
    expect(() => parseCsv('a,d\n1,M\n2,X\n', { target: 'd', labels: ['B', 'M'], source: 'p.csv' })).toThrow('p.csv:3:3 (target column "d"): label "X" is not one of the model\'s classes ("B", "M")');
  });

  it('refuses labels mixing numbers and names, empty labels, and names where numbers are required', () => {
    expect(() => parseCsv('a,d\n1,M\n2,3\n', { target: 'd', source: 'm.csv' })).toThrow(/m\.csv:3:3 \(target column "d"\): label 3 is a number, but m\.csv:2:3 has the label "M": the labels must be all numbers or all names/);
    expect(() => parseCsv('a,d\n1,M\n2,\n', { target: 'd', source: 'm.csv' })).toThrow('m.csv:3:3 (target column "d"): the label is empty');
    expect(() => parseCsv('a,d\n1,M\n', { target: 'd', source: 'm.csv', labels: 'numeric' })).toThrow('m.csv:2:3 (target column "d"): cannot parse "M" as a number');
  });
});
