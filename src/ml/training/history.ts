/** One row of training history: the epoch (1-based) and named figures (loss, val_loss, val_accuracy, lr, seconds…). */
export interface EpochRecord {
  epoch: number;
  [metric: string]: number;
}

/** The history as CSV: a header of every metric seen (epoch first), one row per epoch, empty cells where a metric is absent. */
export function historyToCsv(history: readonly EpochRecord[]): string {
  const columns = ['epoch'];
  for (const r of history) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
  const rows = history.map((r) => columns.map((c) => (r[c] === undefined ? '' : String(r[c]))).join(','));
  return [columns.join(','), ...rows].join('\n') + '\n';
}

/** The history as pretty-printed JSON (an array of records). */
export function historyToJson(history: readonly EpochRecord[]): string {
  return JSON.stringify(history, null, 2) + '\n';
}

/** Checks and copies a history read from a file, naming the first bad record. */
export function parseHistory(value: unknown, where: string): EpochRecord[] {
  if (!Array.isArray(value)) throw new TypeError(`${where}: expected an array of epoch records`);
  return value.map((r, i) => {
    if (r === null || typeof r !== 'object') throw new TypeError(`${where}[${i}]: expected an object`);
    const rec = r as Record<string, unknown>;
    for (const [k, v] of Object.entries(rec)) {
      if (typeof v !== 'number') throw new TypeError(`${where}[${i}].${k}: expected a number, got ${JSON.stringify(v)}`);
    }
    if (!Number.isInteger(rec['epoch'])) throw new TypeError(`${where}[${i}].epoch: expected an integer`);
    return { ...(rec as EpochRecord) };
  });
}
