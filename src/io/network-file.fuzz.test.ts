import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClearError, FUZZ_SEED, outcome } from '../../test/helpers/fuzz.js';
import { decodeNetwork, encodeNetwork, NetworkFileError, PREAMBLE_BYTES } from '../network/file-format.js';
import { fromRankMatrix } from '../network/rank-matrix.js';
import { loadNetwork } from './network-file.js';

/*
 * Fuzz: malformed network files (.tn) give one NetworkFileError naming the file and the
 * field, never a RangeError/TypeError from deep inside, never a hang. The JSON mutator
 * here is shared with the model-file fuzz (src/ml/model-file.fuzz.test.ts).
 */

/** Cases per property (the counts are reported in issue 11's closing note). */
export const NETWORK_RUNS = { bytes: 250, json: 400, alias: 100, file: 50 };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path into a JSON value (object keys and array positions), the root included. */
export function jsonPaths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...jsonPaths(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...jsonPaths(v, [...prefix, k]));
  return out;
}

/** Values of the wrong type, impossible size or sign, for JSON mutations. */
export const WRONG_VALUES: Json[] = [
  null, true, false, 0, -1, 1.5, 1e300, -1e300, 2 ** 53 + 2, 'x', '', 'f16', [], [1], [[]], {}, { a: 1 }, '0123456789abcdef', [-1, 2], [2, 3, 4],
];

/** One JSON mutation: delete a field, replace a value, nudge a number, duplicate or drop an array entry. */
export const jsonMutation = fc.record({
  pathPick: fc.nat(),
  op: fc.constantFrom('delete', 'replace', 'nudge', 'duplicate', 'swap'),
  value: fc.constantFrom(...WRONG_VALUES),
  delta: fc.constantFrom(-1, 1, 2, -2, 8, 1000, 0.5),
});

/** Applies a {@link jsonMutation} to a deep copy of `root`; returns the copy and a description. */
export function mutateJson(root: Json, m: typeof jsonMutation extends fc.Arbitrary<infer M> ? M : never): { json: Json; what: string } {
  const json = structuredClone(root);
  const paths = jsonPaths(json);
  const path = paths[m.pathPick % paths.length]!;
  const what = `${m.op} at ${path.join('.') || '(root)'}${m.op === 'replace' ? ` = ${JSON.stringify(m.value)}` : ''}`;
  if (path.length === 0) return { json: m.op === 'replace' ? m.value : m.op === 'delete' ? null : json, what };
  let parent = json as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
  const key = path.at(-1)!;
  const current = parent[key]!;
  switch (m.op) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      break;
    case 'replace':
      parent[key] = structuredClone(m.value);
      break;
    case 'nudge':
      parent[key] = typeof current === 'number' ? current + m.delta : structuredClone(m.value);
      break;
    case 'duplicate':
      if (Array.isArray(parent)) parent.splice(key as number, 0, structuredClone(current));
      else parent[key] = Array.isArray(current) ? [...current, ...structuredClone(current)] : structuredClone(m.value);
      break;
    case 'swap':
      if (Array.isArray(current) && current.length > 1) current.reverse();
      else parent[key] = structuredClone(m.value);
      break;
  }
  return { json, what };
}

/** Network-file bytes with `header` as their JSON header, keeping the data section of `bytes`. */
export function withHeader(bytes: Uint8Array, header: Json): Uint8Array {
  const oldLength = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(8, true));
  const data = bytes.subarray(PREAMBLE_BYTES + oldLength);
  const text = new TextEncoder().encode(JSON.stringify(header));
  const length = Math.ceil((PREAMBLE_BYTES + text.length) / 8) * 8 - PREAMBLE_BYTES;
  const out = new Uint8Array(PREAMBLE_BYTES + length + data.length).fill(0x20, PREAMBLE_BYTES, PREAMBLE_BYTES + length);
  out.set(bytes.subarray(0, 8));
  new DataView(out.buffer).setBigUint64(8, BigInt(length), true);
  out.set(text, PREAMBLE_BYTES);
  out.set(data, PREAMBLE_BYTES + length);
  return out;
}

/** The JSON header of network-file bytes. */
export function headerOf(bytes: Uint8Array): Json {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(8, true));
  return JSON.parse(new TextDecoder().decode(bytes.subarray(PREAMBLE_BYTES, PREAMBLE_BYTES + length))) as Json;
}

/** A byte-level mutation: truncation, flips, a lying header length, bytes appended. */
export const byteMutation = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('headerLength' as const), value: fc.oneof(fc.nat(), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })) }),
  fc.record({ kind: fc.constant('append' as const), extra: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
);

/** Applies a {@link byteMutation} to a copy of `bytes`. */
export function mutateBytes(bytes: Uint8Array, m: typeof byteMutation extends fc.Arbitrary<infer M> ? M : never): Uint8Array {
  const out = Uint8Array.from(bytes);
  switch (m.kind) {
    case 'truncate':
      return out.subarray(0, m.at % bytes.length);
    case 'flip':
      for (const [at, v] of m.at) out[at % out.length] = v;
      return out;
    case 'headerLength':
      new DataView(out.buffer).setBigUint64(8, BigInt(m.value), true);
      return out;
    case 'append': {
      const grown = new Uint8Array(out.length + m.extra.length);
      grown.set(out);
      grown.set(m.extra, out.length);
      return grown;
    }
  }
}

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
