import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NetworkFileError } from '../network/file-format.js';
import { fromRankMatrix } from '../network/rank-matrix.js';
import { mps } from '../network/topologies.js';
import { loadNetwork, loadNetworkAsync, saveNetwork, saveNetworkAsync } from './network-file.js';

const dir = mkdtempSync(join(tmpdir(), 'tnkit-network-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function dataBytes(net: ReturnType<typeof mps>): number[][] {
  return net.tensors().map((t) => Array.from(new Uint8Array(t.data.toTypedArray().buffer.slice(0))));
}

describe('saveNetwork / loadNetwork', () => {
  it('round-trips bit-exactly through a file (sync and async, f64 and f32)', async () => {
    for (const dtype of ['f64', 'f32'] as const) {
      const net = fromRankMatrix([2, 3, 4], [[1, 2, 3], [2, 1, 2], [3, 2, 1]], { seed: 4, dtype });
      const path = join(dir, `net-${dtype}.tn`);
      saveNetwork(path, net, { kind: 'fctn', dtype });
      const loaded = loadNetwork(path);
      expect(loaded.metadata).toEqual({ kind: 'fctn', dtype });
      expect(loaded.dtype).toBe(dtype);
      expect(dataBytes(loaded.network)).toEqual(dataBytes(net));
      expect(loaded.network.indices().map((i) => i.key)).toEqual(net.indices().map((i) => i.key));
      const pathAsync = join(dir, `net-${dtype}-async.tn`);
      await saveNetworkAsync(pathAsync, net);
      expect(readFileSync(pathAsync).equals(readFileSync(join(dir, `net-${dtype}.tn`)))).toBe(false); // metadata differs
      const again = await loadNetworkAsync(pathAsync);
      expect(dataBytes(again.network)).toEqual(dataBytes(net));
      expect(again.metadata).toBe(null);
    }
  });

  it('names the file and field for a corrupt file, sync and async', async () => {
    const path = join(dir, 'cut.tn');
    saveNetwork(path, mps([2, 2, 2], 2));
    const whole = readFileSync(path);
    writeFileSync(path, whole.subarray(0, whole.length - 4));
    expect(() => loadNetwork(path)).toThrow(NetworkFileError);
    expect(() => loadNetwork(path)).toThrow(new RegExp(`${path}: tensors\\[2\\]\\.offset: .*outside the data section`));
    await expect(loadNetworkAsync(path)).rejects.toThrow(/outside the data section/);
    writeFileSync(path, whole.subarray(0, 5));
    expect(() => loadNetwork(path)).toThrow(/cut\.tn: preamble: truncated: the file has 5 bytes/);
    await expect(loadNetworkAsync(path)).rejects.toThrow(/preamble: truncated/);
    const bad = Buffer.from(whole);
    bad.writeBigUInt64LE(1n << 40n, 8);
    writeFileSync(path, bad);
    expect(() => loadNetwork(path)).toThrow(/headerLength: header length 1099511627776 extends beyond the file/);
  });
});
