/**
 * Messages between the page and its two workers (compression, training). Plain data
 * (structured-clone safe): typed arrays, numbers, strings.
 */

/** What the compression worker is asked to compress. */
export type CompressInput =
  | { kind: 'png'; name: string; bytes: Uint8Array }
  | { kind: 'npy'; name: string; bytes: Uint8Array };

export interface CompressRequest {
  type: 'compress';
  input: CompressInput;
  /** Side (power of two) an image is shrunk to before folding. */
  size: number;
  /** Target RSE. */
  target: number;
  seed: number;
}

/** A picture the page draws: grey values row-major, shown with [lo, hi] mapped to black…white. */
export interface Picture {
  height: number;
  width: number;
  pixels: Float64Array;
  lo: number;
  hi: number;
}

/** One structure the search reached (its start, each kept reduction, the result). */
export interface StepMessage {
  type: 'step';
  seconds: number;
  params: number;
  cr: number;
  rse: number;
  dims: number[];
  ranks: number[][];
  /** The reconstruction of this structure (images only). */
  picture?: Picture;
}

/** Replies both workers send: the kernel is loaded (with the backends there are), or a request failed. */
export type CommonReply = { type: 'ready'; backends: string[] } | { type: 'error'; message: string };

export type CompressReply =
  | CommonReply
  | { type: 'log'; text: string }
  | { type: 'prepared'; dims: number[]; entries: number; original?: Picture }
  | StepMessage
  | { type: 'done'; seconds: number; params: number; cr: number; rse: number; evaluations: number; dims: number[]; ranks: number[][]; feasible: boolean; picture?: Picture };

export interface TrainRequest {
  type: 'train';
  bondDim: number;
  epochs: number;
  lr: number;
  seed: number;
}

export type TrainReply =
  | CommonReply
  | { type: 'log'; text: string }
  | { type: 'epoch'; record: Record<string, number> }
  | { type: 'done'; testAccuracy: number; trainAccuracy: number; epochs: number; seconds: number; samples: { train: number; validation: number; test: number } };

/** First message to each worker: where the wasm kernel is (and for training, the data set's CSV). */
export interface InitRequest {
  type: 'init';
  wasmUrl: string;
}
