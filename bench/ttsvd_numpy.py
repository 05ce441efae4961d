#!/usr/bin/env python3
"""numpy reference for `node bench/decompose.mjs`: a short TT-SVD (Oseledets) timed.

Usage: ttsvd_numpy.py TENSOR.npy REL_TOL
Prints JSON {"ms": median milliseconds, "ranks": [...], "rse": ...} on stdout. Run it
single-threaded (OPENBLAS_NUM_THREADS=1) so the comparison with tnkit's one-thread
kernels is fair. The algorithm is the same as tnkit's ttSvd: truncated SVD of each
unfolding with the error budget rel_tol*||X||/sqrt(N-1) per step.
"""
import json
import sys
import time

import numpy as np

from numpy_kernels import median_ms  # same folder: one timing rule for every numpy reference


def tt_svd(x, rel_tol):
    dims = x.shape
    n = len(dims)
    budget_sq = (rel_tol ** 2) * float(np.vdot(x, x)) / (n - 1)
    cores, ranks = [], []
    rest = x.reshape(dims[0], -1)
    left = 1
    discarded = 0.0
    for k in range(n - 1):
        rest = rest.reshape(left * dims[k], -1)
        u, s, vt = np.linalg.svd(rest, full_matrices=False)
        tail = np.cumsum((s ** 2)[::-1])[::-1]  # tail[r] = sum_{i>=r} s_i^2
        r = int(np.sum(tail > budget_sq))
        r = max(1, r)
        discarded += float(tail[r]) if r < len(s) else 0.0
        cores.append(u[:, :r].reshape(left, dims[k], r))
        rest = s[:r, None] * vt[:r]
        ranks.append(r)
        left = r
    cores.append(rest.reshape(left, dims[-1], 1))
    return cores, ranks, discarded


def main():
    x = np.load(sys.argv[1])
    rel_tol = float(sys.argv[2])
    _, ranks, discarded = tt_svd(x, rel_tol)
    ms = median_ms(lambda: tt_svd(x, rel_tol), min_seconds=1.0, max_reps=50)
    rse = (discarded / float(np.vdot(x, x))) ** 0.5
    print(json.dumps({"ms": ms, "ranks": ranks, "rse": rse, "numpy": np.__version__}))


if __name__ == "__main__":
    main()
