// Compress an image with the Compressor estimator: fit a tensor network to the image
// reshaped into many small modes, read back the structure, its size and error, rebuild the
// image and save the network. TT-SVD (a fixed format) against RGTN (structure search).
//   node examples/compress.mjs       (after `npm run build`)
// The CLI on the full-size image: npx tnkit search data/images/camera.png --method rgtn --rse 0.1 --shape 4,4,4,4,4,4,4,4,4 --out camera.tn
// @ts-check
import { Compressor, readPng, resizeArea, psnr } from 'tnkit';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The 512 × 512 grey "camera" test image, shrunk to 32 × 32 by area averaging (a small, quick case).
const image = resizeArea(readPng(new URL('../data/images/camera.png', import.meta.url).pathname), 32);
const shape = [4, 4, 4, 4, 4]; // 32 × 32 = 4^5: each mode one level of a quadtree-like split

for (const method of /** @type {const} */ (['tt', 'rgtn'])) {
  const c = new Compressor({ method, rse: 0.15, shape, clip: [0, 255], seed: 0 }).fit(image);
  const back = c.reconstruct(); // 32 × 32 again
  console.log(`${method}: ${c.params} parameters (CR ${c.cr.toFixed(3)}), RSE ${c.rse.toFixed(4)}, ` +
    `PSNR ${psnr(back, image, { peak: 255 }).toFixed(1)} dB, ${c.seconds.toFixed(1)} s`);
  if (method === 'rgtn') {
    const file = join(mkdtempSync(join(tmpdir(), 'tnkit-example-')), 'camera.tn');
    c.save(file); // the network file format, with what maps the cores back to the image
    const again = Compressor.load(file).reconstruct();
    console.log(`saved ${file}; reloaded reconstruction PSNR ${psnr(again, image, { peak: 255 }).toFixed(1)} dB`);
  }
}
