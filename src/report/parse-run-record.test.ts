import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anomalyRecord, decomposeRecord, trainRecord } from '../../test/helpers/report-records.js';
import { parseRunRecord, RunRecordError } from './parse-run-record.js';
import type { RunRecord } from './run-record.js';

/** Parsed JSON, edited freely by the cases below. */
// biome-ignore lint/suspicious/noExplicitAny: the cases reach into parsed JSON at any depth and edit it
type Json = Record<string, any>;

/** A deep copy with `edit` applied to it. */
function edited(record: RunRecord, edit: (r: Json) => void): unknown {
  const copy = JSON.parse(JSON.stringify(record));
  edit(copy);
  return copy;
}

describe('parseRunRecord', () => {
  it('accepts real records after a JSON round trip, unchanged', () => {
    for (const r of [trainRecord(), anomalyRecord(), decomposeRecord()]) {
      expect(parseRunRecord(JSON.parse(JSON.stringify(r)))).toEqual(JSON.parse(JSON.stringify(r)));
    }
    const demo: RunRecord = { version: 1, kind: 'demo', title: 'd', summary: {}, sections: [trainRecord(), anomalyRecord()] };
    expect(parseRunRecord(JSON.parse(JSON.stringify(demo))).sections).toHaveLength(2);
  });

  it('accepts every well-formed record and gives it back unchanged (property)', () => {
    const num = fc.double({ noNaN: true, noDefaultInfinity: true });
    const network = fc.integer({ min: 1, max: 5 }).chain((n) => fc.record({
      label: fc.string(),
      dims: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: n, maxLength: n }),
      ranks: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n * n, maxLength: n * n })
        .map((flat) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => flat[Math.min(i, j) * n + Math.max(i, j)]!))),
    }));
    const record = fc.record({
      version: fc.constant(1 as const),
      kind: fc.constantFrom('train', 'anomaly', 'search', 'complete', 'decompose', 'demo') as fc.Arbitrary<RunRecord['kind']>,
      title: fc.string(),
      summary: fc.dictionary(fc.string(), fc.oneof(num, fc.string(), fc.boolean())),
      history: fc.array(fc.record({ epoch: fc.nat(), loss: num, val_accuracy: num })),
      networks: fc.array(network, { maxLength: 3 }),
      methods: fc.array(fc.record({ method: fc.string(), points: fc.array(fc.record({ seconds: num, cr: num, rse: num, params: num })) }), { maxLength: 3 }),
      spectra: fc.array(fc.record({ label: fc.string(), bonds: fc.array(fc.record({ edge: fc.tuple(fc.nat(), fc.nat()), values: fc.array(num) })) }), { maxLength: 2 }),
      images: fc.array(fc.record({ label: fc.string(), items: fc.array(fc.record({ caption: fc.string(), png: fc.base64String() })) }), { maxLength: 2 }),
    }, { requiredKeys: ['version', 'kind', 'title', 'summary'] });
    fc.assert(fc.property(record, (r) => {
      const json = JSON.parse(JSON.stringify(r));
      expect(JSON.stringify(parseRunRecord(json))).toBe(JSON.stringify(json));
    }), { numRuns: 200 });
  });

  it('reads null (how JSON writes NaN) in a figure as NaN', () => {
    const r = parseRunRecord(edited(trainRecord(), (c) => (c.history[0].val_loss = null)));
    expect(r.history![0]!['val_loss']).toBeNaN();
  });

  const cases: [string, (r: Json) => void, string][] = [
    ['missing version', (r) => delete r.version, 'version: expected an integer, got undefined'],
    ['newer version', (r) => (r.version = 2), 'version: 2 is newer than this tnkit reads (1)'],
    ['unknown kind', (r) => (r.kind = 'dance'), "kind: 'dance' is not one of train, anomaly, search, complete, decompose, demo"],
    ['title not a string', (r) => (r.title = 3), 'title: expected a string, got number 3'],
    ['summary an array', (r) => (r.summary = []), 'summary: expected an object, got an array'],
    ['history epoch fractional', (r) => (r.history[1].epoch = 1.5), 'history[1].epoch: expected an integer ≥ 0, got number 1.5'],
    ['history figure a string', (r) => (r.history[0].loss = '0.3'), 'history[0].loss: expected a number, got the string "0.3"'],
  ];
  for (const [name, edit, message] of cases) {
    it(`names the field: ${name}`, () => {
      expect(() => parseRunRecord(edited(trainRecord(), edit))).toThrow(message);
    });
  }

  it('names fields deep inside parts and sections', () => {
    const bad = (edit: (r: Json) => void): unknown => edited(decomposeRecord(), edit);
    expect(() => parseRunRecord(bad((r) => (r.networks[1].ranks[2] = [1, 2])))).toThrow('networks[1].ranks[2]: expected 9 entries (one per core), got 2');
    expect(() => parseRunRecord(bad((r) => (r.networks[0].dims[3] = 0)))).toThrow('networks[0].dims[3]: expected an integer ≥ 1, got number 0');
    expect(() => parseRunRecord(bad((r) => (r.methods[0].points[2].cr = 'x')))).toThrow('methods[0].points[2].cr: expected a number');
    expect(() => parseRunRecord(bad((r) => (r.spectra[0].bonds[0].edge = [0])))).toThrow('spectra[0].bonds[0].edge: expected two core indices, got 1');
    expect(() => parseRunRecord(bad((r) => (r.images[0].items[1].png = 'not base64!')))).toThrow('images[0].items[1].png: expected base64 PNG bytes');
    const roc = edited(anomalyRecord(), (r) => r.roc.tpr.pop());
    expect(() => parseRunRecord(roc)).toThrow(/^roc\.tpr: expected \d+ entries \(as many as fpr\)/);
    const demo = { version: 1, kind: 'demo', title: 'd', summary: {}, sections: [trainRecord(), { ...anomalyRecord(), scores: { normal: [1], anomalous: 'x' } }] };
    expect(() => parseRunRecord(JSON.parse(JSON.stringify(demo)))).toThrow('sections[1].scores.anomalous: expected an array, got the string "x"');
    let err: unknown;
    try {
      parseRunRecord(null);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RunRecordError);
    expect((err as RunRecordError).field).toBe('record');
  });
});
