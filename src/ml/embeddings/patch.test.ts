import { describe, expect, it } from 'vitest';
import { Random } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { contractPatch, patchAmplitude, patchEmbeddingFromJSON, patchFrqi } from './index.js';

const rng = new Random(99);

function randomImages(n: number, h: number, w: number, zeroFraction = 0): Tensor {
  const data = new Float64Array(n * h * w);
  for (let i = 0; i < data.length; i++) data[i] = rng.uniform() < zeroFraction ? 0 : rng.uniform();
  return new Tensor(data, [n, h, w]);
}

/** The pixels of patch (pr, pc) of image b in the given order. */
function patchPixels(x: Tensor, b: number, pr: number, pc: number, k: number, order: 'row' | 'snake'): number[] {
  const out: number[] = [];
  for (let r = 0; r < k; r++) {
    const cols = Array.from({ length: k }, (_, c) => c);
    if (order === 'snake' && r % 2 === 1) cols.reverse();
    for (const c of cols) out.push(x.get(b, pr * k + r, pc * k + c));
  }
  return out;
}

describe('patch amplitude embedding', () => {
  it('cores contract back to the normalised, zero-padded patch, with the documented shapes', () => {
    for (const [k, H, W] of [[2, 4, 6], [3, 6, 3], [4, 8, 8]] as const) {
      const x = randomImages(2, H, W, 0.2);
      const e = patchAmplitude({ patchSize: k });
      const mps = e.embed(x);
      const n = Math.ceil(Math.log2(k * k));
      expect(mps.nQubits).toBe(n);
      expect(mps.patchGrid).toEqual([H / k, W / k]);
      expect(mps.bondDims).toEqual(Array.from({ length: n + 1 }, (_, s) => Math.min(2 ** s, 2 ** (n - s))));
      mps.cores.forEach((c, s) => expect(c.shape).toEqual([2, (H / k) * (W / k), mps.bondDims[s], 2, mps.bondDims[s + 1]]));
      for (let b = 0; b < 2; b++) {
        for (let pr = 0; pr < H / k; pr++) {
          for (let pc = 0; pc < W / k; pc++) {
            const px = patchPixels(x, b, pr, pc, k, 'row');
            const s = Math.hypot(...px);
            const want = px.map((v) => (s === 0 ? 1 / Math.sqrt(px.length) : v / s));
            const got = contractPatch(mps, pr * (W / k) + pc, b);
            expect(got.length).toBe(2 ** n);
            for (let i = 0; i < 2 ** n; i++) expect(got[i]).toBeCloseTo(i < want.length ? want[i]! : 0, 12);
          }
        }
      }
      expect(mps.maxDiscardedNorm).toBeLessThan(1e-12);
    }
  });

  it('repeated patches (blank background) reuse cores and still contract correctly', () => {
    const x = randomImages(3, 6, 6);
    const d = x.data;
    // Rows 0–3 of images 1 and 2 blank; image 0 keeps random pixels.
    for (let i = 36; i < d.length; i++) if (Math.floor(i / 6) % 6 < 4) d[i] = 0;
    const e = patchAmplitude({ patchSize: 2 });
    const mps = e.embed(x);
    for (let b = 0; b < 3; b++) {
      for (let p = 0; p < 9; p++) {
        const px = patchPixels(x, b, Math.floor(p / 3), p % 3, 2, 'row');
        const s = Math.hypot(...px);
        const got = contractPatch(mps, p, b);
        px.forEach((v, i) => expect(got[i]).toBeCloseTo(s === 0 ? 0.5 : v / s, 12));
      }
    }
  });

  it("'sqrt' amplitudes give probabilities proportional to pixels; negative pixels are rejected", () => {
    const x = randomImages(1, 4, 4);
    const mps = patchAmplitude({ patchSize: 4, amplitude: 'sqrt' }).embed(x.reshape(4, 4));
    expect(mps.cores[0]!.shape).toEqual([1, 1, 2, 2]);
    const psi = contractPatch(mps, 0);
    const total = Array.from(x.toTypedArray()).reduce((a, b) => a + b, 0);
    for (let i = 0; i < 16; i++) expect(psi[i]! ** 2).toBeCloseTo(x.toTypedArray()[i]! / total, 12);
    const neg = new Tensor(new Float64Array(4).fill(-0.1), [2, 2]);
    expect(() => patchAmplitude({ patchSize: 2, amplitude: 'sqrt' }).embed(neg)).toThrow(/pixel 0 of image 0, patch \(0, 0\) is -0\.1/);
  });

  it('maxRank truncates the bonds and keeps unit norm', () => {
    const x = randomImages(3, 4, 4);
    const mps = patchAmplitude({ patchSize: 4, maxRank: 2 }).embed(x);
    expect(mps.bondDims).toEqual([1, 2, 2, 2, 1]);
    expect(mps.maxDiscardedNorm).toBeGreaterThan(0);
    for (let b = 0; b < 3; b++) expect(Math.hypot(...contractPatch(mps, 0, b))).toBeCloseTo(1, 12);
  });

  it('rejects images whose sides are not multiples of the patch size', () => {
    expect(() => patchAmplitude({ patchSize: 3 }).embed(randomImages(1, 4, 4))).toThrow(/4×4 is not a multiple of patchSize 3/);
  });
});

describe('patch FRQI embedding', () => {
  it('contracts to cos/sin(πx/2)/√N on a colour qubit after snake-ordered address qubits', () => {
    for (const k of [2, 3]) {
      const x = randomImages(2, 2 * k, k);
      const mps = patchFrqi({ patchSize: k }).embed(x);
      const N = k * k;
      const na = Math.ceil(Math.log2(N));
      expect(mps.nQubits).toBe(na + 1);
      for (let b = 0; b < 2; b++) {
        for (let pr = 0; pr < 2; pr++) {
          const px = patchPixels(x, b, pr, 0, k, 'snake');
          const got = contractPatch(mps, pr, b);
          for (let a = 0; a < 2 ** na; a++) {
            const wantCos = a < N ? Math.cos((Math.PI * px[a]!) / 2) / Math.sqrt(N) : 0;
            const wantSin = a < N ? Math.sin((Math.PI * px[a]!) / 2) / Math.sqrt(N) : 0;
            expect(got[2 * a]).toBeCloseTo(wantCos, 12);
            expect(got[2 * a + 1]).toBeCloseTo(wantSin, 12);
          }
        }
      }
    }
  });

  it('expects pixels in [0, 1] and round-trips through JSON', () => {
    const bright = new Tensor(new Float64Array([0, 0.5, 1, 255]), [2, 2]);
    expect(() => patchFrqi({ patchSize: 2 }).embed(bright)).toThrow(/pixel 2 of image 0, patch \(0, 0\) is 255, outside the expected range \[0, 1\]/);
    const e = patchFrqi({ patchSize: 2, maxRank: 3, order: 'row' });
    expect(patchEmbeddingFromJSON(JSON.parse(JSON.stringify(e.toJSON()))).toJSON()).toEqual(e.toJSON());
    expect(e.toJSON()).toMatchObject({ maxRank: 3 });
    // A spec written under the old field name would otherwise load without its cap.
    expect(() => patchEmbeddingFromJSON({ type: 'patch-frqi', patchSize: 2, order: 'row', maxBond: 3 })).toThrow(/'maxBond' is now named 'maxRank'/);
  });
});
