/**
 * Parts of the run records that `search`, `complete` and `decompose` return beside their
 * summaries (src/report/run-record.ts): the found network, each method's trace, the
 * spectra across the network's bonds.
 */
import { compressionRatio } from '../decompose/metrics.js';
import type { RankMatrix } from '../network/rank-matrix.js';
import type { BondSpectra, MethodTrace, NetworkDrawing } from '../report/run-record.js';
import { bondSpectrum } from '../search/bond-ops.js';
import { activeEdges } from '../search/structure.js';
import type { Tensor } from '../tensor/tensor.js';

/** The network to draw: physical dims and the rank matrix (diagonal set to 0, as NetworkDrawing says it is ignored). */
export function networkDrawing(label: string, dims: readonly number[], R: RankMatrix): NetworkDrawing {
  return { label, dims: [...dims], ranks: R.map((row, i) => row.map((r, j) => (i === j ? 0 : r))) };
}

/** One point of a trace. */
export type TracePoint = MethodTrace['points'][number];

/**
 * A method's trace: the dense input at 0 s (params = entries, CR 1, RSE 0), then the
 * points the method reported (RGTN: one per scale; ALS: one per sweep), then the result.
 */
export function methodTrace(method: string, entries: number, end: TracePoint, reported: readonly TracePoint[] = []): MethodTrace {
  const point = (p: TracePoint): TracePoint => ({ seconds: p.seconds, cr: p.cr, rse: p.rse, params: p.params });
  return { method, points: [{ seconds: 0, cr: compressionRatio(entries, entries), rse: 0, params: entries }, ...reported.map(point), point(end)] };
}

/**
 * Singular values across each bond of a rank-matrix network (cores in the
 * `fromRankMatrix` axis convention), largest first. On loops these are estimates
 * (see bondSpectrum).
 */
export function bondSpectra(label: string, cores: readonly Tensor[], R: RankMatrix): BondSpectra {
  const bonds = activeEdges(R).map(([i, j]) => ({
    edge: [i, j] as [number, number],
    values: [...bondSpectrum(cores, R, i, j)].sort((a, b) => b - a),
  }));
  return { label, bonds };
}

/** The command line of this process, as a record's `command`. */
export function commandLine(argv: readonly string[] = process.argv): string {
  return ['tnkit', ...argv.slice(2)].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
