/**
 * A bad estimator option or fit argument, found before any training. `option` is the
 * option's name as the library spells it (camelCase: `bondDim`, `outputSite`, or a fit
 * argument: `X`, `y`, `validation`), so a command line can name its own flag for it.
 */
export class EstimatorOptionError extends RangeError {
  override name = 'EstimatorOptionError';
  constructor(
    /** The estimator ('Classifier', 'AnomalyDetector'). */
    readonly estimator: string,
    /** The option or argument at fault. */
    readonly option: string,
    /** What is wrong with it, without the option's name. */
    readonly detail: string,
  ) {
    super(`${estimator}: ${option}: ${detail}`);
  }
}

/** Checks an integer option ≥ min. */
export function intOption(estimator: string, option: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new EstimatorOptionError(estimator, option, `expected an integer ≥ ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Checks a finite number option > 0 (or ≥ 0 with allowZero). */
export function numberOption(estimator: string, option: string, value: unknown, allowZero = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new EstimatorOptionError(estimator, option, `expected a ${allowZero ? 'non-negative' : 'positive'} number, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Checks that a string option is one of `allowed`. */
export function choiceOption<T extends string>(estimator: string, option: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new EstimatorOptionError(estimator, option, `'${String(value)}' is not one of ${allowed.join(', ')}`);
  }
  return value as T;
}
