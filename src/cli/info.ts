import type { Command } from 'commander';
import { backendStatus, getKernel } from '../kernels/registry.js';
import { packageVersion } from './version.js';

/** `tnkit info`: version, active backend, which backends loaded and why not. */
export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('show the version, the active compute backend and which backends are available')
    .option('--json', 'print JSON on stdout')
    .action((opts: { json?: boolean }) => {
      const status = backendStatus();
      const active = getKernel();
      const info = {
        version: packageVersion(),
        backend: active.name,
        backends: { native: status.native.available, wasm: status.wasm.available, ts: true },
        blas: status.native.available ? status.native.detail : null,
        details: { native: status.native.detail, wasm: status.wasm.detail, ts: status.ts.detail },
        node: process.version,
      };
      if (opts.json) {
        process.stdout.write(JSON.stringify(info, null, 2) + '\n');
        return;
      }
      console.log(`tnkit ${info.version} (Node ${info.node})`);
      console.log(`active backend: ${info.backend}`);
      for (const name of ['native', 'wasm', 'ts'] as const) {
        const s = status[name];
        console.log(`  ${s.available ? '✓' : '✗'} ${name.padEnd(6)} ${s.detail}`);
      }
      if (!status.native.available) console.log('(the native backend needs libopenblas-dev at install time; tnkit falls back to wasm, then ts)');
    });
}
