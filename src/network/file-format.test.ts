import { describe, expect, it } from 'vitest';
import { Random } from '../tensor/random.js';
import { decodeNetwork, encodeNetwork, NetworkFileError, PREAMBLE_BYTES, type NetworkHeader } from './file-format.js';
import { fromRankMatrix } from './rank-matrix.js';
import type { TensorNetwork } from './tensor-network.js';
import { randomNetwork } from '../../test/helpers/networks.js';

function bytesOf(net: TensorNetwork): Uint8Array[] {
  return net.tensors().map((t) => {
    const a = t.data.toTypedArray();
    return new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice();
  });
}

function expectSameNetwork(a: TensorNetwork, b: TensorNetwork): void {
  expect(b.tids()).toEqual(a.tids());
  for (const tid of a.tids()) {
    expect(b.get(tid).indices.map((i) => i.key)).toEqual(a.get(tid).indices.map((i) => i.key));
    expect([...b.tagsOf(tid)].sort()).toEqual([...a.tagsOf(tid)].sort());
    expect(b.get(tid).dtype).toBe(a.get(tid).dtype);
  }
  expect(bytesOf(b)).toEqual(bytesOf(a));
}

/** Splits an encoded file into its header object and data section, and reassembles edited versions. */
function edit(bytes: Uint8Array, change: (h: NetworkHeader & Record<string, unknown>) => void): Uint8Array {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(8, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(PREAMBLE_BYTES, PREAMBLE_BYTES + length)));
  change(header);
  return withHeaderText(bytes, JSON.stringify(header));
}

function withHeaderText(bytes: Uint8Array, text: string): Uint8Array {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(8, true));
  const data = bytes.subarray(PREAMBLE_BYTES + length);
  const encoded = new TextEncoder().encode(text);
  const out = new Uint8Array(PREAMBLE_BYTES + encoded.length + data.length);
  out.set(bytes.subarray(0, 8));
  new DataView(out.buffer).setBigUint64(8, BigInt(encoded.length), true);
  out.set(encoded, PREAMBLE_BYTES);
  out.set(data, PREAMBLE_BYTES + encoded.length);
  return out;
}

describe('network file format', () => {
  it('round-trips random networks bit-exactly in f64 and f32, with indices, tags and metadata', () => {
    const rng = new Random(51);
    for (let trial = 0; trial < 12; trial++) {
      const base = randomNetwork(rng, 1 + rng.int(5));
      for (const dtype of ['f64', 'f32'] as const) {
        const net = base.copy();
        if (dtype === 'f32') for (const tid of net.tids()) net.replace(tid, net.get(tid).astype('f32'));
        // Special values survive too.
        const first = net.get(0).data;
        if (first.size > 0) first.data[0] = trial % 2 === 0 ? -0 : Number.MIN_VALUE;
        const metadata = { model: 'test', trial, nested: { lr: 0.01 } };
        const bytes = encodeNetwork(net, { metadata });
        const { network, metadata: m, dtype: d } = decodeNetwork(bytes, 'mem');
        expect(d).toBe(dtype);
        expect(m).toEqual(metadata);
        expectSameNetwork(net, network);
        expect(network.outerIndices().map((i) => i.key)).toEqual(net.outerIndices().map((i) => i.key));
      }
    }
  });

  it('keeps network structure: a loaded network contracts with the original over matching indices', () => {
    const net = fromRankMatrix([2, 3, 2], [[1, 2, 3], [2, 1, 2], [3, 2, 1]], { seed: 3 });
    const { network } = decodeNetwork(encodeNetwork(net));
    expect(network.inner(net)).toBeCloseTo(net.norm() ** 2, 9);
  });

  describe('rejects corrupt files before allocating, naming the field and the file', () => {
    const good = encodeNetwork(fromRankMatrix([2, 3], [[1, 2], [2, 1]], { seed: 1 }), { metadata: { a: 1 } });
    const cases: [string, () => Uint8Array, RegExp][] = [
      ['empty file', () => new Uint8Array(0), /x\.tn: preamble: truncated: the file has 0 bytes/],
      ['truncated preamble', () => good.slice(0, 11), /preamble: truncated/],
      ['bad magic', () => { const b = good.slice(); b[0] = 0x58; return b; }, /magic: bad magic "XNKITNET"/],
      ['header length beyond the file', () => { const b = good.slice(); new DataView(b.buffer).setBigUint64(8, BigInt(b.length), true); return b; }, /headerLength: header length \d+ extends beyond the file/],
      ['huge header length', () => { const b = good.slice(); new DataView(b.buffer).setBigUint64(8, 0xffffffffffffffffn, true); return b; }, /headerLength/],
      ['bad JSON', () => withHeaderText(good, '{"format": "tnkit-network", '), /header: is not valid JSON/],
      ['header not an object', () => withHeaderText(good, '[1, 2]'), /header: must be a JSON object/],
      ['bad UTF-8', () => { const b = good.slice(); b[PREAMBLE_BYTES + 1] = 0xff; return b; }, /header: is not valid UTF-8/],
      ['unknown dtype', () => edit(good, (h) => { (h as { dtype: string }).dtype = 'f16'; }), /dtype: unknown dtype "f16"/],
      ['unknown version', () => edit(good, (h) => { h.version = 99; }), /version: unsupported version 99/],
      ['length ≠ shape × dtype', () => edit(good, (h) => { h.tensors[1]!.length += 8; }), /tensors\[1\]\.length: is \d+ bytes but shape \[3, 2\] of f64 needs 48/],
      ['huge shape', () => edit(good, (h) => { h.tensors[0]!.shape = [1e9, 1e9]; }), /tensors\[0\]\.shape: .* needs more than the \d+ bytes/],
      ['shape/index mismatch', () => edit(good, (h) => { h.tensors[0]!.indices[0]!.dim = 5; h.tensors[0]!.shape[0] = 1; h.tensors[0]!.length = 16; }), /tensors\[0\]\.indices\[0\]\.dim: is 5 but shape\[0\] is 1/],
      ['offset outside the file', () => edit(good, (h) => { h.tensors[1]!.offset = 10_000; }), /tensors\[1\]\.offset: bytes 10000…10048 lie outside the data section/],
      ['negative offset', () => edit(good, (h) => { h.tensors[1]!.offset = -8; }), /tensors\[1\]\.offset: must be a non-negative integer/],
      ['overlapping tensors', () => edit(good, (h) => { h.tensors[1]!.offset = 8; }), /tensors\[1\]\.offset: bytes 8…56 overlap tensors\[0\]/],
      ['truncated data section', () => good.slice(0, good.length - 8), /tensors\[1\]\.offset: .* outside the data section/],
      ['bad index id', () => edit(good, (h) => { (h.tensors[0]!.indices[0] as { id: string }).id = 'nothex'; }), /tensors\[0\]\.indices\[0\]: Index: id must be 16/],
      ['index dims disagree between tensors', () => edit(good, (h) => {
        const bond = h.tensors[1]!.indices[1]!;
        h.tensors[1]!.indices[1] = { ...bond, dim: 3 };
        h.tensors[1]!.shape = [3, 3];
        h.tensors[1]!.length = 72;
      }), /tensors\[1\]\.indices\[1\]\.dim: index [0-9a-f]+ has dim 3 here and 2 on another tensor/],
      ['tensors not an array', () => edit(good, (h) => { (h as { tensors: unknown }).tensors = 5; }), /tensors: must be an array/],
    ];
    it.each(cases)('%s', (_name, make, message) => {
      const bytes = make();
      let error: unknown;
      try {
        decodeNetwork(bytes, 'x.tn');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(NetworkFileError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message.startsWith('x.tn: ')).toBe(true);
    });
  });
});
