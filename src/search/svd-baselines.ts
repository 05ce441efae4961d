/** TT-SVD and TR-SVD with an error bound, as search baselines (one evaluation each, no fitting). */
import { trSvd } from '../decompose/tr-svd.js';
import { ttSvd } from '../decompose/tt-svd.js';
import type { Evaluation, Evaluator } from './evaluator.js';
import { structureSize } from './structure.js';

/** TT-SVD at the evaluator's target; recorded in the evaluator (a warm start for others). */
export function ttSvdStructure(ev: Evaluator): Evaluation {
  if (ev.options.mask !== undefined) throw new Error('ttsvd: TT-SVD needs a fully observed tensor; use another method with --mask/--missing');
  const tt = ttSvd(ev.x, { rse: ev.rse });
  const e: Evaluation = { R: tt.rankMatrix, ...structureSize(tt.rankMatrix, ev.dims), rse: tt.rse, cores: tt.cores };
  ev.evaluations++;
  ev.record(e);
  return e;
}

/** TR-SVD at the evaluator's target (order ≥ 3). */
export function trSvdStructure(ev: Evaluator): Evaluation {
  if (ev.options.mask !== undefined) throw new Error('trsvd: TR-SVD needs a fully observed tensor; use another method with --mask/--missing');
  const tr = trSvd(ev.x, { rse: ev.rse });
  const e: Evaluation = { R: tr.rankMatrix, ...structureSize(tr.rankMatrix, ev.dims), rse: tr.rse, cores: tr.cores };
  ev.evaluations++;
  ev.record(e);
  return e;
}
