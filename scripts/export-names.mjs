#!/usr/bin/env node
// Lists the names the public entries export (src/index.ts, src/browser.ts, and the
// `autodiff` namespace) with the module that declares each, and flags names that two
// modules declare with different meanings: every exported declaration of every source
// file under src/ (tests and test helpers left out) is grouped by name, and a name
// declared in more than one module is a duplicate. Exit status 1 when a duplicate is
// visible from a public entry.
//   node scripts/export-names.mjs [--list]
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const config = ts.getParsedCommandLineOfConfigFile(`${root}tsconfig.json`, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
const program = ts.createProgram(config.fileNames, config.options);
const checker = program.getTypeChecker();
const rel = (f) => relative(root, f);
const isTestFile = (f) => /\.test\.ts$|testing\.ts$|test-[a-z-]+\.ts$|test-support\.ts$/.test(f);

/** The module declaring `sym` (aliases resolved). */
function declaringFile(sym) {
  const target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
  const decl = target.declarations?.[0];
  return { target, file: decl ? rel(decl.getSourceFile().fileName) : '?' };
}

/** Public names: entry → [name, declaring file], namespace exports flattened as `ns.name`. */
function publicNames(entry) {
  const sf = program.getSourceFile(`${root}${entry}`);
  const out = [];
  const walk = (moduleSym, prefix) => {
    for (const sym of checker.getExportsOfModule(moduleSym)) {
      const { target, file } = declaringFile(sym);
      if (target.flags & ts.SymbolFlags.ValueModule && target.declarations?.[0]?.kind === ts.SyntaxKind.SourceFile) {
        walk(target, `${prefix}${sym.name}.`);
      } else {
        out.push([`${prefix}${sym.name}`, file, target]);
      }
    }
  };
  walk(checker.getSymbolAtLocation(sf), '');
  return out;
}

// Every exported declaration of every library module, by name.
const byName = new Map();
for (const sf of program.getSourceFiles()) {
  const f = sf.fileName;
  if (!f.startsWith(`${root}src/`) || isTestFile(f) || f.includes('/assembly/')) continue;
  const modSym = checker.getSymbolAtLocation(sf);
  if (!modSym) continue;
  for (const sym of checker.getExportsOfModule(modSym)) {
    const { target, file } = declaringFile(sym);
    if (file !== rel(f)) continue; // a re-export; counted where it is declared
    if (!byName.has(sym.name)) byName.set(sym.name, new Map());
    byName.get(sym.name).set(file, target);
  }
}

const entries = ['src/index.ts', 'src/browser.ts'];
const publicSet = new Map(); // name (without namespace) → files visible from an entry
for (const entry of entries) {
  for (const [name, file] of publicNames(entry)) {
    const bare = name.slice(name.lastIndexOf('.') + 1);
    if (!publicSet.has(bare)) publicSet.set(bare, new Set());
    publicSet.get(bare).add(`${file}${name.includes('.') ? ` (as ${name})` : ''}`);
  }
}

if (process.argv.includes('--list')) {
  for (const entry of entries) {
    const names = publicNames(entry);
    console.log(`# ${entry}: ${names.length} names`);
    for (const [name, file] of names.sort((a, b) => a[0].localeCompare(b[0]))) console.log(`${name}\t${file}`);
  }
}

const dups = [...byName].filter(([, files]) => files.size > 1).sort((a, b) => a[0].localeCompare(b[0]));
console.log(`# names declared in more than one module of src/: ${dups.length}`);
for (const [name, files] of dups) {
  const pub = publicSet.get(name);
  console.log(`${name}\t${[...files.keys()].join(', ')}${pub ? `\tPUBLIC: ${[...pub].join(', ')}` : ''}`);
}
// Names visible from the entries under one name but from two modules (e.g. a namespace and the top level).
const publicTwice = [...publicSet].filter(([, files]) => new Set([...files].map((f) => f.split(' ')[0])).size > 1);
console.log(`# public names reachable from two modules: ${publicTwice.length}`);
for (const [name, files] of publicTwice) console.log(`${name}\t${[...files].join(', ')}`);
process.exit(publicTwice.length > 0 ? 1 : 0);
