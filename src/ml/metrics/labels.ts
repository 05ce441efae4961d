/** Checks a pair of label arrays: same length, non-empty, integer entries; names the first bad entry. */
export function checkLabelPair(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, who: string): void {
  if (yTrue.length !== yPred.length) throw new RangeError(`${who}: ${yTrue.length} true labels but ${yPred.length} predictions`);
  if (yTrue.length === 0) throw new RangeError(`${who}: needs at least one sample`);
  checkIntegerLabels(yTrue, 'yTrue', who);
  checkIntegerLabels(yPred, 'yPred', who);
}

/** Throws unless every entry is a non-negative integer. */
export function checkIntegerLabels(y: ArrayLike<number>, name: string, who: string): void {
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`${who}: ${name}[${i}] is ${v}; class labels must be integers ≥ 0`);
  }
}

/** 1 + the largest label in either array. */
export function inferClassCount(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = -1;
  for (let i = 0; i < a.length; i++) m = Math.max(m, a[i]!);
  for (let i = 0; i < b.length; i++) m = Math.max(m, b[i]!);
  return m + 1;
}
