import { stackElements } from './batched';
import { ShuffleBuffer, type PassSeeds } from './shuffle';
import { restoreTensors, snapshotTensors, type Snapshot } from './snapshot';

/**
 * A re-openable asynchronous sequence: every `open()` starts a new pass (an epoch). `size` is the number of
 * elements per pass when known, Infinity for endless streams, undefined when unknown (after `filter`, from a
 * generator of unknown length).
 */
export interface Stream<T> {
  readonly size: number | undefined;
  open(): AsyncIterator<T>;
}

export function stream<T>(size: number | undefined, gen: () => AsyncGenerator<T>): Stream<T> {
  return { size, open: gen };
}

/**
 * A stream over a synchronous iterator (in-memory data). Each `next()` resolves at once, without the bookkeeping
 * of an async generator, which matters when the elements are individual samples.
 */
export function syncStream<T>(size: number | undefined, gen: () => Iterator<T>): Stream<T> {
  return {
    size,
    open(): AsyncIterator<T> {
      const it = gen();
      return {
        next: () => Promise.resolve(it.next()),
        return: () => {
          it.return?.();
          return Promise.resolve({ done: true, value: undefined });
        },
      };
    },
  };
}

function each<T>(s: Stream<T>): AsyncIterable<T> {
  return { [Symbol.asyncIterator]: () => s.open() };
}

export function mapStream<T, U>(s: Stream<T>, fn: (x: T) => U | Promise<U>): Stream<U> {
  return stream(s.size, async function* () {
    for await (const x of each(s)) yield await fn(x);
  });
}

export function filterStream<T>(s: Stream<T>, pred: (x: T) => boolean | Promise<boolean>): Stream<T> {
  return stream(s.size === 0 ? 0 : s.size === Infinity ? Infinity : undefined, async function* () {
    for await (const x of each(s)) if (await pred(x)) yield x;
  });
}

export function batchStream<T>(s: Stream<T>, batchSize: number, dropRemainder: boolean): Stream<unknown> {
  const size =
    s.size === undefined ? undefined : (dropRemainder ? Math.floor : Math.ceil)(s.size / batchSize);
  return stream(size, async function* () {
    let pending: T[] = [];
    for await (const x of each(s)) {
      pending.push(x);
      if (pending.length === batchSize) {
        const batch = pending;
        pending = [];
        yield stackElements(batch);
      }
    }
    if (pending.length > 0 && !dropRemainder) yield stackElements(pending);
  });
}

export function takeStream<T>(s: Stream<T>, count: number): Stream<T> {
  return stream(s.size === undefined ? undefined : Math.min(s.size, count), async function* () {
    if (count === 0) return;
    let k = 0;
    for await (const x of each(s)) {
      yield x;
      if (++k >= count) return; // leaving the loop closes the upstream iterator
    }
  });
}

export function skipStream<T>(s: Stream<T>, count: number): Stream<T> {
  return stream(s.size === undefined ? undefined : Math.max(0, s.size - count), async function* () {
    let k = 0;
    for await (const x of each(s)) if (k++ >= count) yield x;
  });
}

export function repeatStream<T>(s: Stream<T>, count: number): Stream<T> {
  const size = s.size === undefined ? undefined : s.size === 0 ? 0 : s.size * count;
  return stream(size, async function* () {
    for (let pass = 0; pass < count; pass++) {
      let any = false;
      for await (const x of each(s)) {
        any = true;
        yield x;
      }
      if (!any) return; // repeating an empty pass forever would hang
    }
  });
}

export function concatStream<T>(a: Stream<T>, b: Stream<T>): Stream<T> {
  const size = a.size === undefined || b.size === undefined ? undefined : a.size + b.size;
  return stream(size, async function* () {
    yield* each(a);
    yield* each(b);
  });
}

/** Elements of all streams side by side; ends with the shortest. `assemble` builds the tuple or record. */
export function zipStreams(
  streams: readonly Stream<unknown>[],
  assemble: (xs: unknown[]) => unknown,
): Stream<unknown> {
  const sizes = streams.map((s) => s.size);
  const size = sizes.includes(undefined) ? undefined : Math.min(...(sizes as number[]));
  return stream(size, async function* () {
    const its = streams.map((s) => s.open());
    try {
      for (;;) {
        const results = await Promise.all(its.map((it) => it.next()));
        if (results.some((r) => r.done)) return;
        yield assemble(results.map((r) => r.value as unknown));
      }
    } finally {
      // Close the iterators still open: all of them on an early break, the longer ones when one ends.
      await Promise.all(
        its.map(async (it) => {
          await it.return?.();
        }),
      );
    }
  });
}

export function shuffleStream<T>(s: Stream<T>, bufferSize: number, seeds: PassSeeds): Stream<T> {
  return stream(s.size, async function* () {
    const buffer = new ShuffleBuffer<T>(bufferSize, seeds.next());
    for await (const x of each(s)) {
      if (buffer.isFull) yield buffer.replace(x);
      else buffer.add(x);
    }
    yield* buffer.drain();
  });
}

/**
 * Keeps up to `bufferSize` elements requested ahead of the consumer. Requests are chained (never two `next()`
 * calls in flight on the source at once), so any async iterator is safe to prefetch from; the gain is that slow
 * asynchronous work (file reads, decoding, an async `map`) overlaps with the consumer's.
 */
export function prefetchStream<T>(s: Stream<T>, bufferSize: number): Stream<T> {
  return stream(s.size, async function* () {
    const it = s.open();
    const queue: Promise<IteratorResult<T>>[] = [];
    let tail: Promise<unknown> = Promise.resolve();
    const pull = (): void => {
      const p = tail.then(() => it.next());
      p.catch(() => undefined); // rejections surface when awaited below; this only avoids "unhandled" noise
      tail = p.catch(() => undefined);
      queue.push(p);
    };
    try {
      for (let i = 0; i < bufferSize; i++) pull();
      for (;;) {
        const r = await queue.shift()!;
        if (r.done) return;
        pull();
        yield r.value;
      }
    } finally {
      await tail;
      await it.return?.();
    }
  });
}

/**
 * Records the first complete pass and replays it afterwards. Tensors are recorded as copies of their values and
 * replayed as new tensors, so a consumer may dispose what it is given on every pass. An interrupted first pass is
 * discarded (the next pass reads the source again).
 */
export function cacheStream<T>(s: Stream<T>): Stream<T> {
  let recorded: Snapshot[] | undefined;
  return stream(s.size, async function* () {
    if (recorded) {
      for (const x of recorded) yield restoreTensors(x) as T;
      return;
    }
    const pass: Snapshot[] = [];
    for await (const x of each(s)) {
      pass.push(snapshotTensors(x));
      yield x;
    }
    recorded ??= pass;
  });
}

/** The positions p of `s` with `mask[p] === keep` (one side of `split`). */
export function selectStream<T>(s: Stream<T>, mask: Uint8Array, keep: number, size: number): Stream<T> {
  return stream(size, async function* () {
    let p = 0;
    for await (const x of each(s)) {
      if (p >= mask.length) return;
      if (mask[p++] === keep) yield x;
    }
  });
}
