import fc from 'fast-check';
import { PREAMBLE_BYTES } from '../../src/network/file-format.js';

/*
 * Mutations of network-file bytes and of their JSON header, shared by the network-file
 * and model-file fuzz tests.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

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

/** Applies a {@link jsonMutation} to a deep copy of `root` (at a path under `within`); returns the copy and a description. */
export function mutateJson(root: Json, m: typeof jsonMutation extends fc.Arbitrary<infer M> ? M : never, within: readonly (string | number)[] = []): { json: Json; what: string } {
  const json = structuredClone(root);
  const all = jsonPaths(json);
  const inside = all.filter((p) => within.every((k, i) => p[i] === k));
  const paths = inside.length > 0 ? inside : all;
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
