/**
 * A worker_threads pool for the population-based baselines (TNGA generations, TNLS/TnALE
 * neighbourhoods): a batch of independent candidate structures is fitted in parallel and
 * recorded in the evaluator in batch order, so a seeded run gives the same result with
 * any number of workers (0 = on this thread).
 *
 * Determinism: every candidate carries its own warm start (given by the strategy), its
 * fit seeds come from the evaluator's evaluation count before the batch plus its index,
 * and the padding noise of its warm start from a Random seeded the same way; nothing
 * depends on which worker ran it or when it finished.
 *
 * The search API is synchronous, so the main thread blocks (Atomics.wait on a shared
 * counter the workers bump) and collects results with receiveMessageOnPort. Workers run
 * the compiled `dist/search/fit-worker.js` (under vitest this module is a .ts source and a
 * worker cannot load TypeScript); when that file is missing the pool evaluates on this
 * thread and says so once.
 */
import type { MessagePort, Worker } from 'node:worker_threads';
import { fitCores, type FitCoresOptions } from '../decompose/fit-cores.js';
import { stopRequested, type StopFlag } from '../decompose/stop-flag.js';
import { maskBytes } from '../decompose/mask.js';
import { getKernel } from '../kernels/registry.js';
import type { RankMatrix } from '../network/index.js';
import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { adaptCores } from './bond-ops.js';
import { isZeroNetwork, sweepSeconds, zeroCores } from './fit-cost.js';
import type { Evaluation, Evaluator, WarmStart } from './evaluator.js';
import { cloneRanks, structureSize, structureKey } from './structure.js';

/**
 * Node's built-ins, fetched at call time so the search layer (which imports this file)
 * still loads in a browser, where the pool is simply unavailable.
 */
interface NodeBuiltins {
  fs: typeof import('node:fs'); path: typeof import('node:path'); url: typeof import('node:url'); threads: typeof import('node:worker_threads');
}
let builtins: NodeBuiltins | undefined;
function node(): NodeBuiltins {
  if (builtins) return builtins;
  const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  if (!get) throw new Error('worker threads need Node.js ≥ 20.16');
  builtins = {
    fs: get('node:fs') as typeof import('node:fs'),
    path: get('node:path') as typeof import('node:path'),
    url: get('node:url') as typeof import('node:url'),
    threads: get('node:worker_threads') as typeof import('node:worker_threads'),
  };
  return builtins;
}

/** One candidate of a batch: a structure and the fitted cores to warm-start it from (random start without). */
export interface Candidate {
  R: RankMatrix;
  init?: WarmStart;
}

/** A tensor as plain data, for postMessage. */
interface PlainTensor {
  shape: number[];
  data: Float64Array | Float32Array;
}

/** What every fit of one evaluator shares (sent to each worker once). */
export interface FitSetup {
  /** The evaluator's target RSE. */
  rse: number;
  stopAt: number;
  tol: number;
  iters: number;
  restarts: number;
  mask?: Uint8Array;
  truth?: Tensor;
  /** Per-mode smoothness weights of the fits (fitCores' `smoothness`). */
  smoothness?: number[];
  /** The search's shared stop request: jobs end at their next sweep once it is set. */
  stop?: StopFlag;
}

/** One fit job: what {@link Evaluator.evaluate} does for a structure, with its seeds fixed up front. */
export interface FitJob {
  R: number[][];
  init?: WarmStart;
  /** Seed of the first fit; restart k uses seed + k; the warm start's padding noise uses Random(seed). */
  seed: number;
  /**
   * End of the budget as a `Date.now()` time in ms (Infinity: none). Absolute, not the time
   * left: jobs of a batch run one after another on a thread, and each must stop at the
   * search's deadline, not at its own start plus the whole remainder.
   */
  deadline: number;
}

/** Result of a fit job. */
export interface FitJobResult {
  cores: Tensor[];
  rse: number;
  rseMissing?: number;
  /** ALS fits run (1 + restarts used). */
  fits: number;
}

/** The evaluator's fit settings, in the form {@link runFitJob} takes. */
export function fitSetupOf(ev: Evaluator): FitSetup {
  const o = ev.options;
  const setup: FitSetup = { rse: ev.rse, stopAt: o.stopAt ?? ev.rse, tol: o.tol ?? 1e-7, iters: o.iters ?? 40, restarts: o.restarts ?? 0 };
  if (o.stop !== undefined) setup.stop = o.stop;
  if (o.smoothness !== undefined) setup.smoothness = typeof o.smoothness === 'number' ? ev.dims.map(() => o.smoothness as number) : [...o.smoothness];
  if (o.mask !== undefined) {
    setup.mask = maskBytes(o.mask, ev.dims, 'evaluateBatch');
    if (o.truth !== undefined) setup.truth = o.truth;
  }
  return setup;
}

/**
 * Fits one job: warm start adapted to the job's structure, then seeded random restarts
 * while the target is missed (the best fit is kept). Runs identically on any thread.
 */
export function runFitJob(x: Tensor, setup: FitSetup, job: FitJob): FitJobResult {
  const deadline = job.deadline;
  const base: FitCoresOptions = {
    iters: setup.iters,
    tol: setup.tol,
    stopAt: setup.stopAt,
    ...(Number.isFinite(deadline) ? { deadline } : {}),
    ...(setup.stop !== undefined ? { stop: setup.stop } : {}),
    ...(setup.smoothness !== undefined ? { smoothness: setup.smoothness } : {}),
    ...(setup.mask !== undefined ? { mask: setup.mask } : {}),
    ...(setup.truth !== undefined && setup.mask !== undefined ? { truth: setup.truth } : {}),
  };
  // A job issued after the budget, or whose first sweep alone would overrun it (see
  // sweepSeconds; a batch of large candidates would otherwise run one sweep each past the
  // deadline), is not fitted: it is scored as the zero network, like Evaluator.evaluate does.
  if (sweepSeconds(job.R, x.shape) > (deadline - Date.now()) / 1000 || stopRequested(setup.stop)) {
    return { cores: zeroCores(job.R, x.shape, x.dtype), rse: 1, fits: 0 };
  }
  // A structure scored without fitting (zero cores) is no warm start.
  const warm = job.init && !isZeroNetwork(job.init.cores) ? adaptCores(job.init.cores, job.init.R, job.R, new Random(job.seed)) : undefined;
  let fit = fitCores(x, job.R, { ...base, seed: job.seed, ...(warm ? { init: warm } : {}) });
  let fits = 1;
  for (let k = 1; k <= setup.restarts && fit.rse > setup.rse && Date.now() < deadline && !stopRequested(setup.stop); k++) {
    const again = fitCores(x, job.R, { ...base, seed: job.seed + k });
    fits++;
    if (again.rse < fit.rse) fit = again;
  }
  const out: FitJobResult = { cores: fit.cores, rse: fit.rse, fits };
  if (fit.rseMissing !== undefined) out.rseMissing = fit.rseMissing;
  return out;
}

/**
 * Evaluates a batch of candidates: cached structures (and repeats within the batch) are
 * not refitted, the rest are fitted (by `pool` when given, else on this thread) and
 * recorded in the evaluator in batch order. Returns one evaluation per candidate.
 */
export function evaluateBatch(ev: Evaluator, candidates: readonly Candidate[], pool?: EvaluationPool): Evaluation[] {
  const jobs: FitJob[] = [];
  const jobOf = new Map<string, number>();
  const deadline = ev.options.budgetSeconds === undefined ? Infinity : Date.now() + Math.max(0, ev.options.budgetSeconds * 1000 - ev.seconds() * 1000);
  const seed0 = ev.options.seed ?? 0;
  for (const c of candidates) {
    const key = structureKey(c.R);
    if (ev.cached(c.R) || jobOf.has(key)) continue;
    jobOf.set(key, jobs.length);
    // Same seed formula as Evaluator.evaluate, indexed by the evaluation this job will be.
    const job: FitJob = { R: cloneRanks(c.R), seed: seed0 * 1009 + (ev.evaluations + jobs.length) * 31, deadline };
    if (c.init) job.init = c.init;
    jobs.push(job);
  }
  const results = pool && jobs.length > 1 ? pool.run(jobs) : jobs.map((job) => runFitJob(ev.x, pool?.setup ?? fitSetupOf(ev), job));
  jobs.forEach((job, k) => {
    const fit = results[k]!;
    const e: Evaluation = { R: job.R, ...structureSize(job.R, ev.dims), rse: fit.rse, cores: fit.cores };
    if (fit.rseMissing !== undefined) e.rseMissing = fit.rseMissing;
    ev.evaluations++;
    ev.fits += fit.fits;
    if (fit.fits === 0) ev.noteBudgetLimit();
    ev.record(e);
  });
  return candidates.map((c) => ev.cached(c.R)!);
}

function plain(t: Tensor): PlainTensor {
  const data = t.toTypedArray();
  if (!(data instanceof Float64Array || data instanceof Float32Array)) throw new TypeError(`worker pool: unsupported tensor dtype`);
  return { shape: [...t.shape], data };
}

function fromPlain(p: PlainTensor): Tensor {
  return new Tensor(p.data, p.shape);
}

/** A job or its result in a worker message. */
interface JobMessage {
  id: number;
  R: number[][];
  init?: { R: number[][]; cores: PlainTensor[] };
  seed: number;
  deadline: number;
}
interface ResultMessage {
  id: number;
  error?: string;
  cores?: PlainTensor[];
  rse?: number;
  rseMissing?: number;
  fits?: number;
}

/** What a worker gets at start (workerData). */
export interface WorkerInit {
  x: PlainTensor;
  setup: { rse: number; stopAt: number; tol: number; iters: number; restarts: number; mask?: Uint8Array; truth?: PlainTensor; smoothness?: number[]; stop?: StopFlag };
  backend: string;
  port: MessagePort;
  signal: Int32Array;
}

/** Runs in a worker: answers fit jobs on `port`, bumping `signal` after each reply. */
export function serveFitJobs(init: WorkerInit, setBackend: (name: string) => void): void {
  setBackend(init.backend);
  const x = fromPlain(init.x);
  const setup: FitSetup = { rse: init.setup.rse, stopAt: init.setup.stopAt, tol: init.setup.tol, iters: init.setup.iters, restarts: init.setup.restarts };
  if (init.setup.mask) setup.mask = init.setup.mask;
  if (init.setup.smoothness) setup.smoothness = init.setup.smoothness;
  if (init.setup.stop) setup.stop = init.setup.stop;
  if (init.setup.truth) setup.truth = fromPlain(init.setup.truth);
  const reply = (m: ResultMessage): void => {
    init.port.postMessage(m);
    Atomics.add(init.signal, 0, 1);
    Atomics.notify(init.signal, 0);
  };
  init.port.on('message', (m: JobMessage) => {
    try {
      const job: FitJob = { R: m.R, seed: m.seed, deadline: m.deadline };
      if (m.init) job.init = { R: m.init.R, cores: m.init.cores.map(fromPlain) };
      const r = runFitJob(x, setup, job);
      reply({ id: m.id, cores: r.cores.map(plain), rse: r.rse, fits: r.fits, ...(r.rseMissing !== undefined ? { rseMissing: r.rseMissing } : {}) });
    } catch (err) {
      reply({ id: m.id, error: err instanceof Error ? err.message : String(err) });
    }
  });
  reply({ id: -1 });
}

/** The compiled worker entry: next to this module when compiled, else the build's copy under dist/. */
export function workerScriptPath(): string {
  const { path, url } = node();
  const here = url.fileURLToPath(import.meta.url);
  // Compiled: the worker is this module's sibling (whatever the build folder is called);
  // run from the TypeScript sources (tests), it is the build's copy under dist/.
  if (here.endsWith('.js')) return path.join(path.dirname(here), 'fit-worker.js');
  return path.join(path.dirname(path.dirname(path.dirname(here))), 'dist', 'search', 'fit-worker.js');
}

let warnedNoDist = false;

/** Options of {@link EvaluationPool}. */
export interface PoolOptions {
  /** Worker threads (default 2). 0 evaluates on this thread. */
  workers?: number;
  /** Seconds to wait for the workers to load before falling back to this thread (default 60). */
  startTimeoutSeconds?: number;
  /**
   * The worker entry: a build of fit-worker.ts as an ES module (default
   * {@link workerScriptPath}, the compiled one beside this module). For bundles that put
   * the worker elsewhere; the tests point it at a bundle of the current sources.
   */
  script?: string;
}

/**
 * Worker threads bound to one evaluator's tensor, mask and fit settings. Call
 * {@link close} when done (the threads are unref'd, so a forgotten pool does not keep the
 * process alive).
 */
export class EvaluationPool {
  readonly setup: FitSetup;
  private readonly workers: { worker: Worker; port: MessagePort }[] = [];
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));

  constructor(readonly ev: Evaluator, options: PoolOptions = {}) {
    const { workers = 2, startTimeoutSeconds = 60 } = options;
    if (!Number.isInteger(workers) || workers < 0) throw new RangeError(`EvaluationPool: workers must be a non-negative integer, got ${workers}`);
    this.setup = fitSetupOf(ev);
    if (workers === 0) return;
    const script = options.script ?? workerScriptPath();
    if (!node().fs.existsSync(script)) {
      if (!warnedNoDist) console.warn(`tnkit: ${script} not found (run the build); evaluating on one thread`);
      warnedNoDist = true;
      return;
    }
    const setup: WorkerInit['setup'] = { rse: this.setup.rse, stopAt: this.setup.stopAt, tol: this.setup.tol, iters: this.setup.iters, restarts: this.setup.restarts };
    if (this.setup.mask) setup.mask = this.setup.mask;
    if (this.setup.smoothness) setup.smoothness = this.setup.smoothness;
    if (this.setup.stop) setup.stop = this.setup.stop;
    if (this.setup.truth) setup.truth = plain(this.setup.truth);
    const x = plain(ev.x);
    for (let k = 0; k < workers; k++) {
      const { port1, port2 } = new (node().threads.MessageChannel)();
      const data: WorkerInit = { x, setup, backend: getKernel().name, port: port2, signal: this.signal };
      const worker = new (node().threads.Worker)(script, { workerData: data, transferList: [port2] });
      worker.unref();
      this.workers.push({ worker, port: port1 });
    }
    // Wait for every worker's ready message; a worker that fails to load never sends one.
    const ready = new Set<number>();
    const until = Date.now() + startTimeoutSeconds * 1000;
    while (ready.size < this.workers.length && Date.now() < until) {
      const seen = Atomics.load(this.signal, 0);
      this.workers.forEach((w, k) => {
        if (node().threads.receiveMessageOnPort(w.port)) ready.add(k);
      });
      if (ready.size < this.workers.length) Atomics.wait(this.signal, 0, seen, 100);
    }
    if (ready.size < this.workers.length) {
      console.warn(`tnkit: worker threads did not start within ${startTimeoutSeconds} s; evaluating on one thread`);
      this.close();
    }
  }

  /** Number of running worker threads (0 after a fallback or close). */
  get size(): number {
    return this.workers.length;
  }

  /** Fits the jobs (on the workers, each taking the next job when free); results in job order. */
  run(jobs: readonly FitJob[]): FitJobResult[] {
    if (this.workers.length === 0) return jobs.map((job) => runFitJob(this.ev.x, this.setup, job));
    const results: (FitJobResult | undefined)[] = new Array(jobs.length);
    let next = 0;
    let outstanding = 0;
    const send = (w: { port: MessagePort }): void => {
      const job = jobs[next]!;
      const m: JobMessage = { id: next++, R: job.R, seed: job.seed, deadline: job.deadline };
      if (job.init) m.init = { R: cloneRanks(job.init.R), cores: job.init.cores.map(plain) };
      w.port.postMessage(m);
      outstanding++;
    };
    for (const w of this.workers) if (next < jobs.length) send(w);
    let failure: string | undefined;
    while (outstanding > 0) {
      const seen = Atomics.load(this.signal, 0);
      let got = false;
      for (const w of this.workers) {
        const msg = node().threads.receiveMessageOnPort(w.port);
        if (!msg) continue;
        got = true;
        outstanding--;
        const r = msg.message as ResultMessage;
        if (r.error !== undefined) failure ??= `job ${r.id}: ${r.error}`;
        else results[r.id] = { cores: r.cores!.map(fromPlain), rse: r.rse!, fits: r.fits!, ...(r.rseMissing !== undefined ? { rseMissing: r.rseMissing } : {}) };
        if (next < jobs.length && failure === undefined) send(w);
      }
      if (!got) Atomics.wait(this.signal, 0, seen, 100);
    }
    if (failure !== undefined) throw new Error(`worker pool: a fit failed (${failure})`);
    return results as FitJobResult[];
  }

  /** Stops the worker threads. */
  close(): void {
    for (const w of this.workers) {
      w.port.close();
      void w.worker.terminate();
    }
    this.workers.length = 0;
  }
}

/** A pool for `ev` when `workers` > 0, else undefined (evaluate on this thread). */
export function poolFor(ev: Evaluator, workers: number | undefined): EvaluationPool | undefined {
  return workers === undefined || workers <= 0 ? undefined : new EvaluationPool(ev, { workers });
}
