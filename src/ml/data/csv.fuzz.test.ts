import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClearError, FUZZ_SEED, outcome } from '../../../test/helpers/fuzz.js';
import { parseCsv, parseCsvFeatures } from './csv.js';

/*
 * Fuzz: malformed CSVs (ragged rows, non-numeric cells, empty files, header only,
 * NaN/Inf text, huge numbers, quotes) give a table of finite numbers of the right shape
 * or one clear error naming the file (and line), never a crash or a silent NaN.
 */

/** Cases per property (the counts are reported in issue 11's closing note). */
const CSV_RUNS = { tables: 500, text: 300 };

const SOURCE = 'data.csv';

/** Cells: numbers, and the awkward texts CSVs hold. */
const cell = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -5, max: 5 }).map(String) },
  { weight: 2, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map(String) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '', ' ', 'NaN', 'nan', 'Inf', 'inf', '-Infinity', 'Infinity', '1e400', '-1e400', '1e-400', '0x1F', '1_000', '1,5',
      '"1"', '"1,2"', '" 3 "', '"a""b"', '"unterminated', 'x"y', '"q"z', 'abc', 'true', '١٢', '１', '2147483648', '-2147483649',
      '3.0', '1e3', '.5', '5.', '+1', '--1', '\t7\t', '\uFEFF1', 'cat', 'dog',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 5 }) },
);

const table = fc.record({
  header: fc.array(fc.oneof(fc.constantFrom('target', 'a', 'b', 'c', '"target"', 'x,y', ''), fc.string({ maxLength: 4 })), { minLength: 1, maxLength: 5 }),
  rows: fc.array(fc.array(cell, { minLength: 0, maxLength: 6 }), { maxLength: 8 }),
  newline: fc.constantFrom('\n', '\r\n', '\r'),
  bom: fc.boolean(),
  trailing: fc.constantFrom('', '\n', '\n\n', '\n  \n'),
  target: fc.oneof(fc.constantFrom('target', 'a', 'missing', ''), fc.integer({ min: -1, max: 6 })),
});

function render(t: { header: string[]; rows: string[][]; newline: string; bom: boolean; trailing: string }): string {
  return (t.bom ? '\uFEFF' : '') + [t.header.join(','), ...t.rows.map((r) => r.join(','))].join(t.newline) + t.trailing;
}

/** Parses both ways and checks each outcome: finite numbers of a consistent shape, or one clear error. */
function checkCsv(text: string, target: string | number, what: string): void {
  const labelled = outcome(() => parseCsv(text, { source: SOURCE, target }));
  expect(labelled.ms, `${what}: parse time`).toBeLessThan(2000);
  if (labelled.error !== undefined) expectClearError(labelled.error, SOURCE, what);
  else {
    const { X, y, featureNames } = labelled.value!;
    expect(X.ndim, what).toBe(2);
    expect(X.shape[1], what).toBe(featureNames.length);
    expect(y.length, what).toBe(X.shape[0]);
    expect(X.toTypedArray().every(Number.isFinite), `${what}: a non-finite feature was read`).toBe(true);
  }
  const features = outcome(() => parseCsvFeatures(text, { source: SOURCE }));
  if (features.error !== undefined) expectClearError(features.error, SOURCE, what);
  else {
    const { X, featureNames } = features.value!;
    expect(X.shape[1], what).toBe(featureNames.length);
    expect(X.toTypedArray().every(Number.isFinite), `${what}: a non-finite feature was read`).toBe(true);
  }
}

describe('fuzz: malformed CSVs give a finite table or one clear error naming the file', () => {
  it('tables with ragged rows, odd cells, quotes, BOM and line endings', () => {
    fc.assert(
      fc.property(table, (t) => {
        const text = render(t);
        checkCsv(text, t.target, JSON.stringify(text));
      }),
      { seed: FUZZ_SEED, numRuns: CSV_RUNS.tables },
    );
  });

  it('arbitrary text (empty, header only, whitespace, random characters)', () => {
    const text = fc.oneof(
      fc.constantFrom('', '\n', '\r\n\r\n', '   ', 'target', 'a,target', 'a,target\n', '\uFEFF', '"', '","', 'a,target\n1'),
      fc.string({ maxLength: 40 }),
      fc.array(fc.constantFrom('a', 'target', ',', '"', '\n', '1', ' ', '\r', 'e', '-', '.'), { maxLength: 40 }).map((cs) => cs.join('')),
    );
    fc.assert(
      fc.property(text, (t) => checkCsv(t, 'target', JSON.stringify(t))),
      { seed: FUZZ_SEED, numRuns: CSV_RUNS.text },
    );
  });
});
