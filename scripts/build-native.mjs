#!/usr/bin/env node
/**
 * Builds the optional OpenBLAS addon (build/Release/tnkit_native.node) with node-gyp.
 *
 * Runs on `npm install` and `npm run build:native`. It never fails the install: when
 * OpenBLAS is missing or the build breaks it prints one line saying why and exits 0,
 * and tnkit falls back to its wasm and TypeScript backends.
 *
 * It runs `node-gyp configure` + `build`, never `rebuild`: rebuild starts with
 * `clean`, which deletes all of build/, including the shipped build/wasm.
 *
 * Environment: TNKIT_SKIP_NATIVE=1 skips the build; TNKIT_VERBOSE=1 shows the
 * compiler output.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const addon = join(root, 'build', 'Release', 'tnkit_native.node');
const log = join(root, 'build', 'tnkit-native-build.log');
const verbose = process.env.TNKIT_VERBOSE === '1';

/** Prints the one-line fallback notice and ends the script successfully. */
function giveUp(reason) {
  console.log(`tnkit: native backend not built (${reason}); falling back to wasm/ts`);
  process.exit(0);
}

/** Include directories where a distribution or Homebrew puts OpenBLAS's cblas.h. */
function findCblasHeader() {
  const dirs = [
    '/usr/include',
    '/usr/include/openblas',
    '/usr/local/include',
    '/usr/local/opt/openblas/include',
    '/opt/homebrew/opt/openblas/include',
  ];
  // Debian/Ubuntu multiarch: /usr/include/<triplet>/cblas.h.
  try {
    for (const entry of readdirSync('/usr/include', { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name.includes('-linux-')) dirs.push(join('/usr/include', entry.name));
    }
  } catch {
    // No /usr/include (Windows): nothing to add.
  }
  return dirs.find((d) => existsSync(join(d, 'cblas.h')));
}

/** The node-gyp entry script: npm's own when run by npm, else one next to node or in node_modules. */
function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  try {
    candidates.push(createRequire(join(root, 'package.json')).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // Not installed locally.
  }
  return candidates.find((c) => c && existsSync(c));
}

/**
 * Node's own headers when they sit next to the binary (distribution packages, the
 * official tarballs), so node-gyp does not try to download them.
 */
function nodeDirArgs() {
  const prefix = join(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${prefix}`] : [];
}

/** Runs node-gyp with the given command; returns its combined output, or throws with the last error line. */
function nodeGyp(gyp, command) {
  const result = spawnSync(process.execPath, [gyp, command, ...nodeDirArgs()], {
    cwd: root,
    encoding: 'utf8',
    stdio: verbose ? 'inherit' : 'pipe',
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.error) throw new Error(`node-gyp ${command}: ${result.error.message}`);
  if (result.status !== 0) {
    const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
    const error = lines.find((l) => /error:|cannot find|undefined reference|not found/i.test(l))
      ?? lines.filter((l) => !l.startsWith('gyp info')).at(-1)
      ?? `exit status ${result.status}`;
    const failure = new Error(`node-gyp ${command} failed: ${error}`);
    failure.output = output;
    throw failure;
  }
  return output;
}

if (process.env.TNKIT_SKIP_NATIVE === '1') giveUp('TNKIT_SKIP_NATIVE=1');
if (!findCblasHeader()) giveUp('OpenBLAS headers not found: install libopenblas-dev or openblas');
const gyp = findNodeGyp();
if (!gyp) giveUp('node-gyp not found');

try {
  nodeGyp(gyp, 'configure');
  nodeGyp(gyp, 'build');
} catch (e) {
  if (e.output) {
    try {
      mkdirSync(dirname(log), { recursive: true });
      writeFileSync(log, e.output);
    } catch {
      // The log is a courtesy; the one-line notice below is what matters.
    }
  }
  giveUp(`${e.message}${e.output ? `; full log in ${log}` : ''}`);
}

// A built addon can still fail to load (e.g. libopenblas.so missing at run time):
// load it in a child process so a crash cannot take this script down.
const probe = spawnSync(process.execPath, ['-e', `const a = require(${JSON.stringify(addon)}); console.log(a.config().replace(/\\s+/g, ' ').trim());`], {
  encoding: 'utf8',
});
if (probe.status !== 0) {
  const why = `${probe.stderr ?? ''}`.split('\n').find((l) => /error/i.test(l)) ?? `exit status ${probe.status}`;
  giveUp(`built, but it does not load: ${why.trim()}`);
}
console.log(`tnkit: native backend built (${probe.stdout.trim()})`);
