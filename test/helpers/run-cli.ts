import { expect } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureOutput } from './capture-output.js';

/** Runs the CLI in-process and returns what it wrote to stdout and stderr. */
export async function runCli(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  const r = await captureOutput(() => main(['node', 'tnkit', ...args]));
  if (r.error !== undefined) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr, code: r.exitCode };
}


/**
 * Runs each command line and checks that it exits with code 1, a stderr matching its
 * message, within `ms` milliseconds (bad flags and paths are caught before any work).
 */
export async function expectFailsFast(cases: readonly (readonly [readonly string[], RegExp])[], ms = 1000): Promise<void> {
  for (const [args, message] of cases) {
    const t0 = performance.now();
    const r = await runCli(...args);
    expect(r.code, args.join(' ')).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(performance.now() - t0, args.join(' ')).toBeLessThan(ms);
  }
}
