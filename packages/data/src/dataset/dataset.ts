import type { Tensor } from '@backprop/core-tensor';
import { ArgumentError } from '@backprop/core-tensor';
import { assertCount, assertFraction } from '../arrays';
import { Rng, randomSeed } from '../random';
import type { Batched } from './batched';
import { indexedBatches, indexedElements } from './indexed';
import type { IndexOrder } from './order';
import {
  concatOrder,
  rangeOrder,
  repeatOrder,
  selectOrder,
  shuffleOrder,
  skipOrder,
  takeOrder,
} from './order';
import { PassSeeds } from './shuffle';
import type { ColumnInput, ColumnSpec, ElementSource } from './sources';
import { arrayStore, generatorStream, iterableStream, tensorStore } from './sources';
import type { IndexedStore } from './store';
import type { Stream } from './stream';
import * as S from './stream';

/** An in-memory source plus the row order of one pass (see `order.ts`), or a general async stream. */
type Plan<T> =
  { kind: 'indexed'; store: IndexedStore<T>; order: IndexOrder } | { kind: 'stream'; stream: Stream<T> };

/** Options of `Dataset.batch`. */
export interface BatchOptions {
  /** Drop a last batch smaller than `batchSize` (keeps every batch the same shape). Default false. */
  dropRemainder?: boolean;
}

/** Options of `Dataset.split`. */
export interface SplitOptions {
  /** Seed of the random choice of validation samples; random when omitted. */
  seed?: number;
  /**
   * Choose validation samples at random (default). With `false` the last samples are taken, like Keras'
   * `validationSplit`.
   */
  shuffle?: boolean;
}

/** Options of the generator sources. */
export interface SourceOptions {
  /** Elements per pass, when the caller knows it (makes `size`, `split` and progress bars work). */
  size?: number;
}

/** The element type of a dataset. */
export type ElementOf<D> = D extends Dataset<infer T> ? T : never;

/**
 * A lazy, re-iterable sequence of elements: data in, batches out (after tf.data). Operators return new datasets
 * and never change the one they are called on; nothing runs until a pass iterates it with `for await`. Each pass
 * (epoch) starts from the beginning, and `shuffle` reshuffles per pass.
 *
 * In-memory datasets (`fromArrays`, `fromTensors`) keep their samples in contiguous typed arrays: `shuffle`,
 * `take`, `skip`, `repeat`, `split` and `concatenate` then only rearrange row numbers, and `batch` copies each
 * batch out in one piece (one copy of a contiguous range, or one gather after a shuffle). `map` and `filter` need
 * the samples themselves and switch to per-sample processing from there on.
 *
 * @example
 * const ds = Dataset.fromArrays({ xs: pixels, ys: labels }, { xs: [28, 28, 1] }).shuffle(60000, 42).batch(128);
 * for await (const { xs, ys } of ds) { … } // xs: [128, 28, 28, 1] float32, ys: [128] int32
 */
export class Dataset<T> implements AsyncIterable<T> {
  readonly #plan: Plan<T>;

  private constructor(plan: Plan<T>) {
    this.#plan = plan;
  }

  /**
   * Samples from typed arrays or nested number arrays: one column (elements are tensors) or a record of columns
   * (elements are records of tensors). A typed array holds its rows back to back; `specs` gives each row's shape
   * (default scalar) and optionally its dtype (default: the array's; bytes and other integers become int32, JS
   * numbers float32). Arrays already of the target type are used without copying: do not modify them afterwards.
   * @example Dataset.fromArrays({ xs: new Float32Array(n * 2), ys: labels }, { xs: [2], ys: { dtype: 'int32' } })
   */
  static fromArrays(values: ColumnInput, spec?: ColumnSpec): Dataset<Tensor>;
  static fromArrays<C extends Record<keyof C, ColumnInput>>(
    columns: C,
    specs?: { [K in keyof C]?: ColumnSpec },
  ): Dataset<{ [K in keyof C]: Tensor }>;
  static fromArrays(
    data: ColumnInput | Record<string, ColumnInput>,
    specs?: ColumnSpec | Record<string, ColumnSpec | undefined>,
  ): Dataset<unknown> {
    const store = arrayStore(data, specs);
    return new Dataset({ kind: 'indexed', store, order: rangeOrder(store.length) });
  }

  /**
   * Samples along the first dimension of a tensor, a tuple or a record of tensors (tf.data's
   * `from_tensor_slices`). The values are copied out once, so the tensors may be disposed afterwards.
   * @example Dataset.fromTensors({ xs, ys }) // elements { xs: xs[i], ys: ys[i] }
   */
  static fromTensors(tensor: Tensor): Dataset<Tensor>;
  static fromTensors<const C extends readonly Tensor[] | Record<keyof C, Tensor>>(
    tensors: C,
  ): Dataset<{ -readonly [K in keyof C]: Tensor }>;
  static fromTensors(data: Tensor | readonly Tensor[] | Record<string, Tensor>): Dataset<unknown> {
    const store = tensorStore(data);
    return new Dataset({ kind: 'indexed', store, order: rangeOrder(store.length) });
  }

  /**
   * Elements from a function called once per pass, returning an iterator or (async) iterable: a generator
   * function, an async generator function, or `() => array`.
   * @example Dataset.fromGenerator(function* () { for (let i = 0; i < 10; i++) yield { x: i, y: 2 * i }; })
   */
  static fromGenerator<T>(fn: () => ElementSource<T>, options: SourceOptions = {}): Dataset<T> {
    checkSize('fromGenerator', options.size);
    return Dataset.#stream(generatorStream(fn, options.size));
  }

  /**
   * Elements of an async (or sync) iterable, which is iterated anew on each pass. A one-shot iterable (an
   * async generator object) can be read only once; use `fromGenerator` to pass more than once.
   */
  static fromAsyncIterable<T>(
    iterable: AsyncIterable<T> | Iterable<T>,
    options: SourceOptions = {},
  ): Dataset<T> {
    checkSize('fromAsyncIterable', options.size);
    return Dataset.#stream(iterableStream(iterable, options.size));
  }

  /**
   * Elements of several datasets side by side, as a tuple or a record; ends with the shortest.
   * @example Dataset.zip({ xs: images, ys: labels })
   */
  static zip<const D extends readonly Dataset<unknown>[] | Record<keyof D, Dataset<unknown>>>(
    datasets: D,
  ): Dataset<{ -readonly [K in keyof D]: ElementOf<D[K]> }> {
    const isTuple = Array.isArray(datasets);
    const entries = Object.entries(datasets as Record<string, Dataset<unknown>>);
    if (entries.length === 0) throw new ArgumentError('zip: needs at least one dataset');
    for (const [k, d] of entries) {
      if (!(d instanceof Dataset)) throw new ArgumentError(`zip: '${k}' is not a Dataset`);
    }
    const keys = entries.map(([k]) => k);
    const assemble = isTuple
      ? (xs: unknown[]): unknown => xs
      : (xs: unknown[]): unknown => Object.fromEntries(keys.map((k, i) => [k, xs[i]]));
    return Dataset.#stream(
      S.zipStreams(
        entries.map(([, d]) => d.#asStream()),
        assemble,
      ),
    ) as Dataset<{ -readonly [K in keyof D]: ElementOf<D[K]> }>;
  }

  static #stream<U>(stream: Stream<U>): Dataset<U> {
    return new Dataset<U>({ kind: 'stream', stream });
  }

  /** Elements per pass: a number when known, Infinity after an endless `repeat()`, undefined when unknown. */
  get size(): number | undefined {
    return this.#plan.kind === 'indexed' ? this.#plan.order.size : this.#plan.stream.size;
  }

  /** The same pass as a stream of elements (per-sample tensors for in-memory data). */
  #asStream(): Stream<T> {
    const plan = this.#plan;
    if (plan.kind === 'stream') return plan.stream;
    return indexedElements(plan.store, plan.order);
  }

  /** Applies an index-level operator to in-memory data, or the element-level one otherwise. */
  #derive(onOrder: (o: IndexOrder) => IndexOrder, onStream: (s: Stream<T>) => Stream<T>): Dataset<T> {
    const plan = this.#plan;
    if (plan.kind === 'indexed')
      return new Dataset({ kind: 'indexed', store: plan.store, order: onOrder(plan.order) });
    return Dataset.#stream(onStream(plan.stream));
  }

  /** Applies `fn` (which may be async) to every element. */
  map<U>(fn: (element: T) => U | Promise<U>): Dataset<U> {
    return Dataset.#stream(S.mapStream(this.#asStream(), fn));
  }

  /** Keeps the elements for which `predicate` (which may be async) is true. The size becomes unknown. */
  filter(predicate: (element: T) => boolean | Promise<boolean>): Dataset<T> {
    return Dataset.#stream(S.filterStream(this.#asStream(), predicate));
  }

  /**
   * Groups `batchSize` consecutive elements into one, stacking every numeric leaf into a tensor with a leading
   * batch dimension (see `Batched`). The last batch may be smaller unless `dropRemainder`. `batch(size)` over the
   * whole dataset is full-batch training, `batch(32)` mini-batch, `batch(1)` stochastic.
   */
  batch(batchSize: number, options: BatchOptions = {}): Dataset<Batched<T>> {
    assertCount('batch', 'batchSize', batchSize, 1);
    const drop = options.dropRemainder ?? false;
    const plan = this.#plan;
    if (plan.kind === 'stream')
      return Dataset.#stream(S.batchStream(plan.stream, batchSize, drop)) as Dataset<Batched<T>>;
    return Dataset.#stream(indexedBatches(plan.store, plan.order, batchSize, drop)) as Dataset<Batched<T>>;
  }

  /**
   * Randomly shuffles the elements through a buffer of `bufferSize` (tf.data's algorithm): a buffer at least as
   * large as the dataset gives a uniformly random permutation; a smaller one mixes only nearby elements but holds
   * less in memory. Each pass draws a new order unless `reshuffleEachIteration` is false; the sequence of orders is
   * fixed by `seed` (random when omitted).
   */
  shuffle(bufferSize: number, seed?: number, reshuffleEachIteration = true): Dataset<T> {
    assertCount('shuffle', 'bufferSize', bufferSize, 1);
    const seeds = new PassSeeds(seed ?? randomSeed(), reshuffleEachIteration);
    return this.#derive(
      (o) => shuffleOrder(o, bufferSize, seeds),
      (s) => S.shuffleStream(s, bufferSize, seeds),
    );
  }

  /**
   * Requests up to `bufferSize` elements ahead of the consumer, so asynchronous work upstream (reading, decoding,
   * an async `map`) overlaps with training. In-memory data needs no prefetching; for it this returns the dataset.
   */
  prefetch(bufferSize = 1): Dataset<T> {
    assertCount('prefetch', 'bufferSize', bufferSize, 1);
    if (this.#plan.kind === 'indexed') return this;
    return Dataset.#stream(S.prefetchStream(this.#plan.stream, bufferSize));
  }

  /** The first `count` elements. */
  take(count: number): Dataset<T> {
    assertCount('take', 'count', count);
    return this.#derive(
      (o) => takeOrder(o, count),
      (s) => S.takeStream(s, count),
    );
  }

  /** All but the first `count` elements. */
  skip(count: number): Dataset<T> {
    assertCount('skip', 'count', count);
    return this.#derive(
      (o) => skipOrder(o, count),
      (s) => S.skipStream(s, count),
    );
  }

  /** The elements `count` times over (forever when omitted); each repetition is a new pass upstream. */
  repeat(count?: number): Dataset<T> {
    if (count !== undefined) assertCount('repeat', 'count', count);
    const n = count ?? Infinity;
    return this.#derive(
      (o) => repeatOrder(o, n),
      (s) => S.repeatStream(s, n),
    );
  }

  /** The elements of this dataset followed by those of `other`. */
  concatenate(other: Dataset<T>): Dataset<T> {
    if (!(other instanceof Dataset)) throw new ArgumentError('concatenate: the argument is not a Dataset');
    const a = this.#plan;
    const b = other.#plan;
    if (a.kind === 'indexed' && b.kind === 'indexed' && a.store === b.store) {
      return new Dataset({ kind: 'indexed', store: a.store, order: concatOrder(a.order, b.order) });
    }
    return Dataset.#stream(S.concatStream(this.#asStream(), other.#asStream()));
  }

  /**
   * Splits a finite dataset of known size into training and validation parts; `validationFraction` of the
   * elements (rounded) go to validation. The choice is random but fixed by `seed`, and the same in every pass;
   * both parts keep the original order. The source must yield the same elements in the same order on every
   * pass (split before `shuffle`, not after).
   */
  split(
    validationFraction: number,
    options: SplitOptions = {},
  ): { train: Dataset<T>; validation: Dataset<T> } {
    assertFraction('split', 'validationFraction', validationFraction);
    const n = this.size;
    if (n === undefined || n === Infinity) {
      throw new ArgumentError(
        `split: the dataset's size is ${n === undefined ? 'unknown' : 'infinite'}; split needs a finite size ` +
          '(give fromGenerator a size, or split before repeat/filter)',
      );
    }
    const nVal = Math.round(n * validationFraction);
    const mask = new Uint8Array(n);
    if (options.shuffle ?? true) {
      const perm = new Rng(options.seed ?? randomSeed()).permutation(n);
      for (let k = 0; k < nVal; k++) mask[perm[k]!] = 1;
    } else {
      mask.fill(1, n - nVal);
    }
    const side = (keep: number, size: number): Dataset<T> =>
      this.#derive(
        (o) => selectOrder(o, mask, keep, size),
        (s) => S.selectStream(s, mask, keep, size),
      );
    return { train: side(0, n - nVal), validation: side(1, nVal) };
  }

  /**
   * Keeps the elements of the first complete pass in memory and replays them afterwards (useful after an
   * expensive `map` or a slow source). In-memory data is cached already; for it this returns the dataset.
   */
  cache(): Dataset<T> {
    if (this.#plan.kind === 'indexed') return this;
    return Dataset.#stream(S.cacheStream(this.#plan.stream));
  }

  /** Starts a new pass. Each `for await (const x of dataset)` is one epoch. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.#asStream().open();
  }

  /** Runs `fn` on every element of one pass, in order, awaiting it if it is async. */
  async forEachAsync(fn: (element: T) => void | Promise<void>): Promise<void> {
    for await (const x of this) await fn(x);
  }

  /** All elements of one pass in an array (for small datasets and tests). */
  async toArray(): Promise<T[]> {
    if (this.size === Infinity)
      throw new ArgumentError('toArray: the dataset is infinite (repeat() without a count)');
    const out: T[] = [];
    for await (const x of this) out.push(x);
    return out;
  }
}

function checkSize(op: string, size: number | undefined): void {
  if (size !== undefined && size !== Infinity) assertCount(op, 'size', size);
}
