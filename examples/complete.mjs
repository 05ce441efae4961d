// Completion: fill in the missing entries of a tensor from the observed ones. With method
// 'validated' the network structure is grown while the error on held-out observed entries
// falls (the algorithm behind `tnkit complete`; the function is validatedCompletion), so it
// does not overfit when most entries are missing.
//   node examples/complete.mjs       (after `npm run build`)
// @ts-check
import { tensor, Compressor, rse, Random } from 'tnkit';

// A smooth 16 × 16 × 16 tensor (a sum of two separable waves) with 80 % of its entries hidden.
const d = 16;
const values = new Float64Array(d ** 3);
for (let p = 0; p < values.length; p++) {
  const i = Math.floor(p / d ** 2), j = Math.floor(p / d) % d, k = p % d;
  values[p] = Math.sin(i / 4 + j / 5) * Math.cos(k / 3) + 0.5 * Math.cos(i / 7 - k / 5);
}
const truth = tensor(values, [d, d, d]);
const rng = new Random(0);
const mask = Uint8Array.from(values, () => (rng.uniform() < 0.2 ? 1 : 0)); // 1 = observed
const observed = tensor(values.map((v, p) => (mask[p] ? v : 0)), [d, d, d]);

// Baseline: every missing entry set to the mean of the observed ones.
let sum = 0, count = 0;
for (let p = 0; p < values.length; p++) if (mask[p]) { sum += values[p]; count++; }
const meanFill = tensor(values.map((v, p) => (mask[p] ? v : sum / count)), [d, d, d]);
console.log(`observed ${count} of ${values.length} entries; mean fill: RSE ${rse(meanFill, truth).toFixed(3)}`);

// `truth` is optional: given, the fit also reports the error on the missing entries.
const c = new Compressor({ method: 'validated', seed: 0 }).fit(observed, { mask, truth });
const completed = c.complete(); // observed entries as given, missing ones from the network
console.log(`completion: RSE ${rse(completed, truth).toExponential(2)} on the whole tensor, ` +
  `${(c.rseMissing ?? NaN).toExponential(2)} on the missing entries, ${c.params} parameters, ${c.seconds.toFixed(1)} s`);
