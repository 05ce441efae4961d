/**
 * The compression worker: loads the wasm kernel, builds the tensor from the dropped file
 * (image-tensor.ts), runs RGTN (`search('rgtn', …)`) on the wasm backend and posts each
 * structure it reaches, with its reconstruction, so the page draws the search live.
 */
import { contractCores, max, min, parseNpy, search, type Tensor, type Evaluation } from 'tnkit/browser';
import { decodeGreyPng, type GreyImage, greyFromMatrix, imageTensor, unfoldImage } from './image-tensor.js';
import type { CompressReply, CompressRequest, Picture } from './messages.js';
import { serveRequests } from './worker-requests.js';

const post = (m: CompressReply): void => postMessage(m);

/** At most this many entries for a tensor given as is (order ≥ 3 .npy), so a search stays in seconds to minutes. */
const MAX_ENTRIES = 1 << 20;

function picture(square: Tensor, lo: number, hi: number): Picture {
  return { height: square.shape[0]!, width: square.shape[1]!, pixels: Float64Array.from(square.astype('f64').toTypedArray()), lo, hi };
}

/** The tensor to compress, and (for images) how to show a tensor of its shape as a picture. */
function prepare(req: CompressRequest): { x: Tensor; show?: (t: Tensor) => Picture; original?: Picture } {
  const { input } = req;
  let grey: GreyImage;
  if (input.kind === 'png') grey = decodeGreyPng(input.bytes, input.name);
  else {
    const t = parseNpy(input.bytes);
    if (t.ndim !== 2) {
      if (t.ndim < 2) throw new RangeError(`${input.name}: RGTN needs a tensor of order ≥ 2, got shape [${t.shape.join(', ')}]`);
      if (t.size > MAX_ENTRIES) throw new RangeError(`${input.name}: ${t.size} entries is more than this page compresses (${MAX_ENTRIES}); use the tnkit command line`);
      return { x: t.astype('f64') };
    }
    grey = greyFromMatrix(t);
  }
  const { square, x } = imageTensor(grey, req.size);
  const lo = min(square);
  const hi = max(square);
  const show = (t: Tensor): Picture => picture(unfoldImage(t), lo, hi);
  return { x, show, original: picture(square, lo, hi) };
}

function compress(req: CompressRequest): void {
  const { x, show, original } = prepare(req);
  post({ type: 'prepared', dims: [...x.shape], entries: x.size, ...(original ? { original } : {}) });
  post({ type: 'log', text: `tensor [${x.shape.join(', ')}] (${x.size} entries), target RSE ${req.target}, seed ${req.seed}, backend wasm` });
  post({ type: 'log', text: 'fitting the starting structures (TT-SVD, rings)…' });
  const onStep = (e: Evaluation, at: { scale: number; seconds: number }): void => {
    post({ type: 'log', text: `${at.seconds.toFixed(2)} s: ${e.params} parameters, CR ${e.cr.toPrecision(4)}, RSE ${e.rse.toPrecision(4)}` });
    post({
      type: 'step', seconds: at.seconds, params: e.params, cr: e.cr, rse: e.rse, dims: [...x.shape], ranks: e.R.map((r) => [...r]),
      ...(show ? { picture: show(contractCores(e.cores, e.R)) } : {}),
    });
  };
  const result = search('rgtn', x, { rse: req.target, seed: req.seed, rgtn: { onStep } });
  post({ type: 'log', text: `done in ${result.seconds.toFixed(2)} s: ${result.params} parameters, CR ${result.cr.toPrecision(4)}, RSE ${result.rse.toPrecision(4)}, ${result.evaluations} evaluations` });
  post({
    type: 'done', seconds: result.seconds, params: result.params, cr: result.cr, rse: result.rse, evaluations: result.evaluations,
    dims: [...x.shape], ranks: result.ranks, feasible: result.feasible,
    ...(show ? { picture: show(contractCores(result.cores, result.ranks)) } : {}),
  });
}

serveRequests<CompressRequest>(compress);
