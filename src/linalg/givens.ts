/** Plane (Givens) rotations: generation and application to pairs of matrix rows. */

/** Output slots of {@link makeRotation}: cosine, sine, and the rotated length r. */
export const rotation = new Float64Array(3);

/**
 * Writes c, s, r into {@link rotation} with c·f + s·g = r and −s·f + c·g = 0, c ≥ 0
 * (r carries the sign of f). Avoids allocating: it runs once per bulge-chasing step.
 */
export function makeRotation(f: number, g: number): void {
  if (g === 0) {
    rotation[0] = 1;
    rotation[1] = 0;
    rotation[2] = f;
  } else if (f === 0) {
    rotation[0] = 0;
    rotation[1] = g > 0 ? 1 : -1;
    rotation[2] = Math.abs(g);
  } else {
    let h = Math.sqrt(f * f + g * g);
    // The plain formula over- or underflows only for extreme inputs; hypot rescales.
    if (!(h > 1e-150 && h < 1e150)) h = Math.hypot(f, g);
    const r = f > 0 ? h : -h;
    rotation[0] = Math.abs(f) / h;
    rotation[1] = g / r;
    rotation[2] = r;
  }
}

/**
 * Applies the rotations j = 0…count−1 to rows (first + j, first + j + 1) of a row-major
 * matrix with `cols` columns: row_{j+1} ← c·row_{j+1} − s·row_j, row_j ← s·row_{j+1} + c·row_j.
 * `forward` applies them in increasing j, otherwise decreasing (LAPACK's dlasr 'L','V').
 */
export function rotateRows(
  M: Float64Array, cols: number, first: number, count: number,
  cs: Float64Array, sn: Float64Array, forward: boolean,
): void {
  // Rotations go in pairs over three rows: one load and one store per element and
  // rotation instead of two, which is most of the cost in plain JavaScript.
  let t = 0;
  for (; t + 1 < count; t += 2) {
    const j = forward ? t : count - 2 - t; // the pair (j, j + 1)
    const c0 = cs[j]!;
    const s0 = sn[j]!;
    const c1 = cs[j + 1]!;
    const s1 = sn[j + 1]!;
    const r0 = (first + j) * cols;
    const r1 = r0 + cols;
    const r2 = r1 + cols;
    if (forward) {
      for (let q = 0; q < cols; q++) {
        const x = M[r0 + q]!;
        const y = M[r1 + q]!;
        const z = M[r2 + q]!;
        const y1 = c0 * y - s0 * x;
        M[r0 + q] = s0 * y + c0 * x;
        M[r2 + q] = c1 * z - s1 * y1;
        M[r1 + q] = s1 * z + c1 * y1;
      }
    } else {
      for (let q = 0; q < cols; q++) {
        const x = M[r0 + q]!;
        const y = M[r1 + q]!;
        const z = M[r2 + q]!;
        const y1 = s1 * z + c1 * y;
        M[r2 + q] = c1 * z - s1 * y;
        M[r1 + q] = c0 * y1 - s0 * x;
        M[r0 + q] = s0 * y1 + c0 * x;
      }
    }
  }
  if (t < count) {
    const j = forward ? t : 0; // the one left over: last going forward, first going backward
    rotatePair(M, cols, first + j, cs[j]!, sn[j]!);
  }
}

/** Rotates rows (r, r + 1): row_{r+1} ← c·row_{r+1} − s·row_r, row_r ← s·row_{r+1} + c·row_r. */
function rotatePair(M: Float64Array, cols: number, r: number, c: number, s: number): void {
  if (c === 1 && s === 0) return;
  const r0 = r * cols;
  const r1 = r0 + cols;
  for (let q = 0; q < cols; q++) {
    const x = M[r0 + q]!;
    const y = M[r1 + q]!;
    M[r1 + q] = c * y - s * x;
    M[r0 + q] = s * y + c * x;
  }
}
