/**
 * Benchmark: one valueAndGrad of a batched MPS contraction against the forward pass
 * alone. Run after building: `node dist/autodiff/bench/mps-gradient.js [sites bond phys batch reps]`.
 */
import { einsum as tensorEinsum } from '../einsum/einsum.js';
import { ones, rand, randn } from '../tensor/create.js';
import { Random } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { getKernel } from '../kernels/registry.js';
import { valueAndGrad } from '../autodiff/grad.js';
import { add, div, log } from '../autodiff/ops/elementwise.js';
import { einsum } from '../autodiff/ops/einsum.js';
import { norm } from '../autodiff/ops/norm.js';
import type { VarLike } from '../autodiff/operand.js';
import type { Var } from '../autodiff/variable.js';

interface Problem {
  cores: Tensor[];
  xs: Tensor[];
  batch: number;
}

function problem(sites: number, bond: number, phys: number, batch: number): Problem {
  const rng = new Random(1);
  const cores = Array.from({ length: sites }, (_, s) =>
    randn([s === 0 ? 1 : bond, phys, s === sites - 1 ? 1 : bond], { rng, scale: 1 / Math.sqrt(bond * phys) }),
  );
  const xs = Array.from({ length: sites }, () => rand([batch, phys], { rng }));
  return { cores, xs, batch };
}

/** Σ_b ⟨x_b|MPS⟩ with the environment renormalised each site (log-norms accumulated). */
function lossOf(p: Problem, cores: readonly VarLike[]): Var {
  let env: VarLike = ones([p.batch, 1]);
  let logScale: Var | null = null;
  cores.forEach((c, s) => {
    const next = einsum('bl,lpr,bp->br', env, c, p.xs[s]!);
    const n = norm(next);
    logScale = logScale === null ? log(n) : add(logScale, log(n));
    env = div(next, n);
  });
  return einsum('br,->', env, logScale!);
}

/** The same contraction on plain tensors with the tensor einsum (no autodiff at all). */
function rawForward(p: Problem): number {
  let env: Tensor = ones([p.batch, 1]);
  let logScale = 0;
  p.cores.forEach((c, s) => {
    const next = tensorEinsum('bl,lpr,bp->br', env, c, p.xs[s]!);
    let n = 0;
    for (const v of next.toTypedArray()) n += v * v;
    n = Math.sqrt(n);
    logScale += Math.log(n);
    const d = next.toTypedArray().map((v) => v / n);
    env = next.reshape(...next.shape);
    env.data.set(d);
  });
  let total = 0;
  for (const v of env.toTypedArray()) total += v;
  return total * logScale;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(f: () => unknown, reps: number): number {
  for (let i = 0; i < 3; i++) f();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

const [sites, bond, phys, batch, reps] = process.argv.slice(2).map(Number);
const p = problem(sites || 30, bond || 20, phys || 3, batch || 32);
const n = reps || 30;
const raw = time(() => rawForward(p), n);
const constants = time(() => lossOf(p, p.cores), n);
const vg = time(() => valueAndGrad((...cs: Var[]) => lossOf(p, cs), p.cores), n);
const check = valueAndGrad((...cs: Var[]) => lossOf(p, cs), p.cores).value;
console.log(`backend ${getKernel().name}; MPS ${p.cores.length} sites, bond ${bond || 20}, phys ${phys || 3}, batch ${p.batch}; median of ${n}`);
console.log(`value ${check.toPrecision(8)} (raw ${rawForward(p).toPrecision(8)})`);
console.log(`forward, raw tensor einsum:      ${raw.toFixed(3)} ms`);
console.log(`forward, autodiff ops (no tape):  ${constants.toFixed(3)} ms`);
console.log(`valueAndGrad (forward+backward):  ${vg.toFixed(3)} ms  → backward ≈ ${((vg - constants) / constants).toFixed(2)}× forward, total ${(vg / raw).toFixed(2)}× raw forward`);
