/**
 * What the train suite measures, shared by the parent (which starts one child process per configuration, so each
 * peak RSS is that implementation's own) and the children that train.
 */

export type ModelName = 'mlp' | 'cnn';
export type TrainImpl = 'backprop-wasm' | 'backprop-js' | 'tfjs-wasm' | 'tfjs-cpu' | 'torch';

/**
 * Samples in the in-memory random data set: MNIST's training set size, as the RSS target states; `--quick` uses
 * 10 000 (creating 60 000 random images takes seconds per process), so its RSS figures are not the target's.
 */
export function datasetSize(quick: boolean): number {
  return quick ? 10_000 : 60_000;
}

export const BATCH_SIZE: Record<ModelName, number> = { mlp: 128, cnn: 64 };

/** Input shape of one sample, channels last (torch uses the same data channels first). */
export const INPUT_SHAPE: Record<ModelName, number[]> = { mlp: [784], cnn: [28, 28, 1] };

export const CLASSES = 10;

/**
 * How long to train. The warm-up epoch runs at least `warmupSteps` steps and `warmupSeconds`; its second half
 * sets the steps of each timed epoch so one lasts about `epochSeconds` (at least `minSteps`), and the median of
 * `epochs` timed epochs is reported. An epoch is therefore a fixed number of batches per implementation rather
 * than a pass over all 60 000 samples: tfjs-cpu needs seconds per CNN batch, backprop-wasm milliseconds.
 */
export interface Schedule {
  quick: boolean;
  warmupSteps: number;
  warmupSeconds: number;
  epochSeconds: number;
  minSteps: number;
  epochs: number;
}

export function schedule(quick: boolean): Schedule {
  return quick
    ? { quick, warmupSteps: 2, warmupSeconds: 1, epochSeconds: 1.2, minSteps: 1, epochs: 3 }
    : { quick, warmupSteps: 4, warmupSeconds: 2, epochSeconds: 3, minSteps: 3, epochs: 3 };
}

/** What a child prints as its last stdout line (JSON). */
export interface ChildReport {
  samplesPerSec?: number;
  /** Largest RSS seen after any step (data set resident), MiB. */
  peakRssMiB?: number;
  /** RSS once the data set exists, before training, MiB (what the data's creation left resident). */
  dataRssMiB?: number;
  /** Steps in each timed epoch. */
  stepsPerEpoch?: number;
  /** samples/s of every timed epoch. */
  epochRates?: number[];
  /** The implementation's own description of what ran (kernel variant, threads, BLAS). */
  detail?: string;
  unsupported?: string;
}
