import type { Tensor } from '@backprop/core-tensor';
import {
  ArgumentError,
  ShapeError,
  Tensor as TensorClass,
  gather,
  keep,
  permutation,
  slice,
} from '@backprop/core-tensor';
import type { Generator } from '@backprop/core-tensor';

/** One training batch. */
export interface Batch {
  x: Tensor;
  y: Tensor;
  sampleWeight?: Tensor;
}

/** A source of batches for one epoch at a time. `steps` is the number of batches per epoch when known. */
export interface BatchSource {
  readonly steps: number | undefined;
  readonly numSamples: number | undefined;
  epoch(): AsyncIterable<Batch> | Iterable<Batch>;
}

export function assertSameLength(op: string, x: Tensor, y: Tensor, what = 'y'): void {
  if (x.rank === 0 || y.rank === 0)
    throw new ShapeError(
      `${op}: x and ${what} need a batch dimension, got [${x.shape.join(',')}] and [${y.shape.join(',')}]`,
    );
  if (x.shape[0] !== y.shape[0]) {
    throw new ShapeError(
      `${op}: x has ${x.shape[0]} samples but ${what} has ${y.shape[0]} (shapes [${x.shape.join(',')}] and [${y.shape.join(',')}]); ` +
        'they must have the same first dimension',
    );
  }
}

function rows(t: Tensor, start: number, end: number): Tensor {
  return slice(t, [start], [end]);
}

/**
 * Batches from in-memory tensors. Without shuffling each batch is one contiguous slice; with shuffling, one
 * gather by a permuted index range. Either way there is no per-sample JavaScript work.
 */
export function arrayBatches(
  x: Tensor,
  y: Tensor,
  sampleWeight: Tensor | undefined,
  batchSize: number,
  shuffle: boolean,
  generator: Generator,
): BatchSource {
  const n = x.shape[0]!;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new ArgumentError(`fit: batchSize must be a positive integer, got ${batchSize}`);
  const steps = Math.ceil(n / batchSize);
  return {
    steps,
    numSamples: n,
    *epoch() {
      const order = shuffle ? keep(permutation(n, { generator })) : undefined;
      try {
        for (let s = 0; s < steps; s++) {
          const start = s * batchSize;
          const end = Math.min(n, start + batchSize);
          if (order) {
            const idx = rows(order, start, end);
            const batch = {
              x: gather(x, idx),
              y: gather(y, idx),
              sampleWeight: sampleWeight && gather(sampleWeight, idx),
            };
            // The index tensor lives outside the step's scope (it is made before the step starts), so free it here:
            // left to the GC it leaked one tensor per shuffled batch.
            idx.dispose();
            yield batch;
          } else {
            yield {
              x: rows(x, start, end),
              y: rows(y, start, end),
              sampleWeight: sampleWeight && rows(sampleWeight, start, end),
            };
          }
        }
      } finally {
        order?.dispose();
      }
    },
  };
}

/** The last `fraction` of the samples, as Keras' validationSplit takes them (before any shuffling). */
export function splitTail(
  x: Tensor,
  y: Tensor,
  fraction: number,
): { train: [Tensor, Tensor]; val: [Tensor, Tensor] } {
  if (!(fraction > 0 && fraction < 1))
    throw new ArgumentError(`fit: validationSplit must be in (0, 1), got ${fraction}`);
  const n = x.shape[0]!;
  const cut = Math.floor(n * (1 - fraction));
  if (cut === 0 || cut === n)
    throw new ArgumentError(
      `fit: validationSplit ${fraction} leaves no training or no validation samples (of ${n})`,
    );
  return { train: [rows(x, 0, cut), rows(y, 0, cut)], val: [rows(x, cut, n), rows(y, cut, n)] };
}

function isAsyncIterable(v: unknown): v is AsyncIterable<unknown> {
  return v !== null && typeof v === 'object' && Symbol.asyncIterator in v;
}

/** Reads one element of a Dataset: `{xs, ys}`, `{x, y}` or `[x, y]` (with an optional sample weight). */
function toBatch(el: unknown): Batch {
  if (Array.isArray(el) && el[0] instanceof TensorClass && el[1] instanceof TensorClass) {
    return { x: el[0], y: el[1], sampleWeight: el[2] instanceof TensorClass ? el[2] : undefined };
  }
  if (el !== null && typeof el === 'object') {
    const o = el as Record<string, unknown>;
    const x = o.xs ?? o.x;
    const y = o.ys ?? o.y;
    const w = o.sampleWeight ?? o.sampleWeights;
    if (x instanceof TensorClass && y instanceof TensorClass) {
      return { x, y, sampleWeight: w instanceof TensorClass ? w : undefined };
    }
  }
  throw new ArgumentError(
    'fit: a Dataset must yield batches {xs, ys} (or [x, y]) of tensors; batch it first with .batch(n)',
  );
}

/** Batches streamed from a @backprop/data Dataset (or any async iterable of batches). */
export function datasetBatches(ds: unknown, stepsPerEpoch?: number): BatchSource {
  if (!isAsyncIterable(ds))
    throw new ArgumentError('fit: expected x and y tensors, or a Dataset of {xs, ys} batches');
  const size = (ds as { size?: number }).size;
  return {
    steps: stepsPerEpoch ?? (typeof size === 'number' ? size : undefined),
    numSamples: undefined,
    async *epoch() {
      let i = 0;
      for await (const el of ds) {
        if (stepsPerEpoch !== undefined && i++ >= stepsPerEpoch) break;
        yield toBatch(el);
      }
    },
  };
}

export function isDatasetLike(v: unknown): boolean {
  return isAsyncIterable(v) && !(v instanceof TensorClass);
}
