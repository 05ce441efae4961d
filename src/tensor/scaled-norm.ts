/**
 * Norms, sums of squares and relative errors that neither overflow nor underflow, and
 * exact power-of-two scaling. Every Frobenius norm, tail sum of squared singular values
 * and RSE in the library goes through these.
 *
 * The fast path is the plain sum of squares; only when it overflows, or is so small that
 * underflowed terms could matter, is it redone with every term scaled by a power of two
 * near the largest magnitude (the scaled accumulation of LAPACK's dnrm2, but exact: a
 * power-of-two factor changes no mantissa).
 */

/** An array of numbers read by index (typed arrays and plain arrays). */
type Numbers = ArrayLike<number>;

/** A sum of squares held as (2^exp)²·ssq, so huge and tiny sums stay representable. */
export interface ScaledSumSq {
  /** The power of two the terms were divided by (0 on the fast path). */
  exp: number;
  /** The sum of (x·2^−exp)². */
  ssq: number;
}

/** Largest |2^e| factor a single multiplication may apply (2^1023 is the largest finite power of two). */
const MAX_EXP = 1023;
/** Smallest plain sum of squares per term that cannot have lost a meaningful amount to underflow. */
const TINY_PER_TERM = 2 ** -960;

/** x·2^e, exact unless the result over- or underflows (e may be outside ±1023: applied in steps). */
export function timesPow2(x: number, e: number): number {
  while (e > MAX_EXP) {
    x *= 2 ** MAX_EXP;
    e -= MAX_EXP;
  }
  while (e < -MAX_EXP) {
    // Step down only as far as keeps an intermediate normal value, so rounding happens at most once.
    x *= 2 ** -MAX_EXP;
    e += MAX_EXP;
  }
  return x * 2 ** e;
}

/**
 * The integer e with 2^e ≤ v < 2^(e+1), for a finite v > 0 (subnormals included).
 * @throws RangeError for v ≤ 0, NaN or ±Infinity.
 */
export function exponentOf(v: number): number {
  if (!(v > 0) || v === Infinity) throw new RangeError(`exponentOf: expected a finite positive number, got ${v}`);
  let e = Math.floor(Math.log2(v));
  // log2 can be off by one next to a power of two; fix it exactly.
  const p = timesPow2(1, e);
  if (p > v) e--;
  else if (p * 2 <= v && e < MAX_EXP) e++;
  return e;
}

/**
 * The power-of-two exponent that brings the largest magnitude `big` into [1/2, 1): scaling
 * by 2^(returned) is exact and leaves room for sums of squares of about 2^1000 terms.
 * 0 for big = 0.
 */
export function normalizingExponent(big: number): number {
  return big === 0 ? 0 : -1 - exponentOf(big);
}

/** Multiplies every entry of `x` by 2^e in place (exact except where an entry over- or underflows). */
export function scaleByPow2InPlace(x: { length: number; [i: number]: number }, e: number): void {
  if (e === 0) return;
  if (e <= MAX_EXP && e >= -MAX_EXP) {
    const f = 2 ** e;
    for (let i = 0; i < x.length; i++) x[i] = x[i]! * f;
    return;
  }
  for (let i = 0; i < x.length; i++) x[i] = timesPow2(x[i]!, e);
}

/** Largest |x_i| (NaN if some entry is NaN); 0 for an empty array. */
export function maxAbsOf(x: Numbers): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const v = Math.abs(x[i]!);
    if (v > m) m = v;
    else if (v !== v) return NaN;
  }
  return m;
}

/** Whether a plain sum of `count` squares is free of overflow and of significant underflow. */
function plainSumIsSafe(ss: number, count: number): boolean {
  return ss < Infinity && (ss === 0 ? false : ss >= count * TINY_PER_TERM);
}

/**
 * Σ x_i² (of the entries whose mask byte is `want`, when a mask is given), as scale²·ssq.
 * NaN entries give ssq NaN; an infinite entry gives ssq Infinity.
 */
export function sumSquares(x: Numbers, mask?: Uint8Array, want: 0 | 1 = 1): ScaledSumSq {
  let ss = 0;
  let count = 0;
  for (let i = 0; i < x.length; i++) {
    if (mask !== undefined && mask[i] !== want) continue;
    const v = x[i]!;
    ss += v * v;
    count++;
  }
  if (plainSumIsSafe(ss, count) || ss !== ss) return { exp: 0, ssq: ss };
  let big = 0;
  for (let i = 0; i < x.length; i++) {
    if (mask !== undefined && mask[i] !== want) continue;
    big = Math.max(big, Math.abs(x[i]!));
  }
  if (big === 0) return { exp: 0, ssq: 0 };
  if (big === Infinity) return { exp: 0, ssq: Infinity };
  const e = normalizingExponent(big);
  const f = timesPow2(1, e);
  const exact = e <= MAX_EXP; // 2^e itself is a finite double: one multiplication per term
  ss = 0;
  for (let i = 0; i < x.length; i++) {
    if (mask !== undefined && mask[i] !== want) continue;
    const v = exact ? x[i]! * f : timesPow2(x[i]!, e);
    ss += v * v;
  }
  return { exp: -e, ssq: ss };
}

/**
 * Σ (a_i − b_i)² over the selected entries (see {@link sumSquares}), as scale²·ssq. The
 * differences are formed after scaling, so a − b cannot overflow for finite a and b.
 */
export function sumSquaredDifferences(a: Numbers, b: Numbers, mask?: Uint8Array, want: 0 | 1 = 1): ScaledSumSq {
  let ss = 0;
  let count = 0;
  for (let i = 0; i < b.length; i++) {
    if (mask !== undefined && mask[i] !== want) continue;
    const d = a[i]! - b[i]!;
    ss += d * d;
    count++;
  }
  if (plainSumIsSafe(ss, count) || ss !== ss) return { exp: 0, ssq: ss };
  let big = 0;
  for (let i = 0; i < b.length; i++) {
    if (mask !== undefined && mask[i] !== want) continue;
    big = Math.max(big, Math.abs(a[i]!), Math.abs(b[i]!));
  }
  if (big === 0) return { exp: 0, ssq: 0 };
  if (big === Infinity) return { exp: 0, ssq: Infinity };
  const e = normalizingExponent(big);
  ss = 0;
  for (let i = 0; i < b.length; i++) {
    if (mask !== undefined && mask[i] !== want) continue;
    const d = timesPow2(a[i]!, e) - timesPow2(b[i]!, e);
    ss += d * d;
  }
  return { exp: -e, ssq: ss };
}

/** √((2^exp)²·ssq): the norm a scaled sum of squares stands for (Infinity when it overflows). */
export function rootOf(s: ScaledSumSq): number {
  return timesPow2(Math.sqrt(s.ssq), s.exp);
}

/** The Frobenius (2-)norm of an array, without overflow or underflow. */
export function frobeniusNorm(x: Numbers): number {
  return rootOf(sumSquares(x));
}

/** √(num/den) for two scaled sums of squares: 0 when both are 0, Infinity when only den is. */
export function rootRatio(num: ScaledSumSq, den: ScaledSumSq): number {
  if (den.ssq === 0) return num.ssq === 0 ? 0 : Infinity;
  return timesPow2(Math.sqrt(num.ssq / den.ssq), num.exp - den.exp);
}

/**
 * ‖model − x‖/‖x‖ over the entries whose mask byte is `want` (all without a mask),
 * computed without overflow or underflow at any scale. 0 when both are 0, Infinity when
 * only the reference is, NaN only when an input has NaN.
 */
export function relativeError(model: Numbers, x: Numbers, mask?: Uint8Array, want: 0 | 1 = 1): number {
  // Both plain sums in one pass; when either needs scaling, the two scaled sums redo it.
  let err = 0;
  let ref = 0;
  let count = 0;
  for (let i = 0; i < x.length; i++) {
    if (mask !== undefined && mask[i] !== want) continue;
    const v = x[i]!;
    const d = model[i]! - v;
    err += d * d;
    ref += v * v;
    count++;
  }
  if ((plainSumIsSafe(err, count) || err !== err) && (plainSumIsSafe(ref, count) || ref !== ref)) {
    return rootRatio({ exp: 0, ssq: err }, { exp: 0, ssq: ref });
  }
  return rootRatio(sumSquaredDifferences(model, x, mask, want), sumSquares(x, mask, want));
}

/**
 * Tail sums of squares of non-negative values in descending order, relative to the
 * largest: tail[r] = Σ_{i≥r} (s_i·2^−exp)², summed from the smallest up, with 2^exp > s_0
 * — so the tails of singular values near 10^±300 neither overflow nor vanish. tail has
 * s.length + 1 entries (the last 0); a tail's norm is timesPow2(√tail[r], exp).
 */
export function scaledTailSums(s: Numbers): { exp: number; tail: Float64Array } {
  const k = s.length;
  const tail = new Float64Array(k + 1);
  const big = maxAbsOf(s);
  const e = big > 0 && big < Infinity ? normalizingExponent(big) : 0;
  for (let i = k - 1; i >= 0; i--) {
    const v = timesPow2(s[i]!, e);
    tail[i] = tail[i + 1]! + v * v;
  }
  return { exp: -e, tail };
}
