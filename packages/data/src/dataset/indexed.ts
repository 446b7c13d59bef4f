import type { IndexOrder } from './order';
import type { IndexedStore } from './store';
import type { Stream } from './stream';
import { syncStream } from './stream';

/** One pass over in-memory data, sample by sample (per-sample tensors). */
export function indexedElements<T>(store: IndexedStore<T>, order: IndexOrder): Stream<T> {
  return syncStream(order.size, function* () {
    for (const i of { [Symbol.iterator]: () => order.open() }) yield store.get(i);
  });
}

/**
 * Batches of in-memory data, gathered straight from the columns: the next `batchSize` row numbers are collected
 * into a reused Int32Array; when they are consecutive (no shuffle) the batch is one contiguous copy, otherwise a
 * gather by that index list. No per-sample element is ever built.
 */
export function indexedBatches<T>(
  store: IndexedStore<T>,
  order: IndexOrder,
  batchSize: number,
  dropRemainder: boolean,
): Stream<unknown> {
  const size = (dropRemainder ? Math.floor : Math.ceil)(order.size / batchSize);
  return syncStream(size, function* () {
    const it = order.open();
    const rows = new Int32Array(batchSize);
    for (;;) {
      let k = 0;
      while (k < batchSize) {
        const r = it.next();
        if (r.done) break;
        rows[k++] = r.value;
      }
      if (k === 0 || (k < batchSize && dropRemainder)) return;
      const first = rows[0]!;
      let contiguous = true;
      for (let j = 1; j < k && contiguous; j++) contiguous = rows[j] === first + j;
      yield store.gather(contiguous ? null : rows, first, k);
      if (k < batchSize) return;
    }
  });
}
