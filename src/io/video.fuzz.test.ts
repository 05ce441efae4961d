import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClearError, FUZZ_SEED, outcome } from '../../test/helpers/fuzz.js';
import { readRawVideo } from './video.js';

/*
 * Fuzz: raw 8-bit videos with a malformed sidecar JSON (missing fields, wrong types,
 * dims not matching the byte count, negative dims) or damaged bytes give one clear
 * error naming the file, never a crash from deep inside.
 */

/** Cases per property (the counts are reported in issue 11's closing note). */
const VIDEO_RUNS = { sidecar: 300, text: 100 };

const dir = mkdtempSync(join(tmpdir(), 'tnkit-video-fuzz-'));

const dims = fc.oneof(
  fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
  fc.array(fc.oneof(fc.integer({ min: -3, max: 5 }), fc.constantFrom(0.5, 1e300, -0, 2 ** 53, NaN)), { maxLength: 4 }),
);
const jsonValue = fc.constantFrom<unknown>(null, 0, -1, 'x', '3,4', true, [], {}, [[2]], ['2', '2'], { shape: [2] });

/** A sidecar JSON: the right layout with some parts dropped or of the wrong type. */
const sidecar = fc.record({
  shape: fc.oneof({ weight: 3, arbitrary: dims as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: jsonValue }),
  dtype: fc.option(fc.constantFrom<unknown>('uint8', 'float32', 'u1', 8, null), { nil: undefined }),
  layout: fc.constantFrom('files', 'top-shape', 'files-empty', 'files-object', 'files-null', 'null', 'array', 'number', 'string'),
});

function sidecarJson(s: { shape: unknown; dtype: unknown; layout: string }): unknown {
  const entry = { file: 'v.u8', shape: s.shape, ...(s.dtype === undefined ? {} : { dtype: s.dtype }) };
  switch (s.layout) {
    case 'files': return { files: [entry] };
    case 'top-shape': return { shape: s.shape };
    case 'files-empty': return { files: [] };
    case 'files-object': return { files: entry };
    case 'files-null': return { files: [null] };
    case 'null': return null;
    case 'array': return [entry];
    case 'number': return 42;
    default: return 'v.u8';
  }
}

describe('fuzz: malformed raw videos and sidecars give one clear error naming the file', () => {
  it('sidecars with missing fields, wrong types, negative or mismatched dims', () => {
    fc.assert(
      fc.property(sidecar, fc.integer({ min: 0, max: 40 }), fc.boolean(), (s, bytes, gz) => {
        const path = join(dir, gz ? 'v.u8.gz' : 'v.u8');
        const raw = Uint8Array.from({ length: bytes }, (_, i) => i);
        writeFileSync(path, gz ? gzipSync(raw) : raw);
        writeFileSync(join(dir, 'v.json'), JSON.stringify(sidecarJson(s)));
        const r = outcome(() => readRawVideo(path));
        expect(r.ms).toBeLessThan(2000);
        const what = `${JSON.stringify(sidecarJson(s))} with ${bytes} bytes`;
        if (r.error !== undefined) expectClearError(r.error, /v\.(json|u8)/, what);
        else expect(r.value!.size, what).toBe(bytes);
      }),
      { seed: FUZZ_SEED, numRuns: VIDEO_RUNS.sidecar },
    );
  });

  it('sidecars that are not JSON, and gzip files that are not gzip', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.uint8Array({ maxLength: 30 }), (text, bytes) => {
        const path = join(dir, 'w.u8.gz');
        writeFileSync(path, bytes);
        writeFileSync(join(dir, 'w.json'), text);
        const r = outcome(() => readRawVideo(path));
        if (r.error !== undefined) expectClearError(r.error, /w\.(json|u8)/, JSON.stringify(text));
      }),
      { seed: FUZZ_SEED, numRuns: VIDEO_RUNS.text },
    );
  });
});
