import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

// Folders to write reports into are checked by checkOutputDir in src/io/output-file.ts.

function writableFolder(dir: string, flag: string, what: string): void {
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new Error(`${flag}: ${what}: the folder ${dir} does not exist`);
  }
  if (!isDir) throw new Error(`${flag}: ${what}: ${dir} is not a folder`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new Error(`${flag}: ${what}: the folder ${dir} is not writable`);
  }
}

/**
 * Checks, before any work, that a file can be written at `path`: its folder exists and is
 * writable, and `path` is not a folder.
 * @throws Error naming the flag and the path.
 */
export function checkOutputFile(path: string, flag: string): void {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    stat = undefined;
  }
  if (stat?.isDirectory()) throw new Error(`${flag}: ${path} is a folder, not a file`);
  writableFolder(dirname(resolve(path)), flag, path);
}
