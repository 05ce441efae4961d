#!/usr/bin/env node
// Runs `tnkit/browser` (dist/browser.js + build/wasm/tnkit.wasm) in a headless Chromium and
// checks it: the wasm kernel loads by fetch, einsum/SVD on wasm agree with the TypeScript
// reference, a TT-SVD is exact, an MPS classifier trains, `.npy` bytes round-trip.
// Not part of `npm test` (CI has no browser); run after `npm run build`:
//   node scripts/browser-check.mjs [--browser /usr/bin/chromium]
// Exit status 0 when every check passes; prints the page's JSON report.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { browser: { type: 'string' }, timeout: { type: 'string', default: '120' } } });
const root = fileURLToPath(new URL('..', import.meta.url));
const candidates = [values.browser, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean);
const browser = candidates.find((p) => existsSync(p));
if (!browser) {
  console.error(`browser-check: no Chromium found (tried ${candidates.join(', ')}); install one (Debian: apt-get install chromium) or pass --browser PATH`);
  process.exit(2);
}
for (const need of ['dist/browser.js', 'build/wasm/tnkit.wasm']) {
  if (!existsSync(join(root, need))) {
    console.error(`browser-check: ${need} is missing; run npm run build first`);
    process.exit(2);
  }
}

// The page: imports the browser entry as plain ES modules (no bundler) and reports in <pre id="out">.
const page = `<!doctype html><meta charset="utf-8"><title>tnkit browser check</title><pre id="out">running</pre>
<script type="module">
const out = document.getElementById('out');
const report = { ok: false, checks: {} };
try {
  const tn = await import('/dist/browser.js');
  const wasm = await tn.loadWasmKernel('/build/wasm/tnkit.wasm');
  tn.registerBackend(wasm);
  report.backends = tn.availableBackends();
  const maxDiff = (x, y) => { const a = x.toTypedArray(), b = y.toTypedArray(); let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i])); return m; };
  const check = (name, value, limit) => { report.checks[name] = { value, limit, pass: value <= limit }; };

  const a = tn.randn([96, 64], { seed: 1 }), b = tn.randn([64, 40], { seed: 2 }), c = tn.randn([40, 8], { seed: 3 });
  const refProduct = tn.withBackend('ts', () => tn.einsum('ij,jk,kl->il', a, b, c));
  for (const dtype of ['f64', 'f32']) {
    const w = tn.withBackend('wasm', () => tn.einsum('ij,jk,kl->il', a.astype(dtype), b.astype(dtype), c.astype(dtype)));
    check('einsum wasm vs ts, ' + dtype + ' (max abs diff / max abs)', maxDiff(w.astype('f64'), refProduct) / tn.max(tn.abs(refProduct)), dtype === 'f64' ? 1e-12 : 1e-4);
  }
  const { U, S, Vt } = tn.withBackend('wasm', () => tn.svd(a));
  const back = tn.einsum('ik,k,kj->ij', U, S, Vt);
  check('svd wasm: |A - U S Vt| / |A|', tn.norm(tn.sub(back, a)) / tn.norm(a), 1e-12);
  const sRef = tn.withBackend('ts', () => tn.svd(a)).S;
  check('svd wasm vs ts singular values', maxDiff(S, sRef), 1e-10);

  const R = tn.ringRankMatrix(4, [2, 3, 2, 3]);
  const x = tn.contractCores(tn.randomCores([4, 5, 4, 5], R, { seed: 7 }), R);
  const tt = tn.ttSvd(x, { relTol: 1e-10 });
  check('ttSvd of a 4x5x4x5 ring: rse', tt.rse, 1e-9);

  const n = 64, sites = 6;
  const X = tn.rand([n, sites], { seed: 4 });
  const y = Int32Array.from({ length: n }, (_, i) => (X.get(i, 0) + X.get(i, 1) > 1 ? 1 : 0));
  const model = tn.MpsModel.create({ sites, physDim: 3, bondDim: 4, outputDim: 2, seed: 0 });
  const data = tn.productStateSource(X, tn.polynomial({ degree: 2, bias: true }), { labels: y });
  const result = tn.train(tn.supervisedProblem(model), data, { epochs: 30, batchSize: 16, optimizer: tn.autodiff.adam({ lr: 1e-2 }), seed: 0 });
  const first = result.history[0].loss, last = result.history[result.history.length - 1].loss;
  check('MPS classifier: final / first training loss', last / first, 0.9);

  const bytes = tn.serializeNpy(a);
  check('npy round trip max diff', maxDiff(tn.parseNpy(bytes), a), 0);
  report.ok = Object.values(report.checks).every((c) => c.pass);
} catch (e) {
  report.error = String(e && e.stack || e);
}
out.textContent = JSON.stringify(report);
document.title = 'done';
</script>`;

const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.map': 'application/json' };
const server = createServer(async (req, res) => {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  if (path === '/check.html') {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(page);
    return;
  }
  const file = normalize(join(root, path));
  if (!file.startsWith(root) || !(path.startsWith('/dist/') || path.startsWith('/build/wasm/'))) {
    res.writeHead(404).end();
    return;
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const url = `http://127.0.0.1:${server.address().port}/check.html`;

// --dump-dom prints the DOM once the page is idle; the virtual-time budget lets the module
// scripts (fetch, wasm compile, training) finish first.
const args = ['--headless', '--no-sandbox', '--disable-gpu', '--virtual-time-budget=600000', '--dump-dom', url];
execFile(browser, args, { timeout: Number(values.timeout) * 1000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
  server.close();
  const match = /<pre id="out">([\s\S]*?)<\/pre>/.exec(stdout);
  if (!match) {
    console.error(`browser-check: no report from ${browser}${error ? `: ${error.message}` : ''}\n${stderr.slice(-2000)}`);
    process.exit(1);
  }
  const text = match[1].replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  let report;
  try {
    report = JSON.parse(text);
  } catch {
    console.error(`browser-check: the page did not finish (${text.slice(0, 200)})`);
    process.exit(1);
  }
  console.log(JSON.stringify(report, null, 2));
  process.exit(report.ok ? 0 : 1);
});
