import { Command, CommanderError } from 'commander';
import { expect } from 'vitest';
import { captureOutput } from './capture-output.js';

/*
 * Shared checks of the fuzz suite (src/**\/*.fuzz.test.ts): a bad input must give one
 * clear Error naming what is wrong, never a crash from deep inside, and never a hang.
 */

/** Messages of errors that escaped from deep inside instead of being checked at the edge. */
export const DEEP_ERROR = new RegExp(
  [
    'Cannot read propert', 'Cannot set propert', 'Cannot destructure', 'is not a function', 'is not iterable',
    'is not a constructor', '(undefined|null) is not (a function|an object|iterable)', 'Invalid typed array length', 'Invalid array length',
    'out of bounds', 'Maximum call stack', 'Array buffer allocation failed', 'Offset is outside', 'Start offset',
    'Invalid string length', 'Cannot convert', 'Cannot mix BigInt',
  ].join('|'),
);

/** The fixed seed of every fuzz property, so CI runs the same cases each time. */
export const FUZZ_SEED = 42;

/**
 * Checks that `error` is one clear Error: an Error instance whose message names
 * `names` (a string it must contain, or a pattern), is a single line, and is none of
 * the deep-inside messages ({@link DEEP_ERROR}).
 */
export function expectClearError(error: unknown, names: string | RegExp, what = ''): void {
  expect(error, `${what}: expected an Error, got ${String(error)}`).toBeInstanceOf(Error);
  const message = (error as Error).message;
  expect(message, what).not.toMatch(DEEP_ERROR);
  if (typeof names === 'string') expect(message, what).toContain(names);
  else expect(message, what).toMatch(names);
  expect(message.trim(), `${what}: an error message is one line`).not.toMatch(/\n/);
}

/** Runs `f` and returns what it threw (undefined when it returned), with the time it took. */
export function outcome<T>(f: () => T): { value?: T; error?: unknown; ms: number } {
  const t0 = performance.now();
  try {
    const value = f();
    return { value, ms: performance.now() - t0 };
  } catch (error) {
    return { error, ms: performance.now() - t0 };
  }
}

/**
 * Runs one CLI command line in-process on a fresh program (commands registered by
 * `register`, commander's own exits turned into errors, all output captured), so
 * hundreds of cases run without spawning processes. Returns the error the action
 * threw, if any, and what went to stdout.
 */
export async function runCommand(
  register: readonly ((program: Command) => void)[],
  args: readonly string[],
): Promise<{ error?: unknown; commander?: CommanderError; stdout: string; stderr: string; ms: number }> {
  const program = new Command('tnkit').exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  for (const r of register) r(program);
  const t0 = performance.now();
  const r = await captureOutput(() => program.parseAsync(['node', 'tnkit', ...args]));
  const ms = performance.now() - t0;
  const { stdout, stderr } = r;
  if (r.error === undefined) return { stdout, stderr, ms };
  if (r.error instanceof CommanderError) return { commander: r.error, stdout, stderr, ms };
  return { error: r.error, stdout, stderr, ms };
}
