import type { Embedding } from './embedding.js';
import { fourier } from './fourier.js';
import { linearComplement } from './linear-complement.js';
import { hermite, laguerre, legendre } from './orthogonal-polynomials.js';
import { polynomial } from './polynomial.js';
import { trigonometric } from './trigonometric.js';

/** The embedding specs {@link parseEmbedding} reads, for messages and help texts. */
export const EMBEDDING_SPECS = 'polynomial:D, trigonometric:k, fourier:p, legendre:D, hermite:D, laguerre:D, linear-complement';

/**
 * An embedding from a short spec `NAME[:ARG]` (the CLI's `--embedding`): `polynomial:D`
 * (degree D with bias, default 2), `trigonometric:k` (default 1), `fourier:p` (default 2),
 * `legendre:D`, `hermite:D`, `laguerre:D` (default 2), `linear-complement`.
 * @param label names the spec in errors (default 'embedding'; the CLI passes '--embedding').
 * @throws RangeError naming `label` for an unknown name or an argument that is not a positive integer.
 */
export function parseEmbedding(text: string, label = 'embedding'): Embedding {
  if (typeof text !== 'string') throw new TypeError(`${label}: expected a spec string such as 'polynomial:2', got ${typeof text}`);
  const colon = text.indexOf(':');
  const name = colon < 0 ? text : text.slice(0, colon);
  const arg = colon < 0 ? undefined : text.slice(colon + 1);
  const n = (fallback: number): number => {
    if (arg === undefined) return fallback;
    const v = Number(arg);
    if (arg.trim() === '' || !Number.isInteger(v) || v < 1) throw new RangeError(`${label}: '${text}': '${arg}' is not a positive integer`);
    return v;
  };
  const build = (): Embedding => {
    switch (name) {
      case 'polynomial':
        return polynomial({ degree: n(2), bias: true });
      case 'trigonometric':
        return trigonometric({ k: n(1) });
      case 'fourier':
        return fourier({ p: n(2) });
      case 'legendre':
        return legendre({ degree: n(2) });
      case 'hermite':
        return hermite({ degree: n(2) });
      case 'laguerre':
        return laguerre({ degree: n(2) });
      case 'linear-complement':
        if (arg !== undefined) throw new RangeError(`${label}: '${text}': linear-complement takes no argument`);
        return linearComplement({});
      default:
        throw new RangeError(`${label}: '${text}' is not one of ${EMBEDDING_SPECS}`);
    }
  };
  try {
    return build();
  } catch (e) {
    if ((e as Error).message.startsWith(`${label}: `)) throw e;
    // An argument the embedding itself refuses (e.g. fourier:1): keep its reason, name the spec.
    throw new RangeError(`${label}: '${text}': ${(e as Error).message}`, { cause: e });
  }
}
