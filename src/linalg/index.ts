/**
 * Dense linear algebra on 2-D tensors: products, QR, SVD (full, truncated and
 * randomized) and symmetric eigendecomposition. Every routine runs on the active kernel:
 * LAPACK where the native backend provides it, TypeScript factorizations over the
 * kernel's gemm elsewhere.
 * @packageDocumentation
 */
export { matmul, type MatmulOptions } from './matmul.js';
export { qr, qrArrays, type QrFactors } from './qr.js';
export { svd, svdArrays, type SvdFactors } from './svd.js';
export { eigh, eighArrays, type EighFactors, type EighOptions } from './eigh.js';
export { truncatedSvd, type TruncatedSvd, type TruncatedSvdOptions } from './truncated-svd.js';
export { randomizedSvd, type RandomizedSvdOptions } from './randomized-svd.js';
