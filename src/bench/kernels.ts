import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { randn } from '../tensor/create.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import type { BackendName } from '../kernels/kernel.js';
import { availableBackends, getBackend, withBackend } from '../kernels/registry.js';
import { qr, svd } from '../linalg/index.js';
import { einsum, einsumPath } from '../einsum/index.js';
import { medianMs } from './timing.js';

/** One row of `tnkit bench kernels --json`. */
export interface KernelBenchRow {
  op: 'gemm' | 'gemm_batched' | 'svd' | 'qr' | 'einsum';
  backend: BackendName;
  dtype: DType;
  /** "1024" (n×n×n), "64x4096x64" (m×k×n), "10000x16x16x16" (batch×m×k×n), "512x512" (m×n) or "mps5:256x4". */
  size: string;
  /** Nominal GFLOP/s (2mnk for products, 4mn²−4n³/3 for thin QR, the path's FLOPs for einsum); null for SVD. */
  gflops: number | null;
  ms: number;
  /** Speed relative to numpy on the same case in the same run: numpy_ms / ms (> 1: faster than numpy). Null without numpy. */
  vs_numpy: number | null;
  /** einsum only: time of the einsum / sum of the times of its pairwise gemm steps run alone. */
  vs_gemm_steps?: number;
}

/** What the benchmark measures; `quick` shrinks sizes for smoke runs. */
export interface KernelBenchOptions {
  backends?: BackendName[];
  dtypes?: DType[];
  quick?: boolean;
  numpy?: boolean;
  onCase?: (label: string, done: number, total: number) => void;
}

interface Case {
  op: KernelBenchRow['op'];
  dtype: DType;
  size: string;
  spec?: string;
  shapes?: number[][];
}

const MPS_SPEC = 'ab,apc,bpd,cqe,dqf->ef';

function mpsShapes(chi: number, d: number): number[][] {
  return [[chi, chi], [chi, d, chi], [chi, d, chi], [chi, d, chi], [chi, d, chi]];
}

function cases(dtypes: DType[], quick: boolean): Case[] {
  const out: Case[] = [];
  const chi = quick ? 32 : 128;
  for (const dtype of dtypes) {
    for (const n of quick ? [64, 128] : [256, 512, 1024]) out.push({ op: 'gemm', dtype, size: String(n) });
    out.push({ op: 'gemm', dtype, size: quick ? '16x512x16' : '64x4096x64' });
    out.push({ op: 'gemm_batched', dtype, size: quick ? '1000x16x16x16' : '10000x16x16x16' });
    for (const s of quick ? ['64x64', '200x20'] : ['512x512', '2000x200']) out.push({ op: 'svd', dtype, size: s });
    out.push({ op: 'qr', dtype, size: quick ? '64x64' : '512x512' });
    out.push({ op: 'einsum', dtype, size: `mps5:${chi}x4`, spec: MPS_SPEC, shapes: mpsShapes(chi, 4) });
  }
  return out;
}

function dims(size: string): number[] {
  return size.split('x').map(Number);
}

/** Times each pairwise step of the einsum's path as a bare batched gemm of the same dimensions. */
function gemmStepsMs(spec: string, operands: Tensor[], backend: BackendName): number {
  const kernel = getBackend(backend);
  const plan = einsumPath(spec, ...operands);
  let total = 0;
  for (const step of plan.steps) {
    const [ins, out] = step.spec.split('->') as [string, string];
    const [l, r] = ins.split(',') as [string, string];
    const size = (labels: string): number => [...labels].reduce((p, c) => p * step.sizes[c]!, 1);
    const batch = [...l].filter((c) => r.includes(c) && out.includes(c)).join('');
    const contracted = [...l].filter((c) => r.includes(c) && !out.includes(c)).join('');
    const freeL = [...l].filter((c) => !r.includes(c)).join('');
    const freeR = [...r].filter((c) => !l.includes(c)).join('');
    const [bt, m, n, k] = [size(batch), size(freeL), size(freeR), size(contracted)];
    const dtype = operands[0]!.dtype;
    const a = randn([bt * m * k], { dtype }).data;
    const b = randn([bt * k * n], { dtype }).data;
    const c = randn([bt * m * n], { dtype }).data;
    total += medianMs(() => kernel.gemmBatched(false, false, bt, m, n, k, 1, a, m * k, b, k * n, 0, c));
  }
  return total;
}

function runCase(c: Case, backend: BackendName): KernelBenchRow {
  const d = dims(c.size.replace(/^mps5:/, ''));
  const base = { op: c.op, backend, dtype: c.dtype, size: c.size, vs_numpy: null };
  const kernel = getBackend(backend);
  if (c.op === 'gemm') {
    const [m, k, n] = d.length === 1 ? [d[0]!, d[0]!, d[0]!] : (d as [number, number, number]);
    const a = randn([m * k], { dtype: c.dtype, seed: 1 }).data;
    const b = randn([k * n], { dtype: c.dtype, seed: 2 }).data;
    const out = randn([m * n], { dtype: c.dtype, seed: 3 }).data;
    const ms = medianMs(() => kernel.gemm(false, false, m, n, k, 1, a, b, 0, out));
    return { ...base, ms, gflops: (2 * m * n * k) / ms / 1e6 };
  }
  if (c.op === 'gemm_batched') {
    const [bt, m, k, n] = d as [number, number, number, number];
    const a = randn([bt * m * k], { dtype: c.dtype, seed: 1 }).data;
    const b = randn([bt * k * n], { dtype: c.dtype, seed: 2 }).data;
    const out = randn([bt * m * n], { dtype: c.dtype, seed: 3 }).data;
    const ms = medianMs(() => kernel.gemmBatched(false, false, bt, m, n, k, 1, a, m * k, b, k * n, 0, out));
    return { ...base, ms, gflops: (2 * bt * m * n * k) / ms / 1e6 };
  }
  return withBackend(backend, () => {
    if (c.op === 'svd' || c.op === 'qr') {
      const [m, n] = d as [number, number];
      const a = randn([m, n], { dtype: c.dtype, seed: 4 });
      if (c.op === 'svd') return { ...base, ms: medianMs(() => svd(a), 0.5), gflops: null };
      const ms = medianMs(() => qr(a), 0.5);
      const p = Math.min(m, n);
      return { ...base, ms, gflops: (4 * m * n * p - (4 * p ** 3) / 3) / ms / 1e6 };
    }
    const ops = c.shapes!.map((s, i) => randn(s, { dtype: c.dtype, seed: 10 + i }));
    const ms = medianMs(() => einsum(c.spec!, ...ops));
    const flops = einsumPath(c.spec!, ...ops).optimizedFlops;
    return { ...base, ms, gflops: flops / ms / 1e6, vs_gemm_steps: ms / gemmStepsMs(c.spec!, ops, backend) };
  });
}

/** Runs numpy on the same cases (single-threaded), or returns null with the reason. */
function numpyTimes(list: Case[]): { version: string; ms: Map<string, number> } | { error: string } {
  const python = '/usr/bin/python3';
  const script = fileURLToPath(new URL('../../bench/numpy_kernels.py', import.meta.url));
  if (!existsSync(python)) return { error: `${python} not found` };
  if (!existsSync(script)) return { error: `${script} not found` };
  const unique = [...new Map(list.map((c) => [`${c.op}|${c.dtype}|${c.size}`, c])).values()];
  const res = spawnSync(python, [script], {
    input: JSON.stringify(unique),
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
    maxBuffer: 1 << 24,
  });
  if (res.status !== 0) return { error: (res.stderr || res.error?.message || 'numpy run failed').trim().split('\n').pop()! };
  const parsed = JSON.parse(res.stdout) as { numpy: string; rows: { op: string; dtype: string; size: string; ms: number }[] };
  return { version: parsed.numpy, ms: new Map(parsed.rows.map((r) => [`${r.op}|${r.dtype}|${r.size}`, r.ms])) };
}

/** Result of a kernel benchmark run. */
export interface KernelBenchResult {
  rows: KernelBenchRow[];
  numpy: string;
}

/**
 * Measures gemm, batched gemm, SVD, QR and an MPS-style einsum on every available
 * backend, single-threaded, and numpy on the same cases in the same run.
 */
export function benchKernels(options: KernelBenchOptions = {}): KernelBenchResult {
  const backends = options.backends ?? availableBackends();
  const list = cases(options.dtypes ?? ['f64', 'f32'], options.quick ?? false);
  const total = list.length * backends.length + (options.numpy === false ? 0 : 1);
  let done = 0;
  const rows: KernelBenchRow[] = [];
  for (const backend of backends) {
    for (const c of list) {
      options.onCase?.(`${backend} ${c.op} ${c.dtype} ${c.size}`, done, total);
      rows.push(runCase(c, backend));
      done++;
    }
  }
  let numpy = 'not run';
  if (options.numpy !== false) {
    options.onCase?.('numpy reference', done, total);
    const np = numpyTimes(list);
    if ('error' in np) numpy = `unavailable: ${np.error}`;
    else {
      numpy = np.version;
      for (const r of rows) {
        const ref = np.ms.get(`${r.op}|${r.dtype}|${r.size}`);
        if (ref !== undefined) r.vs_numpy = ref / r.ms;
      }
    }
  }
  options.onCase?.('done', total, total);
  return { rows, numpy };
}
