import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClearError, FUZZ_SEED, outcome } from '../../test/helpers/fuzz.js';
import { byteMutation, headerOf, jsonMutation, mutateBytes, mutateJson, withHeader, type Json } from '../../test/helpers/fuzz-mutate.js';
import { decodeNetwork, encodeNetwork, NetworkFileError } from '../network/file-format.js';
import { fromRankMatrix } from '../network/rank-matrix.js';
import { loadNetwork } from './network-file.js';

/*
 * Fuzz: malformed network files (.tn) give one NetworkFileError naming the file and the
 * field, never a RangeError/TypeError from deep inside, never a hang.
 */

/** Cases per property (the counts are reported in issue 11's closing note). */
const NETWORK_RUNS = { bytes: 250, json: 400, alias: 100, file: 50 };

/** A small network file: a 3-core ring or chain with metadata. */
const validNetwork = fc
  .record({ seed: fc.nat(100), dtype: fc.constantFrom('f64' as const, 'f32' as const), ring: fc.boolean() })
  .map(({ seed, dtype, ring }) => {
    const r = ring ? 2 : 1;
    const net = fromRankMatrix([2, 3, 2], [[1, 2, r], [2, 1, 3], [r, 3, 1]], { seed, dtype });
    return encodeNetwork(net, { metadata: { kind: 'fctn', note: [1, 2] } });
  });

/** Decodes and checks: a network, or one NetworkFileError naming the source. */
function checkDecode(bytes: Uint8Array, what: string): void {
  const r = outcome(() => decodeNetwork(bytes, 'net.tn'));
  expect(r.ms, `${what}: decode time`).toBeLessThan(2000);
  if (r.error === undefined) return;
  expect(r.error, `${what}: ${String(r.error)}`).toBeInstanceOf(NetworkFileError);
  expectClearError(r.error, 'net.tn: ', what);
}

describe('fuzz: malformed network files give one clear NetworkFileError', () => {
  it('byte mutations: truncation, flips, header length, trailing bytes', () => {
    fc.assert(
      fc.property(validNetwork, byteMutation, (bytes, m) => checkDecode(mutateBytes(bytes, m), `${m.kind} ${JSON.stringify(m, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`)),
      { seed: FUZZ_SEED, numRuns: NETWORK_RUNS.bytes },
    );
  });

  it('header JSON mutations: missing fields, wrong types, shapes and indices not matching the data', () => {
    fc.assert(
      fc.property(validNetwork, fc.array(jsonMutation, { minLength: 1, maxLength: 3 }), (bytes, ms) => {
        let json = headerOf(bytes);
        const whats: string[] = [];
        for (const m of ms) {
          const r = mutateJson(json, m);
          json = r.json;
          whats.push(r.what);
        }
        checkDecode(withHeader(bytes, json), whats.join('; '));
      }),
      { seed: FUZZ_SEED, numRuns: NETWORK_RUNS.json },
    );
  });

  it('index identities reused: an index twice on one tensor, or on three tensors', () => {
    fc.assert(
      fc.property(validNetwork, fc.nat(), fc.nat(), fc.boolean(), (bytes, from, to, withDim) => {
        const json = headerOf(bytes) as { tensors: { indices: { id: string; dim: number; tags: string[]; plev: number }[] }[] };
        const all = json.tensors.flatMap((t) => t.indices);
        const a = all[from % all.length]!;
        const b = all[to % all.length]!;
        b.id = a.id;
        b.tags = [...a.tags];
        b.plev = a.plev;
        if (withDim) b.dim = a.dim;
        checkDecode(withHeader(bytes, json as unknown as Json), `index ${to % all.length} made a copy of index ${from % all.length}`);
      }),
      { seed: FUZZ_SEED, numRuns: NETWORK_RUNS.alias },
    );
  });

  it('loadNetwork names the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tnkit-net-fuzz-'));
    const path = join(dir, 'bad.tn');
    fc.assert(
      fc.property(validNetwork, byteMutation, jsonMutation, (bytes, bm, jm) => {
        writeFileSync(path, mutateBytes(withHeader(bytes, mutateJson(headerOf(bytes), jm).json), bm));
        const r = outcome(() => loadNetwork(path));
        if (r.error !== undefined) expectClearError(r.error, path, `${bm.kind}`);
      }),
      { seed: FUZZ_SEED, numRuns: NETWORK_RUNS.file },
    );
  });
});
