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

/** Parses a positive integer flag value, naming the flag on error. */
export function positiveInt(value: string | undefined, flag: string): number {
  const n = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isInteger(n) || n < 1) throw new Error(`${flag}: '${value}' is not a positive integer`);
  return n;
}

/** Parses a non-negative integer flag value, naming the flag on error. */
export function nonNegativeInt(value: string | undefined, flag: string): number {
  const n = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isInteger(n) || n < 0) throw new Error(`${flag}: '${value}' is not a non-negative integer`);
  return n;
}

/** Parses a positive (or, with allowZero, non-negative) finite number, naming the flag on error. */
export function positiveNumber(value: string | undefined, flag: string, allowZero = false): number {
  const n = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) throw new Error(`${flag}: '${value}' is not a ${allowZero ? 'non-negative' : 'positive'} number`);
  return n;
}
