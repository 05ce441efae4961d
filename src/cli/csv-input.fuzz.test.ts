import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEEP_ERROR, FUZZ_SEED, runCommand } from '../../test/helpers/fuzz.js';
import { Classifier } from '../estimators/classifier.js';
import { Tensor } from '../tensor/tensor.js';
import { registerPredict } from './predict.js';
import { registerTrain } from './train.js';

/*
 * Fuzz: `tnkit train --data` and `tnkit predict --data` on malformed CSVs (ragged rows,
 * non-numeric cells, empty, header only, NaN/Inf text, huge numbers, quotes): a run, or
 * one clear error, and the existing --save / --out file keeps its bytes.
 */

/** Cases per property (the counts are reported in issue 11's closing note). */
const CSV_CLI_RUNS = { train: 60, predict: 60 };

const dir = mkdtempSync(join(tmpdir(), 'tnkit-csv-cli-fuzz-'));
const file = (name: string): string => join(dir, name);
const OLD = new Uint8Array([9, 8, 7]);

{
  const X = new Tensor(Float64Array.from({ length: 60 }, (_, i) => (i % 7) / 7), [20, 3]);
  const y = Int32Array.from({ length: 20 }, (_, i) => i % 2);
  writeFileSync(file('m.tnk'), new Classifier({ bondDim: 2, embedding: 'polynomial:1', epochs: 1, batchSize: 8 }).fit(X, y).toBytes());
}

const cell = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 3 }).map(String) },
  { weight: 2, arbitrary: fc.double({ min: -1, max: 1, noNaN: true }).map(String) },
  { weight: 2, arbitrary: fc.constantFrom('', 'NaN', 'Inf', '-Infinity', '1e400', '1e308', 'abc', '"1"', '"1,2"', '"x', 'cat', 'dog', ' ') },
);
const csv = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom('', '\n', 'a,b,c,target', 'a,b,c,target\n', '\uFEFFa,b,c,target\n1,2,3,0') },
  {
    weight: 5,
    arbitrary: fc
      .tuple(
        fc.constantFrom('a,b,c,target', 'a,b,target', 'a,b,c,d,target', 'x,y,z,label', 'a,b,c'),
        // Mostly rows as wide as the header (so the cells are what is tested), some ragged.
        fc.array(fc.tuple(fc.array(cell, { minLength: 5, maxLength: 5 }), fc.integer({ min: -1, max: 1 }), fc.integer({ min: 0, max: 5 })), { maxLength: 24 }),
      )
      .map(([header, rows]) => {
        const width = header.split(',').length;
        return [header, ...rows.map(([cells, ragged, pick]) => cells.slice(0, pick === 0 ? width + ragged : width).join(','))].join('\n') + '\n';
      }),
  },
);

/**
 * An error a user can act on: an Error, one line, nothing from deep inside; with `strict`,
 * also naming the file or a flag.
 */
function expectUsable(error: unknown, what: string, strict: boolean): void {
  expect(error, what).toBeInstanceOf(Error);
  const message = (error as Error).message;
  expect(message, what).not.toMatch(DEEP_ERROR);
  expect(message.trim(), what).not.toMatch(/\n/);
  if (strict) expect(message, what).toMatch(/fuzz\.csv|--\w/);
}

async function trainCases(strict: boolean): Promise<void> {
    await fc.assert(
      fc.asyncProperty(csv, async (text) => {
        writeFileSync(file('fuzz.csv'), text);
        writeFileSync(file('old.tnk'), OLD);
        const before = readdirSync(dir).sort();
        const r = await runCommand([registerTrain], ['train', '--data', file('fuzz.csv'), '--target', 'target', '--epochs', '1', '--bond-dim', '2', '--batch-size', '8', '--embedding', 'polynomial:1', '--json', '--save', file('old.tnk')]);
        const what = JSON.stringify(text);
        expect(r.commander, what).toBeUndefined();
        expect(r.ms, what).toBeLessThan(10_000);
        if (r.error === undefined) return;
        expectUsable(r.error, what, strict);
        expect(readFileSync(file('old.tnk')), what).toEqual(Buffer.from(OLD));
        expect(readdirSync(dir).sort(), what).toEqual(before);
      }),
      { seed: FUZZ_SEED, numRuns: CSV_CLI_RUNS.train },
    );
}

async function predictCases(strict: boolean): Promise<void> {
    await fc.assert(
      fc.asyncProperty(csv, fc.boolean(), async (text, labelled) => {
        writeFileSync(file('fuzz.csv'), text);
        writeFileSync(file('old.csv'), OLD);
        const r = await runCommand([registerPredict], ['predict', '--model', file('m.tnk'), '--data', file('fuzz.csv'), ...(labelled ? ['--target', 'target'] : []), '--json', '--out', file('old.csv')]);
        const what = JSON.stringify(text);
        expect(r.commander, what).toBeUndefined();
        expect(r.ms, what).toBeLessThan(10_000);
        if (r.error === undefined) {
          // Scored: every probability a number in [0, 1].
          const out = JSON.parse(r.stdout) as { predictions: { probabilities: number[] }[] };
          for (const p of out.predictions) expect(p.probabilities.every((v) => v >= 0 && v <= 1), what).toBe(true);
          return;
        }
        expectUsable(r.error, what, strict);
        expect(readFileSync(file('old.csv')), what).toEqual(Buffer.from(OLD));
      }),
      { seed: FUZZ_SEED, numRuns: CSV_CLI_RUNS.predict },
    );
}

describe('fuzz: train and predict on malformed CSVs', () => {
  it('train --data: a model, or one clean error, and --save untouched on error', () => trainCases(false));
  it('predict --data: predictions, or one clean error, and --out untouched on error', () => predictCases(false));

  // Found by these: `train --data small.csv` gave "stratifiedSplit: testFraction 0.2 of 3
  // samples leaves an empty part" and "the data have fewer than two classes", `predict --data
  // header-only.csv` "Classifier: X: needs at least 1 sample, got 0"; all now name --data.
  it('train --data: errors name the file or a flag', () => trainCases(true));
  it('predict --data: errors name the file or a flag', () => predictCases(true));
});
