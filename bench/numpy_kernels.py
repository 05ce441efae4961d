#!/usr/bin/env python3
"""numpy reference timings for `tnkit bench kernels`.

Reads a JSON list of cases {op, dtype, size} on stdin and prints a JSON list of
{op, dtype, size, ms} (median of repeated runs). Run single-threaded: the caller sets
OPENBLAS_NUM_THREADS=1 so the comparison with tnkit's one-thread kernels is fair.
"""
import json
import sys
import time

import numpy as np


def median_ms(fn, min_seconds=0.3, min_reps=3, max_reps=200):
    fn()  # warm-up
    times = []
    start = time.perf_counter()
    while len(times) < min_reps or time.perf_counter() - start < min_seconds:
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
        if len(times) >= max_reps:
            break
    times.sort()
    return times[len(times) // 2]


def case_fn(case, rng):
    op, dtype, size = case["op"], case["dtype"], case["size"]
    dt = np.float64 if dtype == "f64" else np.float32
    dims = [] if op == "einsum" else [int(x) for x in size.split("x")]
    if op == "gemm":
        m, k, n = dims * 3 if len(dims) == 1 else dims
        a = rng.standard_normal((m, k)).astype(dt)
        b = rng.standard_normal((k, n)).astype(dt)
        return lambda: a @ b
    if op == "gemm_batched":
        batch, m, k, n = dims
        a = rng.standard_normal((batch, m, k)).astype(dt)
        b = rng.standard_normal((batch, k, n)).astype(dt)
        return lambda: np.matmul(a, b)
    if op == "svd":
        m, n = dims
        a = rng.standard_normal((m, n)).astype(dt)
        return lambda: np.linalg.svd(a, full_matrices=False)
    if op == "qr":
        m, n = dims
        a = rng.standard_normal((m, n)).astype(dt)
        return lambda: np.linalg.qr(a)
    if op == "einsum":
        spec, shapes = case["spec"], case["shapes"]
        ops = [rng.standard_normal(tuple(s)).astype(dt) for s in shapes]
        path = np.einsum_path(spec, *ops, optimize="optimal")[0]
        return lambda: np.einsum(spec, *ops, optimize=path)
    raise ValueError(f"unknown op {op}")


def main():
    cases = json.load(sys.stdin)
    rng = np.random.default_rng(0)
    out = []
    for c in cases:
        fn = case_fn(c, rng)
        out.append({"op": c["op"], "dtype": c["dtype"], "size": c["size"], "ms": median_ms(fn)})
    json.dump({"numpy": np.__version__, "rows": out}, sys.stdout)


if __name__ == "__main__":
    main()
