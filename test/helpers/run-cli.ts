import { main } from '../../src/cli/main.js';

/** Runs the CLI in-process and returns what it wrote to stdout and stderr. */
export async function runCli(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const log = console.log;
  process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof process.stderr.write;
  console.log = (...parts: unknown[]) => void (stdout += parts.join(' ') + '\n');
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

