import { Tensor } from '../tensor/tensor.js';
import { checkSweepInput, sweepModes, sweptDecomposition, type SvdSweep } from './svd-sweep.js';
import { truncatedSplit } from './truncate.js';

/** Options of {@link trSvd}. */
export interface TrSvdOptions {
  /** Target relative error (in [0, 1]; default 0: exact up to rounding). */
  rse?: number;
  /**
   * Caps on the N ring bonds (ranks[k] joins cores k and k+1, ranks[N−1] closes the ring);
   * one number caps all. The first SVD is capped at ranks[N−1]·ranks[0].
   */
  maxRank?: number | readonly number[];
}

/** A tensor ring. */
export interface TrDecomposition {
  /** Cores in the rank-matrix layout: [d_k, then bonds to neighbours in increasing index]. */
  cores: Tensor[];
  /** ranks[k]: the bond between cores k and k+1 mod N (N entries). */
  ranks: number[];
  rankMatrix: number[][];
  params: number;
  /** ‖X̂ − X‖/‖X‖, exact from the discarded singular values (every split is orthogonal). */
  rse: number;
}

/**
 * TR-SVD (Zhao, Zhou, Xie, Zhang, Cichocki 2016, "Tensor ring decomposition", Alg. 1).
 * The first unfolding d_0 × (d_1⋯d_{N−1}) is truncated with a budget √2·rse·‖X‖/√N
 * and its rank split as r_close·r_0 (factors as equal as possible; r_close = ranks[N−1]
 * is the closing bond); the remaining N−2 truncations each get rse·‖X‖/√N, so the
 * total RSE is ≤ rse. The closing bond is carried through as part of the last mode.
 * A tensor with entries far from 1 is pre-scaled by a power of two (as in ttSvd).
 * @throws RangeError for fewer than 3 modes, a non-finite tensor, a bad option, or cores
 *   that overflow the dtype.
 */
export function trSvd(x: Tensor, options: TrSvdOptions = {}): TrDecomposition {
  const { x: scaled, exponent, normSq, rse, dims, caps } = checkSweepInput(x, options, 'trSvd', true);
  const n = dims.length;
  const stepSq = (rse * rse * normSq) / n;

  // First split: X_(0) ≈ U·W with rank r_close·r_0.
  const firstCap = caps[n - 1]! * caps[0]!;
  const first = truncatedSplit(scaled.toTypedArray(), dims[0]!, x.size / dims[0]!, 2 * stepSq, firstCap);
  // The most balanced factor pair close·r0 within the caps; when the rank has none
  // (a prime above both caps), keep the largest smaller rank that has one.
  let rank = first.rank;
  let pair = fitCaps(rank, caps[n - 1]!, caps[0]!);
  while (pair === undefined) pair = fitCaps(--rank, caps[n - 1]!, caps[0]!);
  const [close, r0] = pair;
  const restSize = x.size / dims[0]!;
  let firstU = first.u;
  let firstW = first.w;
  let discardedSq = first.discardedSq;
  if (rank < first.rank) {
    firstU = new Tensor(first.u, [dims[0]!, first.rank]).slice(null, [0, rank]).copy().toTypedArray();
    // The dropped rows of W = diag(s)·Vt have norms s_i.
    for (let p = rank * restSize; p < first.rank * restSize; p++) discardedSq += first.w[p]! * first.w[p]!;
    firstW = first.w.subarray(0, rank * restSize);
  }
  // U (d0 × close·r0) is core 0 as [d0, close, r0] → natural [close, d0, r0].
  const naturals: Tensor[] = [new Tensor(firstU, [dims[0]!, close, r0]).permute(1, 0, 2)];
  // W (close·r0 × rest) → [r0, rest, close]: the closing bond rides along the last mode.
  const rest = new Tensor(firstW, [close, r0, restSize]).permute(1, 2, 0).copy().toTypedArray();
  const sweep: SvdSweep = { naturals, ranks: [r0], rest, left: r0, cols: restSize * close, discardedSq };
  sweepModes(sweep, dims, 1, n - 1, stepSq, caps);
  sweep.naturals.push(new Tensor(sweep.rest, [sweep.left, dims[n - 1]!, close]));
  sweep.ranks.push(close);
  return sweptDecomposition(sweep.naturals, sweep.ranks, true, dims, sweep.discardedSq, normSq, exponent, 'trSvd');
}

/** The factor pair a·b = r with a ≤ capA and b ≤ capB closest to balanced (a ≤ b on ties), if any. */
function fitCaps(r: number, capA: number, capB: number): [number, number] | undefined {
  let best: [number, number] | undefined;
  let gap = Infinity;
  for (let a = 1; a <= r; a++) {
    if (r % a !== 0) continue;
    const b = r / a;
    if (a <= capA && b <= capB && Math.abs(a - b) < gap) {
      best = [a, b];
      gap = Math.abs(a - b);
    }
  }
  return best;
}
