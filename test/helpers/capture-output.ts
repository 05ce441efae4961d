/**
 * Runs `fn` with stdout, stderr, console.log and console.warn captured, and the process's
 * exit code restored afterwards (commands set it: 3 for a missed target), so in-process
 * CLI tests see what a user would and leave the test process's own status alone.
 */
export async function captureOutput<T>(fn: () => Promise<T>): Promise<{ value?: T; error?: unknown; stdout: string; stderr: string; exitCode: number }> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const log = console.log;
  const warn = console.warn;
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
  console.warn = (...parts: unknown[]) => {
    stderr += `${parts.join(' ')}\n`;
  };
  const before = process.exitCode;
  process.exitCode = 0;
  try {
    const value = await fn();
    return { value, stdout, stderr, exitCode: Number(process.exitCode ?? 0) };
  } catch (error) {
    return { error, stdout, stderr, exitCode: Number(process.exitCode ?? 0) };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    console.log = log;
    console.warn = warn;
    process.exitCode = before;
  }
}
