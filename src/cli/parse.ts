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
