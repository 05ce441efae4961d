import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inputDifferences, parseCheckpointInputs, sha256Hex, type InputValue } from './checkpoint-inputs.js';

const value = fc.oneof(fc.string(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null)) as fc.Arbitrary<InputValue>;
const settings = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }).filter((k) => k !== '__proto__'), value);

describe('checkpoint inputs', () => {
  it('inputDifferences lists exactly the keys both sides have with other values, then the data', () => {
    fc.assert(fc.property(settings, settings, (a, b) => {
      const diff = inputDifferences({ settings: a }, { settings: { ...a, ...b } });
      const expected = Object.keys(a).filter((k) => Object.hasOwn(b, k) && a[k] !== b[k]);
      expect(diff.map((d) => d.key)).toEqual(expected);
      for (const d of diff) expect([d.checkpoint, d.run]).toEqual([a[d.key], b[d.key]]);
      expect(inputDifferences({ settings: a }, { settings: a })).toEqual([]);
    }));
    const h = (c: string): string => c.repeat(64);
    expect(inputDifferences({ settings: {}, dataSha256: h('a') }, { settings: {}, dataSha256: h('b') })).toEqual([{ key: 'data', checkpoint: h('a'), run: h('b') }]);
    // A side without a hash (an older file, or no crypto) is not a difference.
    expect(inputDifferences({ settings: {} }, { settings: {}, dataSha256: h('b') })).toEqual([]);
  });

  it('sha256Hex is SHA-256 of the length-prefixed parts, so moving bytes between parts changes it', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(64), (bytes, cut) => {
      const k = Math.min(cut, bytes.length);
      const parts = [bytes.subarray(0, k), bytes.subarray(k)];
      const reference = createHash('sha256').update(`${k}:`).update(parts[0]!).update(`${bytes.length - k}:`).update(parts[1]!).digest('hex');
      expect(sha256Hex(parts)).toBe(reference);
      if (k > 0) expect(sha256Hex([bytes.subarray(0, k - 1), bytes.subarray(k - 1)])).not.toBe(reference);
    }));
    // Views hash their own bytes, not the whole buffer.
    const whole = new Float64Array([1, 2, 3, 4]);
    expect(sha256Hex([whole.subarray(1, 3)])).toBe(sha256Hex([new Float64Array([2, 3])]));
  });

  it('parseCheckpointInputs round-trips JSON and names a bad field', () => {
    fc.assert(fc.property(settings, (s) => {
      const json = JSON.parse(JSON.stringify({ settings: s, dataSha256: 'f'.repeat(64) })) as unknown;
      expect(parseCheckpointInputs(json)).toEqual(json);
    }));
    expect(() => parseCheckpointInputs(null)).toThrow('inputs: expected an object');
    expect(() => parseCheckpointInputs({ settings: [] })).toThrow('inputs.settings: expected an object');
    expect(() => parseCheckpointInputs({ settings: { bondDim: [3] } })).toThrow('inputs.settings.bondDim: expected a string, number, boolean or null, got [3]');
    expect(() => parseCheckpointInputs({ settings: {}, dataSha256: 'xyz' })).toThrow('inputs.dataSha256: expected 64 hex digits, got "xyz"');
  });
});
