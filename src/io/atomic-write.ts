import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/*
 * Crash-safe file writes: the bytes go to a temporary file in the same folder
 * (`.NAME.PID.STAMP.tmp`), which is fsynced and then renamed over NAME. Rename is atomic
 * within a file system, so a reader (or a --resume after a crash) sees the old file or
 * the whole new one, never a truncated one. A killed writer leaves its temporary file
 * behind: a dot file ending in .tmp that nothing reads as NAME; later writes of NAME
 * remove such leftovers of dead processes.
 */

/** Leftovers younger than this are kept even when their process is gone (a writer on another host sharing the folder may own them). */
const STALE_MS = 60_000;

/** A fresh temporary path next to `path`, unique per process and call. */
function tempPath(path: string): string {
  const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  return join(dirname(path), `.${basename(path)}.${process.pid}.${stamp}.tmp`);
}

function cannotWrite(path: string, error: unknown): Error {
  return new Error(`cannot write ${path}: ${(error as Error).message}`, { cause: error });
}

/** True when no process with this id runs on this machine. */
function processGone(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Removes temporary files that writers of `path` killed mid-write left behind: those
 * named like {@link tempPath}'s, whose process is gone and that are older than a minute.
 * Best effort: a leftover that cannot be removed is left.
 */
export function removeStaleTemps(path: string, now = Date.now()): void {
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const m = /^(\d+)\.[0-9a-z]+\.tmp$/.exec(name.slice(prefix.length));
    if (!m || !processGone(Number(m[1]))) continue;
    const file = join(dirname(path), name);
    try {
      if (now - statSync(file).mtimeMs >= STALE_MS) rmSync(file, { force: true });
    } catch { /* gone already, or not ours to remove */ }
  }
}

/** Makes a rename in `folder` durable by fsyncing the folder (not possible on every platform). */
function syncFolder(folder: string): void {
  try {
    const dfd = openSync(folder, 'r');
    try { fsyncSync(dfd); } finally { closeSync(dfd); }
  } catch { /* a folder that cannot be opened for fsync still has the renamed file */ }
}

/**
 * Writes `data` to `path` so that a crash leaves either the old file or the whole new one:
 * the bytes go to a temporary file in the same folder, which is fsynced and then renamed
 * over `path` (rename is atomic within a file system). The folder must exist. On failure
 * the temporary file is removed and `path` is untouched.
 * @throws Error naming `path` when the folder is missing or not writable.
 */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const tmp = tempPath(path);
  let fd: number;
  try {
    fd = openSync(tmp, 'w');
  } catch (error) {
    throw cannotWrite(path, error);
  }
  try {
    let done = 0;
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw cannotWrite(path, error);
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw cannotWrite(path, error);
  }
  syncFolder(dirname(path));
  removeStaleTemps(path);
}

/**
 * {@link writeFileAtomic} without blocking the event loop while the bytes are written and
 * synced: temporary file in the same folder, write, fsync, rename, fsync of the folder.
 * @throws Error naming `path` when the folder is missing or not writable.
 */
export async function writeFileAtomicAsync(path: string, data: Uint8Array | string): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const tmp = tempPath(path);
  let handle: FileHandle;
  try {
    handle = await open(tmp, 'w');
  } catch (error) {
    throw cannotWrite(path, error);
  }
  try {
    let done = 0;
    while (done < bytes.length) done += (await handle.write(bytes, done, bytes.length - done)).bytesWritten;
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(tmp, { force: true });
    throw cannotWrite(path, error);
  }
  await handle.close();
  try {
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw cannotWrite(path, error);
  }
  try {
    const dir = await open(dirname(path), 'r');
    try { await dir.sync(); } finally { await dir.close(); }
  } catch { /* as in syncFolder */ }
  removeStaleTemps(path);
}
