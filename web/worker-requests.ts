/**
 * What both workers do with their messages: an 'init' request loads the wasm kernel and
 * makes it the backend, any other request goes to the worker's own handler, and whatever
 * either throws is answered as an 'error' message.
 */
import { availableBackends, loadWasmKernel, registerBackend, setBackend } from 'tnkit/browser';
import type { CommonReply, InitRequest } from './messages.js';

/** Installs the worker's `onmessage`: `run` handles every request but 'init'. */
export function serveRequests<R extends { type: string }>(run: (request: R) => void): void {
  const post = (m: CommonReply): void => postMessage(m);
  globalThis.onmessage = async (event: MessageEvent<InitRequest | R>) => {
    const msg = event.data;
    try {
      if (msg.type === 'init') {
        registerBackend(await loadWasmKernel((msg as InitRequest).wasmUrl));
        setBackend('wasm');
        post({ type: 'ready', backends: availableBackends() });
      } else run(msg as R);
    } catch (error) {
      post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  };
}
