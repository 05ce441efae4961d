import { makeRotation, rotateRows, rotation } from './givens.js';

const EPS = Number.EPSILON / 2; // unit roundoff
const UNDERFLOW = 2.2250738585072014e-308;
/** Sweeps allowed per singular value, on average, before giving up (as in LAPACK). */
const MAX_SWEEPS = 6;

/**
 * Singular values and vectors of an upper bidiagonal matrix B (diagonal d, superdiagonal
 * e), by implicit-shift QR with Demmel–Kahan zero-shift sweeps (the algorithm of
 * LAPACK's bdsqr, which computes every singular value to high relative accuracy).
 *
 * On return d holds the singular values in descending order and e is destroyed. The left
 * rotations are applied to the rows of `ut` (n×utCols, holding Uᵀ) and the right ones to
 * the rows of `vt` (n×vtCols), so on entry ut = Qᵀ and vt = Pᵀ from A = Q·B·Pᵀ give
 * A = U·diag(d)·Vt on exit.
 */
export function bidiagonalSvd(d: Float64Array, e: Float64Array, ut: Float64Array, utCols: number, vt: Float64Array, vtCols: number): void {
  const n = d.length;
  if (n > 1) iterate(d, e, ut, utCols, vt, vtCols);
  // Make the values non-negative (absorbing the sign into V), then sort descending.
  for (let i = 0; i < n; i++) {
    if (d[i]! < 0) {
      d[i] = -d[i]!;
      for (let q = 0; q < vtCols; q++) vt[i * vtCols + q] = -vt[i * vtCols + q]!;
    }
  }
  for (let i = 0; i < n - 1; i++) {
    let best = i;
    for (let j = i + 1; j < n; j++) if (d[j]! > d[best]!) best = j;
    if (best === i) continue;
    const t = d[i]!;
    d[i] = d[best]!;
    d[best] = t;
    swapRows(ut, utCols, i, best);
    swapRows(vt, vtCols, i, best);
  }
}

function swapRows(M: Float64Array, cols: number, i: number, j: number): void {
  for (let q = 0; q < cols; q++) {
    const t = M[i * cols + q]!;
    M[i * cols + q] = M[j * cols + q]!;
    M[j * cols + q] = t;
  }
}

/** The bidiagonal, the rotated row blocks of Uᵀ and Vᵀ, and the scratch of one sweep. */
interface Work {
  d: Float64Array;
  e: Float64Array;
  ut: Float64Array;
  utCols: number;
  vt: Float64Array;
  vtCols: number;
  /** Rotations of one sweep: (cs1, sn1) and (cs2, sn2) go to V or U depending on direction. */
  cs1: Float64Array;
  sn1: Float64Array;
  cs2: Float64Array;
  sn2: Float64Array;
  /** Absolute threshold below which a superdiagonal entry is set to zero. */
  thresh: number;
}

/**
 * The QR iteration (LAPACK's bdsqr main loop): repeatedly find the unreduced block at the
 * bottom, test it for convergence, pick a direction and a shift, and sweep it.
 */
function iterate(d: Float64Array, e: Float64Array, ut: Float64Array, utCols: number, vt: Float64Array, vtCols: number): void {
  const n = d.length;
  const tol = Math.max(10, Math.min(100, EPS ** -0.125)) * EPS;
  const w: Work = {
    d, e, ut, utCols, vt, vtCols,
    cs1: new Float64Array(n), sn1: new Float64Array(n), cs2: new Float64Array(n), sn2: new Float64Array(n),
    thresh: negligibleThreshold(d, e, tol),
  };
  const maxIterations = MAX_SWEEPS * n * n;

  let iterations = 0;
  let oldll = -1;
  let oldm = -1;
  let direction: Direction = 1;
  let m = n - 1;
  while (m > 0) {
    if (iterations > maxIterations) {
      throw new Error(`svd: the bidiagonal QR iteration did not converge after ${iterations} sweeps (n = ${n})`);
    }
    const block = bottomBlock(d, e, m, w.thresh);
    if (block.split >= 0) {
      e[block.split] = 0;
      if (block.split === m - 1) {
        m--;
        continue;
      }
    }
    const ll = block.split + 1;

    // A new block picks the direction from its ends: chase towards the smaller end.
    if (ll > oldm || m < oldll) direction = Math.abs(d[ll]!) >= Math.abs(d[m]!) ? 1 : 2;

    const sminl = convergenceTest(d, e, ll, m, direction, tol);
    if (sminl === undefined) continue;
    oldll = ll;
    oldm = m;

    const shift = chooseShift(d, e, ll, m, direction, n * tol * (sminl / block.smax) <= Math.max(EPS, 0.01 * tol));
    iterations += m - ll;
    if (shift === 0) {
      if (direction === 1) zeroShiftSweepDown(w, ll, m);
      else zeroShiftSweepUp(w, ll, m);
    } else if (direction === 1) {
      shiftedSweepDown(w, ll, m, shift);
    } else {
      shiftedSweepUp(w, ll, m, shift);
    }
  }
}

/** 1: chase the bulge top to bottom, 2: bottom to top. */
type Direction = 1 | 2;

/** Threshold for negligible entries, relative to an estimate of the smallest singular value. */
function negligibleThreshold(d: Float64Array, e: Float64Array, tol: number): number {
  const n = d.length;
  let sminoa = Math.abs(d[0]!);
  let mu = sminoa;
  for (let i = 1; i < n && sminoa !== 0; i++) {
    mu = Math.abs(d[i]!) * (mu / (mu + Math.abs(e[i - 1]!)));
    sminoa = Math.min(sminoa, mu);
  }
  sminoa /= Math.sqrt(n);
  return Math.max(tol * sminoa, MAX_SWEEPS * n * n * UNDERFLOW);
}

/**
 * The unreduced block d[split+1 … m] at the bottom: `split` is the largest l < m with a
 * negligible e[l] (−1 when there is none), `smax` the largest entry of the block.
 */
function bottomBlock(d: Float64Array, e: Float64Array, m: number, thresh: number): { split: number; smax: number } {
  let smax = Math.abs(d[m]!);
  for (let l = m - 1; l >= 0; l--) {
    const abss = Math.abs(d[l]!);
    const abse = Math.abs(e[l]!);
    if (abse <= thresh) return { split: l, smax };
    smax = Math.max(smax, abss, abse);
  }
  return { split: -1, smax };
}

/**
 * Convergence tests of the block d[ll…m], including the relative-accuracy recurrence of
 * Demmel and Kahan: sets a negligible superdiagonal entry to zero and returns undefined
 * (the block split), else returns the estimate of its smallest singular value.
 */
function convergenceTest(d: Float64Array, e: Float64Array, ll: number, m: number, direction: Direction, tol: number): number | undefined {
  let mu: number;
  let sminl: number;
  if (direction === 1) {
    if (Math.abs(e[m - 1]!) <= tol * Math.abs(d[m]!)) {
      e[m - 1] = 0;
      return undefined;
    }
    mu = Math.abs(d[ll]!);
    sminl = mu;
    for (let l = ll; l < m; l++) {
      if (Math.abs(e[l]!) <= tol * mu) {
        e[l] = 0;
        return undefined;
      }
      mu = Math.abs(d[l + 1]!) * (mu / (mu + Math.abs(e[l]!)));
      sminl = Math.min(sminl, mu);
    }
  } else {
    if (Math.abs(e[ll]!) <= tol * Math.abs(d[ll]!)) {
      e[ll] = 0;
      return undefined;
    }
    mu = Math.abs(d[m]!);
    sminl = mu;
    for (let l = m - 1; l >= ll; l--) {
      if (Math.abs(e[l]!) <= tol * mu) {
        e[l] = 0;
        return undefined;
      }
      mu = Math.abs(d[l]!) * (mu / (mu + Math.abs(e[l]!)));
      sminl = Math.min(sminl, mu);
    }
  }
  return sminl;
}

/**
 * The shift: zero when it would not help relative accuracy (`zero`, or when it is
 * negligible next to the block's end), else the smaller singular value of the trailing
 * (or leading) 2×2 block.
 */
function chooseShift(d: Float64Array, e: Float64Array, ll: number, m: number, direction: Direction, zero: boolean): number {
  if (zero) return 0;
  let sll: number;
  let shift: number;
  if (direction === 1) {
    sll = Math.abs(d[ll]!);
    shift = smallerSingularValue2x2(d[m - 1]!, e[m - 1]!, d[m]!);
  } else {
    sll = Math.abs(d[m]!);
    shift = smallerSingularValue2x2(d[ll]!, e[ll]!, d[ll + 1]!);
  }
  if (sll > 0 && (shift / sll) ** 2 < EPS) shift = 0;
  return shift;
}

/** Demmel–Kahan zero-shift QR sweep of d[ll…m], top to bottom. */
function zeroShiftSweepDown(w: Work, ll: number, m: number): void {
  const { d, e, cs1, sn1, cs2, sn2 } = w;
  let cs = 1;
  let oldcs = 1;
  let oldsn = 0;
  for (let i = ll; i < m; i++) {
    makeRotation(d[i]! * cs, e[i]!);
    cs = rotation[0]!;
    const sn = rotation[1]!;
    const r = rotation[2]!;
    if (i > ll) e[i - 1] = oldsn * r;
    makeRotation(oldcs * r, d[i + 1]! * sn);
    oldcs = rotation[0]!;
    oldsn = rotation[1]!;
    d[i] = rotation[2]!;
    cs1[i - ll] = cs;
    sn1[i - ll] = sn;
    cs2[i - ll] = oldcs;
    sn2[i - ll] = oldsn;
  }
  const h = d[m]! * cs;
  d[m] = h * oldcs;
  e[m - 1] = h * oldsn;
  rotateRows(w.vt, w.vtCols, ll, m - ll, cs1, sn1, true);
  rotateRows(w.ut, w.utCols, ll, m - ll, cs2, sn2, true);
  if (Math.abs(e[m - 1]!) <= w.thresh) e[m - 1] = 0;
}

/** Demmel–Kahan zero-shift QR sweep of d[ll…m], bottom to top. */
function zeroShiftSweepUp(w: Work, ll: number, m: number): void {
  const { d, e, cs1, sn1, cs2, sn2 } = w;
  let cs = 1;
  let oldcs = 1;
  let oldsn = 0;
  for (let i = m; i > ll; i--) {
    makeRotation(d[i]! * cs, e[i - 1]!);
    cs = rotation[0]!;
    const sn = rotation[1]!;
    const r = rotation[2]!;
    if (i < m) e[i] = oldsn * r;
    makeRotation(oldcs * r, d[i - 1]! * sn);
    oldcs = rotation[0]!;
    oldsn = rotation[1]!;
    d[i] = rotation[2]!;
    const j = i - ll - 1;
    cs1[j] = cs;
    sn1[j] = -sn;
    cs2[j] = oldcs;
    sn2[j] = -oldsn;
  }
  const h = d[ll]! * cs;
  d[ll] = h * oldcs;
  e[ll] = h * oldsn;
  rotateRows(w.vt, w.vtCols, ll, m - ll, cs2, sn2, false);
  rotateRows(w.ut, w.utCols, ll, m - ll, cs1, sn1, false);
  if (Math.abs(e[ll]!) <= w.thresh) e[ll] = 0;
}

/** Implicit-shift QR sweep of d[ll…m], chasing the bulge top to bottom. */
function shiftedSweepDown(w: Work, ll: number, m: number, shift: number): void {
  const { d, e, cs1, sn1, cs2, sn2 } = w;
  let f = (Math.abs(d[ll]!) - shift) * ((d[ll]! >= 0 ? 1 : -1) + shift / d[ll]!);
  let g = e[ll]!;
  for (let i = ll; i < m; i++) {
    makeRotation(f, g);
    const cosr = rotation[0]!;
    const sinr = rotation[1]!;
    if (i > ll) e[i - 1] = rotation[2]!;
    f = cosr * d[i]! + sinr * e[i]!;
    e[i] = cosr * e[i]! - sinr * d[i]!;
    g = sinr * d[i + 1]!;
    d[i + 1] = cosr * d[i + 1]!;
    makeRotation(f, g);
    const cosl = rotation[0]!;
    const sinl = rotation[1]!;
    d[i] = rotation[2]!;
    f = cosl * e[i]! + sinl * d[i + 1]!;
    d[i + 1] = cosl * d[i + 1]! - sinl * e[i]!;
    if (i < m - 1) {
      g = sinl * e[i + 1]!;
      e[i + 1] = cosl * e[i + 1]!;
    }
    cs1[i - ll] = cosr;
    sn1[i - ll] = sinr;
    cs2[i - ll] = cosl;
    sn2[i - ll] = sinl;
  }
  e[m - 1] = f;
  rotateRows(w.vt, w.vtCols, ll, m - ll, cs1, sn1, true);
  rotateRows(w.ut, w.utCols, ll, m - ll, cs2, sn2, true);
  if (Math.abs(e[m - 1]!) <= w.thresh) e[m - 1] = 0;
}

/** Implicit-shift QR sweep of d[ll…m], chasing the bulge bottom to top. */
function shiftedSweepUp(w: Work, ll: number, m: number, shift: number): void {
  const { d, e, cs1, sn1, cs2, sn2 } = w;
  let f = (Math.abs(d[m]!) - shift) * ((d[m]! >= 0 ? 1 : -1) + shift / d[m]!);
  let g = e[m - 1]!;
  for (let i = m; i > ll; i--) {
    makeRotation(f, g);
    const cosr = rotation[0]!;
    const sinr = rotation[1]!;
    if (i < m) e[i] = rotation[2]!;
    f = cosr * d[i]! + sinr * e[i - 1]!;
    e[i - 1] = cosr * e[i - 1]! - sinr * d[i]!;
    g = sinr * d[i - 1]!;
    d[i - 1] = cosr * d[i - 1]!;
    makeRotation(f, g);
    const cosl = rotation[0]!;
    const sinl = rotation[1]!;
    d[i] = rotation[2]!;
    f = cosl * e[i - 1]! + sinl * d[i - 1]!;
    d[i - 1] = cosl * d[i - 1]! - sinl * e[i - 1]!;
    if (i > ll + 1) {
      g = sinl * e[i - 2]!;
      e[i - 2] = cosl * e[i - 2]!;
    }
    const j = i - ll - 1;
    cs1[j] = cosr;
    sn1[j] = -sinr;
    cs2[j] = cosl;
    sn2[j] = -sinl;
  }
  e[ll] = f;
  if (Math.abs(e[ll]!) <= w.thresh) e[ll] = 0;
  rotateRows(w.ut, w.utCols, ll, m - ll, cs1, sn1, false);
  rotateRows(w.vt, w.vtCols, ll, m - ll, cs2, sn2, false);
}

/** Smaller singular value of the upper triangular [[f, g], [0, h]], without over/underflow (LAPACK's las2). */
export function smallerSingularValue2x2(f: number, g: number, h: number): number {
  const fa = Math.abs(f);
  const ga = Math.abs(g);
  const ha = Math.abs(h);
  const fhmn = Math.min(fa, ha);
  const fhmx = Math.max(fa, ha);
  if (fhmn === 0) return 0;
  if (ga < fhmx) {
    const as = 1 + fhmn / fhmx;
    const at = (fhmx - fhmn) / fhmx;
    const au = (ga / fhmx) ** 2;
    const c = 2 / (Math.sqrt(as * as + au) + Math.sqrt(at * at + au));
    return fhmn * c;
  }
  const au = fhmx / ga;
  if (au === 0) return (fhmn * fhmx) / ga;
  const as = 1 + fhmn / fhmx;
  const at = (fhmx - fhmn) / fhmx;
  const c = 1 / (Math.sqrt(1 + (as * au) ** 2) + Math.sqrt(1 + (at * au) ** 2));
  return 2 * (fhmn * c) * au;
}
