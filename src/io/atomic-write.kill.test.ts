import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Random } from '../tensor/random.js';
import { loadNetwork } from './network-file.js';

/*
 * Kill-mid-write: a child process rewrites an 8 MB network file in a loop with
 * saveNetwork (writeFileAtomic) or saveNetworkAsync (writeFileAtomicAsync) and is
 * SIGKILLed at random moments. After each kill the file must parse whole and hold the
 * last generation the child reported done, or the one after it (killed between the rename
 * and the report); a leftover temporary file shows the kill landed mid-write. The child
 * runs the compiled dist/ (as the CLI does): `npm run build:ts` first.
 */

const root = join(import.meta.dirname, '..', '..');
const dist = (p: string): string => pathToFileURL(join(root, 'dist', p)).href;
const dir = mkdtempSync(join(tmpdir(), 'tnkit-kill-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The child: writes generation g, g+1, … of `path` and reports each on stdout once it is
 * in place. A generation is an MPS with bond 256 (~8.4 MB) whose tensors start with the
 * entry g, and whose metadata give g and the sum of all entries. Mode 'in-place' writes
 * as tnkit did before (writeFileSync: truncate, then write), the control that shows the
 * check catches a torn file.
 */
const CHILD = `
import { writeFileSync, writeSync } from 'node:fs';
const { mps } = await import(${JSON.stringify(dist('network/topologies.js'))});
const { saveNetwork, saveNetworkAsync } = await import(${JSON.stringify(dist('io/network-file.js'))});
const { encodeNetwork } = await import(${JSON.stringify(dist('network/file-format.js'))});
const [path, mode, first] = process.argv.slice(1);
const net = mps([16, 16, 16], 256, { seed: 1 });
for (let gen = Number(first); ; gen++) {
  let sum = 0;
  for (const t of net.tensors()) {
    const a = t.data.toTypedArray();
    a[0] = gen;
    for (const v of a) sum += v;
  }
  if (mode === 'async') await saveNetworkAsync(path, net, { gen, sum });
  else if (mode === 'sync') saveNetwork(path, net, { gen, sum });
  else writeFileSync(path, encodeNetwork(net, { metadata: { gen, sum } }));
  writeSync(1, gen + '\\n');
}
`;

type Mode = 'sync' | 'async' | 'in-place';

/** What a kill left: the last generation the child reported written, whether its temporary file remained, and the file's generation or why it does not parse whole. */
interface KillRound { lastReported: number; midWrite: boolean; onDisk: number | Error }

/** Reads `path` whole: its generation, or an Error when it is torn (does not parse, or its entries are not of the generation it names). */
function generationOnDisk(path: string): number | Error {
  try {
    const { metadata, network } = loadNetwork(path);
    const meta = metadata as { gen: number; sum: number };
    let sum = 0;
    for (const t of network.tensors()) {
      const a = t.data.toTypedArray();
      if (a[0] !== meta.gen) return new Error(`a tensor starts with ${a[0]}, not generation ${meta.gen}`);
      for (const v of a) sum += v;
    }
    return sum === meta.sum ? meta.gen : new Error(`the entries sum to ${sum}, not ${meta.sum}`);
  } catch (error) {
    return error as Error;
  }
}

/** Starts the writer at generation `first`, waits for its first report, then `delayMs` more, and SIGKILLs it. */
async function killRound(path: string, mode: Mode, first: number, delayMs: number): Promise<KillRound> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, path, mode, String(first)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`the writer exited (${code}) before its first write: ${err}`)));
  });
  await new Promise((r) => setTimeout(r, delayMs));
  child.kill('SIGKILL');
  await exited;
  const name = basename(path);
  return {
    lastReported: Number(out.trim().split('\n').at(-1)),
    midWrite: readdirSync(dir).some((n) => n.startsWith(`.${name}.${child.pid}.`) && n.endsWith('.tmp')),
    onDisk: generationOnDisk(path),
  };
}

describe('atomic writes under SIGKILL', () => {
  const built = existsSync(join(root, 'dist', 'io', 'network-file.js'));

  it('leave the previous or the new whole file, never a torn one (sync and async writers)', { timeout: 60_000 }, async () => {
    expect(built, 'the writer runs dist/: npm run build:ts first').toBe(true);
    const rng = new Random(11);
    const figures: string[] = [];
    for (const mode of ['sync', 'async'] as const) {
      const path = join(dir, `ck-${mode}.tn`);
      let next = 1;
      let midWrites = 0;
      const kills = 6;
      for (let k = 0; k < kills; k++) {
        const r = await killRound(path, mode, next, rng.int(250));
        if (r.onDisk instanceof Error) throw new Error(`${mode} writer, kill ${k + 1}: ${path} is torn: ${r.onDisk.message}`);
        expect([r.lastReported, r.lastReported + 1]).toContain(r.onDisk);
        if (r.midWrite) midWrites++;
        next = r.onDisk + 1;
      }
      figures.push(`${mode}: ${kills} kills, ${midWrites} mid-write`);
      // Leftover temporary files are dot files ending in .tmp, never taken for the file itself.
      for (const name of readdirSync(dir)) expect(name).toMatch(/^ck-(sync|async)\.tn$|^\.ck-(sync|async)\.tn\.\d+\.[0-9a-z]+\.tmp$/);
    }
    console.log(`kill-mid-write: ${figures.join('; ')}`);
  });

  it('catch a writer that truncates in place (the check can fail)', { timeout: 60_000 }, async () => {
    expect(built, 'the writer runs dist/: npm run build:ts first').toBe(true);
    const rng = new Random(12);
    const path = join(dir, 'in-place.tn');
    let next = 1;
    // Each kill lands mid-write with a fair chance; stop at the first torn file (30 misses in a row are ~1e-4 likely).
    for (let k = 1; k <= 30; k++) {
      const r = await killRound(path, 'in-place', next, rng.int(250));
      if (r.onDisk instanceof Error) {
        console.log(`kill-mid-write: the in-place writer left a torn file at kill ${k}: ${r.onDisk.message}`);
        return;
      }
      next = r.onDisk + 1;
    }
    expect.fail('30 kills of an in-place writer never left a torn file: the check would not catch one');
  });
});
