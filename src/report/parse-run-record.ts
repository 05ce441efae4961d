/**
 * Checks a value read from a run.json against the {@link RunRecord} layout, so that a report
 * is drawn only from a record whose every part has the expected types. Errors name the first
 * bad field by its path (`sections[1].roc.fpr[3]`).
 */
import { RUN_RECORD_VERSION, type RunKind, type RunRecord } from './run-record.js';

const KINDS: readonly RunKind[] = ['train', 'anomaly', 'search', 'complete', 'decompose', 'demo'];

/** A run record that does not have the expected layout; `field` is the path of the first bad field. */
export class RunRecordError extends Error {
  constructor(readonly field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.name = 'RunRecordError';
  }
}

type Obj = Record<string, unknown>;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

function object(v: unknown, at: string): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new RunRecordError(at, `expected an object, got ${describe(v)}`);
  return v as Obj;
}

function array(v: unknown, at: string): unknown[] {
  if (!Array.isArray(v)) throw new RunRecordError(at, `expected an array, got ${describe(v)}`);
  return v;
}

function string(v: unknown, at: string): string {
  if (typeof v !== 'string') throw new RunRecordError(at, `expected a string, got ${describe(v)}`);
  return v;
}

/** A number; JSON has no NaN or Infinity, so `null` stands for a figure that was not finite. */
function number(v: unknown, at: string): number {
  if (v === null) return Number.NaN;
  if (typeof v !== 'number') throw new RunRecordError(at, `expected a number, got ${describe(v)}`);
  return v;
}

function numbers(v: unknown, at: string): number[] {
  return array(v, at).map((x, i) => number(x, `${at}[${i}]`));
}

function int(v: unknown, at: string, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new RunRecordError(at, `expected an integer ≥ ${min}, got ${describe(v)}`);
  return v;
}

function optional<T>(o: Obj, key: string, at: string, read: (v: unknown, at: string) => T): T | undefined {
  return o[key] === undefined ? undefined : read(o[key], `${at}${key}`);
}

/** An array of objects, each read by `read` with its own path (`at[i]`). */
function objects<T>(v: unknown, at: string, read: (o: Obj, at: string) => T): T[] {
  return array(v, at).map((x, i) => read(object(x, `${at}[${i}]`), `${at}[${i}]`));
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function history(v: unknown, at: string): RunRecord['history'] {
  return objects(v, at, (o, w) => {
    const out: { epoch: number; [k: string]: number } = { epoch: int(o['epoch'], `${w}.epoch`, 0) };
    for (const [k, x] of Object.entries(o)) out[k] = number(x, `${w}.${k}`);
    return out;
  });
}

function network(v: unknown, at: string): NonNullable<RunRecord['networks']>[number] {
  const o = object(v, at);
  const dims = array(o['dims'], `${at}.dims`).map((d, i) => int(d, `${at}.dims[${i}]`, 1));
  const ranks = array(o['ranks'], `${at}.ranks`).map((row, i) => {
    const r = array(row, `${at}.ranks[${i}]`).map((x, j) => int(x, `${at}.ranks[${i}][${j}]`, 0));
    if (r.length !== dims.length) throw new RunRecordError(`${at}.ranks[${i}]`, `expected ${dims.length} entries (one per core), got ${r.length}`);
    return r;
  });
  if (ranks.length !== dims.length) throw new RunRecordError(`${at}.ranks`, `expected ${dims.length} rows (one per core), got ${ranks.length}`);
  for (let i = 0; i < dims.length; i++) {
    for (let j = i + 1; j < dims.length; j++) {
      if (ranks[i]![j] !== ranks[j]![i]) throw new RunRecordError(`${at}.ranks[${i}][${j}]`, `not symmetric: ${ranks[i]![j]} but ranks[${j}][${i}] is ${ranks[j]![i]}`);
    }
  }
  return { label: string(o['label'], `${at}.label`), dims, ranks };
}

function method(v: unknown, at: string): NonNullable<RunRecord['methods']>[number] {
  const o = object(v, at);
  const points = objects(o['points'], `${at}.points`, (q, w) => ({
    seconds: number(q['seconds'], `${w}.seconds`), cr: number(q['cr'], `${w}.cr`), rse: number(q['rse'], `${w}.rse`), params: number(q['params'], `${w}.params`),
  }));
  return { method: string(o['method'], `${at}.method`), points };
}

function spectra(v: unknown, at: string): NonNullable<RunRecord['spectra']>[number] {
  const o = object(v, at);
  const bonds = objects(o['bonds'], `${at}.bonds`, (q, w) => {
    const e = array(q['edge'], `${w}.edge`);
    if (e.length !== 2) throw new RunRecordError(`${w}.edge`, `expected two core indices, got ${e.length}`);
    const edge: [number, number] = [int(e[0], `${w}.edge[0]`, 0), int(e[1], `${w}.edge[1]`, 0)];
    return { edge, values: numbers(q['values'], `${w}.values`) };
  });
  return { label: string(o['label'], `${at}.label`), bonds };
}

function imageRow(v: unknown, at: string): NonNullable<RunRecord['images']>[number] {
  const o = object(v, at);
  const items = objects(o['items'], `${at}.items`, (q, w) => {
    const png = string(q['png'], `${w}.png`);
    if (!BASE64.test(png)) throw new RunRecordError(`${w}.png`, 'expected base64 PNG bytes');
    return { caption: string(q['caption'], `${w}.caption`), png };
  });
  return { label: string(o['label'], `${at}.label`), items };
}

function list<T>(read: (v: unknown, at: string) => T) {
  return (v: unknown, at: string): T[] => array(v, at).map((x, i) => read(x, `${at}[${i}]`));
}

function record(value: unknown, at: string): RunRecord {
  const o = object(value, at || 'record');
  const p = at === '' ? '' : `${at}.`;
  const version = o['version'];
  if (typeof version !== 'number' || !Number.isInteger(version)) throw new RunRecordError(`${p}version`, `expected an integer, got ${describe(version)}`);
  if (version > RUN_RECORD_VERSION) throw new RunRecordError(`${p}version`, `${version} is newer than this tnkit reads (${RUN_RECORD_VERSION}); update tnkit`);
  if (version < 1) throw new RunRecordError(`${p}version`, `expected ${RUN_RECORD_VERSION}, got ${version}`);
  const kind = string(o['kind'], `${p}kind`) as RunKind;
  if (!KINDS.includes(kind)) throw new RunRecordError(`${p}kind`, `'${kind}' is not one of ${KINDS.join(', ')}`);
  const fields: Partial<Record<keyof RunRecord, unknown>> = {
    version: RUN_RECORD_VERSION,
    kind,
    title: string(o['title'], `${p}title`),
    summary: object(o['summary'], `${p}summary`),
    command: optional(o, 'command', p, string),
    startedAt: optional(o, 'startedAt', p, string),
    history: optional(o, 'history', p, history),
    roc: optional(o, 'roc', p, (v, w) => {
      const r = object(v, w);
      const fpr = numbers(r['fpr'], `${w}.fpr`);
      const tpr = numbers(r['tpr'], `${w}.tpr`);
      if (fpr.length !== tpr.length) throw new RunRecordError(`${w}.tpr`, `expected ${fpr.length} entries (as many as fpr), got ${tpr.length}`);
      return { fpr, tpr, auc: number(r['auc'], `${w}.auc`) };
    }),
    scores: optional(o, 'scores', p, (v, w) => {
      const r = object(v, w);
      return { normal: numbers(r['normal'], `${w}.normal`), anomalous: numbers(r['anomalous'], `${w}.anomalous`) };
    }),
    networks: optional(o, 'networks', p, list(network)),
    methods: optional(o, 'methods', p, list(method)),
    spectra: optional(o, 'spectra', p, list(spectra)),
    images: optional(o, 'images', p, list(imageRow)),
    sections: optional(o, 'sections', p, list(record)),
  };
  // The known fields, in the order the input has them (a saved record reads back byte for byte).
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(o)) {
    const value = fields[key as keyof RunRecord];
    if (value !== undefined) out[key] = value;
  }
  return out as unknown as RunRecord;
}

/**
 * Checks that `value` (parsed JSON) is a {@link RunRecord} and returns a copy holding only the
 * known fields.
 * @throws RunRecordError naming the first bad field (`roc.tpr`, `sections[0].kind`, …).
 */
export function parseRunRecord(value: unknown): RunRecord {
  return record(value, '');
}
