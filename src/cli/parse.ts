/** Parses a comma-separated option value, checking each entry against the allowed set. */
export function parseList(value: string, allowed: readonly string[], flag: string): string[] {
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const item of items) {
    if (!allowed.includes(item)) throw new Error(`${flag}: '${item}' is not one of ${allowed.join(', ')}`);
  }
  return items;
}

/** Parses a comma-separated list of positive integers (a shape), naming the flag on error. */
export function parseShape(value: string, flag: string): number[] {
  const dims = value.split(',').map((s) => Number(s.trim()));
  dims.forEach((d, i) => {
    if (!Number.isInteger(d) || d <= 0) throw new Error(`${flag}: entry ${i} ('${value.split(',')[i]}') is not a positive integer`);
  });
  return dims;
}

/** Parses a number flag, naming the flag and what it needs on error. */
export function numberFlag(value: string | undefined, flag: string, check: (v: number) => boolean, what: string): number {
  const v = Number(value);
  if (value === undefined || value.trim() === '' || !check(v)) throw new Error(`${flag}: '${value}' is not ${what}`);
  return v;
}

/** Parses a positive integer flag value, naming the flag on error. */
export function positiveInt(value: string | undefined, flag: string): number {
  return numberFlag(value, flag, (n) => Number.isInteger(n) && n >= 1, 'a positive integer');
}

/** Parses a non-negative integer flag value, naming the flag on error. */
export function nonNegativeInt(value: string | undefined, flag: string): number {
  return numberFlag(value, flag, (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer');
}

/** Parses a positive (or, with allowZero, non-negative) finite number, naming the flag on error. */
export function positiveNumber(value: string | undefined, flag: string, allowZero = false): number {
  return numberFlag(value, flag, (n) => Number.isFinite(n) && (allowZero ? n >= 0 : n > 0), `a ${allowZero ? 'non-negative' : 'positive'} number`);
}

/**
 * The number of passes over the data: `--epochs` for the gradient trainer, `--sweeps` for
 * the sweep trainer (each refused with the other trainer, naming the right flag); the
 * estimators' `epochs` option counts either.
 */
export function passesFlag(trainer: string, epochs: string | undefined, sweeps: string | undefined, fallback: string): number {
  if (trainer === 'sweep') {
    if (epochs !== undefined) throw new Error(`--epochs ${epochs}: the sweep trainer counts sweeps, not epochs; give --sweeps ${epochs}`);
    return positiveInt(sweeps ?? fallback, '--sweeps');
  }
  if (sweeps !== undefined) throw new Error(`--sweeps ${sweeps}: only --trainer sweep sweeps; the ${trainer} trainer counts --epochs`);
  return positiveInt(epochs ?? fallback, '--epochs');
}
