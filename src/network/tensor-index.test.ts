import { describe, expect, it } from 'vitest';
import { commonIndices, Index, uniqueIndices } from './tensor-index.js';

describe('Index', () => {
  it('fresh indices never match; copies do', () => {
    const made = Array.from({ length: 200 }, () => new Index(3, ['a']));
    expect(new Set(made.map((i) => i.key)).size).toBe(200);
    for (const i of made.slice(0, 10)) {
      const copy = Index.fromSpec(JSON.parse(JSON.stringify(i.toSpec())));
      expect(copy.equals(i)).toBe(true);
      expect(copy.key).toBe(i.key);
    }
  });

  it('prime and noprime separate and restore; sim keeps dim and tags with a new id', () => {
    const i = new Index(4, 'site,I3');
    expect(i.tags).toEqual(['I3', 'site']);
    const p = i.prime();
    expect(p.equals(i)).toBe(false);
    expect(p.sameSpace(i)).toBe(true);
    expect(p.plev).toBe(1);
    expect(i.prime(2).noprime().equals(i)).toBe(true);
    const s = i.sim();
    expect(s.equals(i)).toBe(false);
    expect([s.dim, s.tags, s.plev]).toEqual([i.dim, i.tags, i.plev]);
    expect(i.withTags(['other']).equals(i)).toBe(false);
  });

  it('set helpers match by key', () => {
    const [a, b, c] = [new Index(2), new Index(3), new Index(4)];
    expect(commonIndices([a, b, c], [c.withDim(4), b.prime(), a])).toEqual([a, c]);
    expect(uniqueIndices([a, b, c], [b])).toEqual([a, c]);
  });

  it('rejects bad dims, prime levels, ids and tags by name', () => {
    expect(() => new Index(0)).toThrow(/dim must be a positive integer/);
    expect(() => new Index(2.5)).toThrow(/dim/);
    expect(() => new Index(2, [], { plev: -1 })).toThrow(/plev/);
    expect(() => new Index(2, [], { id: 'xyz' })).toThrow(/id must be 16/);
    expect(() => new Index(2, ['has space'])).toThrow(/tag/);
  });
});
