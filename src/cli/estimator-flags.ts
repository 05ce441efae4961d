import { EstimatorOptionError } from '../estimators/option-error.js';

/** The CLI flag of an estimator option: `budgetSeconds` → `--budget-seconds`. */
export function flagOf(option: string): string {
  return `--${option.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`)}`;
}

/** Runs `fn`; an estimator's option error comes out naming the CLI flag instead (`--smoothness: …`). */
export function withFlagNames<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof EstimatorOptionError) throw new Error(`${flagOf(error.option)}: ${error.detail}`, { cause: error });
    throw error;
  }
}
