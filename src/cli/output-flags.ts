import { checkNetworkOutput, checkTensorOutput } from '../io/output-file.js';

/** One output of a run: the flag that asked for it and the path. */
export interface RunOutput {
  flag: string;
  path: string;
}

/** Where a run that fits a network writes it (`network`, a `.tn` file) and its reconstruction (`tensor`). */
export interface RunOutputs {
  network?: RunOutput;
  tensor?: RunOutput;
}

/** The output flags shared by `search`, `complete` and `decompose`. */
export interface RunOutputFlags {
  out?: string;
  save?: string;
  reconstruct?: string;
}

/**
 * One rule for every command that fits a network: `--save NET.tn` saves the network,
 * `--reconstruct FILE` writes the reconstruction, and `--out FILE` writes whichever its
 * extension names (`.tn`: the network; `.npy`, `.png`, `.u8`, `.u8.gz`: the reconstruction).
 * Checked before any work; `shape` (the input's layout), when known, lets a `.png` be refused
 * for data that is no image.
 * @throws Error naming the flag: a wrong extension, a missing folder, or two flags for one output.
 */
export function runOutputs(flags: RunOutputFlags, shape?: readonly number[]): RunOutputs {
  const outputs: RunOutputs = {};
  const put = (kind: keyof RunOutputs, flag: string, path: string): void => {
    const taken = outputs[kind];
    if (taken) throw new Error(`${flag} ${path}: ${taken.flag} ${taken.path} already writes the ${kind === 'network' ? 'network' : 'reconstruction'}; give one of them`);
    outputs[kind] = { flag, path };
  };
  if (flags.out !== undefined) put(flags.out.toLowerCase().endsWith('.tn') ? 'network' : 'tensor', '--out', flags.out);
  if (flags.save !== undefined) put('network', '--save', flags.save);
  if (flags.reconstruct !== undefined) put('tensor', '--reconstruct', flags.reconstruct);
  if (outputs.network) checkNetworkOutput(outputs.network.flag, outputs.network.path, '; write the reconstruction with --reconstruct FILE.npy|.png|.u8');
  if (outputs.tensor) checkTensorOutput(outputs.tensor.flag, outputs.tensor.path, shape);
  return outputs;
}

/** The help lines of the three output flags, one wording for every command. */
export const OUTPUT_FLAG_HELP = {
  out: 'write by extension: NET.tn saves the network (as --save), FILE.npy|.png|.u8|.u8.gz the reconstruction (as --reconstruct)',
  save: 'save the network (structure, cores, and what maps it back to the input) as a .tn file; tnkit reconstruct reads it',
  reconstruct: 'write the reconstruction in the input\'s layout: .npy, .png (image) or .u8/.u8.gz (8-bit raw video + sidecar .json)',
} as const;
