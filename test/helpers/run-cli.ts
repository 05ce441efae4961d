import { expect } from 'vitest';
import { main } from '../../src/cli/main.js';

/** Runs the CLI in-process and returns what it wrote to stdout and stderr. */
export async function runCli(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const log = console.log;
  process.stdout.write = ((chunk: string) => {
    stdout += chunk;
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => {
    stderr += chunk;
    return true;
  }) as typeof process.stderr.write;
  console.log = (...parts: unknown[]) => {
    stdout += `${parts.join(' ')}\n`;
  };
  const before = process.exitCode;
  process.exitCode = 0;
  try {
    await main(['node', 'tnkit', ...args]);
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    console.log = log;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = before;
  return { stdout, stderr, code };
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
