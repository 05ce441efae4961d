/**
 * Learning-rate schedules: functions of the 0-based update count. Compose them by
 * passing one schedule as the base of another (e.g. warmup then cosine).
 */
export type Schedule = (step: number) => number;

function checkFinitePositive(who: string, name: string, v: number, allowZero = false): void {
  if (!Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) throw new RangeError(`${who}: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got ${v}`);
}

function checkStep(who: string, step: number): void {
  if (!Number.isInteger(step) || step < 0) throw new RangeError(`${who}: step must be a non-negative integer, got ${step}`);
}

/** The same rate at every step. */
export function constantSchedule(lr: number): Schedule {
  checkFinitePositive('constantSchedule', 'lr', lr, true);
  return (step) => {
    checkStep('constantSchedule', step);
    return lr;
  };
}

/** lr·γ^⌊step / stepSize⌋: multiply by γ every `stepSize` steps. */
export function stepDecay(lr: number, options: { stepSize: number; gamma?: number }): Schedule {
  const gamma = options.gamma ?? 0.1;
  checkFinitePositive('stepDecay', 'lr', lr, true);
  if (!Number.isInteger(options.stepSize) || options.stepSize < 1) throw new RangeError(`stepDecay: stepSize must be a positive integer, got ${options.stepSize}`);
  checkFinitePositive('stepDecay', 'gamma', gamma);
  return (step) => {
    checkStep('stepDecay', step);
    return lr * gamma ** Math.floor(step / options.stepSize);
  };
}

/** lr·γ^step. */
export function exponentialDecay(lr: number, gamma: number): Schedule {
  checkFinitePositive('exponentialDecay', 'lr', lr, true);
  checkFinitePositive('exponentialDecay', 'gamma', gamma);
  return (step) => {
    checkStep('exponentialDecay', step);
    return lr * gamma ** step;
  };
}

/**
 * Cosine annealing from `lr` at step 0 to `minLr` at `totalSteps`, constant after:
 * minLr + (lr − minLr)·(1 + cos(π·step/totalSteps))/2.
 */
export function cosineDecay(lr: number, options: { totalSteps: number; minLr?: number }): Schedule {
  const minLr = options.minLr ?? 0;
  checkFinitePositive('cosineDecay', 'lr', lr, true);
  checkFinitePositive('cosineDecay', 'minLr', minLr, true);
  if (!Number.isInteger(options.totalSteps) || options.totalSteps < 1) throw new RangeError(`cosineDecay: totalSteps must be a positive integer, got ${options.totalSteps}`);
  return (step) => {
    checkStep('cosineDecay', step);
    const t = Math.min(step, options.totalSteps) / options.totalSteps;
    return minLr + ((lr - minLr) * (1 + Math.cos(Math.PI * t))) / 2;
  };
}

/**
 * Linear warmup: base(step)·(step + 1)/warmupSteps for the first `warmupSteps` steps
 * (so the first update is not wasted at rate 0 and the full rate is reached at step
 * warmupSteps − 1), then base(step).
 */
export function linearWarmup(base: number | Schedule, warmupSteps: number): Schedule {
  if (!Number.isInteger(warmupSteps) || warmupSteps < 0) throw new RangeError(`linearWarmup: warmupSteps must be a non-negative integer, got ${warmupSteps}`);
  const f: Schedule = typeof base === 'number' ? constantSchedule(base) : base;
  return (step) => {
    checkStep('linearWarmup', step);
    const v = f(step);
    return step < warmupSteps ? (v * (step + 1)) / warmupSteps : v;
  };
}
