/** The rows of `--json FILE` (`{"results": [...]}`), in the format issue 10 gives. */

export type Layout = 'nn' | 'tn' | 'nt' | 'tt';

/** One GEMM case: C[M,N] = op(A)[M,K] · op(B)[K,N] on one implementation. */
export interface GemmResult {
  suite: 'gemm';
  /** `backprop-js`, `backprop-wasm-simd`, `backprop-wasm-relaxed`, `tfjs-cpu`, `tfjs-wasm`, `torch`, `naive-js`. */
  impl: string;
  /** `MxKxN`. */
  shape: string;
  layout: Layout;
  threads: number;
  /** Median over the timing rounds. */
  gflops: number;
  /**
   * GFLOP/s in each timing round, in order; rows of the same shape were timed in the same rounds (round i of one
   * is round i of the other), so their ratio can be taken round by round. Absent for rows timed alone (torch).
   */
  rounds?: number[];
}

/** One training configuration; `samplesPerSec` and `peakRssMiB` are null when `unsupported` or `error` says why. */
export interface TrainResult {
  suite: 'train';
  /** `backprop-wasm`, `backprop-js`, `tfjs-wasm`, `tfjs-cpu`, `torch`. */
  impl: string;
  model: 'mlp' | 'cnn';
  threads: number;
  samplesPerSec: number | null;
  peakRssMiB: number | null;
  /** Why this implementation cannot run this model (the error it raised). */
  unsupported?: string;
  /** Why the measurement failed (a crash or time-out of its process). */
  error?: string;
}

/** One data-loading measurement. */
export interface LoadResult {
  suite: 'load';
  impl: string;
  dataset: string;
  seconds: number;
}

export type BenchResult = GemmResult | TrainResult | LoadResult;

/** Type guard for a parsed `{"results": [...]}` file (checks the fields the reports read). */
export function parseResults(json: unknown): BenchResult[] {
  const results = (json as { results?: unknown } | null)?.results;
  if (!Array.isArray(results)) throw new Error('bench results: expected {"results": [...]}');
  return results.map((r: unknown, i) => {
    const s = (r as { suite?: unknown } | null)?.suite;
    if (s !== 'gemm' && s !== 'train' && s !== 'load')
      throw new Error(`bench results: entry ${i} has suite ${String(s)}, expected gemm, train or load`);
    return r as BenchResult;
  });
}
