import { ShuffleBuffer, type PassSeeds } from './shuffle';

/**
 * The row numbers one pass over an in-memory dataset visits, in order. Index-level operators transform orders
 * instead of elements, so `fromArrays(…).shuffle(…).take(…).batch(…)` never builds a per-sample element.
 * `size` is Infinity for an endless `repeat()`.
 */
export interface IndexOrder {
  readonly size: number;
  open(): Iterator<number>;
}

export function rangeOrder(n: number): IndexOrder {
  return {
    size: n,
    *open() {
      for (let i = 0; i < n; i++) yield i;
    },
  };
}

export function takeOrder(order: IndexOrder, count: number): IndexOrder {
  return {
    size: Math.min(order.size, count),
    *open() {
      if (count === 0) return;
      let k = 0;
      for (const i of iterate(order)) {
        yield i;
        if (++k >= count) return;
      }
    },
  };
}

export function skipOrder(order: IndexOrder, count: number): IndexOrder {
  return {
    size: Math.max(0, order.size - count),
    *open() {
      let k = 0;
      for (const i of iterate(order)) if (k++ >= count) yield i;
    },
  };
}

export function repeatOrder(order: IndexOrder, count: number): IndexOrder {
  return {
    size: order.size === 0 ? 0 : order.size * count,
    *open() {
      for (let pass = 0; pass < count; pass++) {
        let any = false;
        for (const i of iterate(order)) {
          any = true;
          yield i;
        }
        if (!any) return; // repeating nothing forever would hang
      }
    },
  };
}

export function concatOrder(a: IndexOrder, b: IndexOrder): IndexOrder {
  return {
    size: a.size + b.size,
    *open() {
      yield* iterate(a);
      yield* iterate(b);
    },
  };
}

export function shuffleOrder(order: IndexOrder, bufferSize: number, seeds: PassSeeds): IndexOrder {
  return {
    size: order.size,
    *open() {
      const buffer = new ShuffleBuffer<number>(bufferSize, seeds.next());
      for (const i of iterate(order)) {
        if (buffer.isFull) yield buffer.replace(i);
        else buffer.add(i);
      }
      yield* buffer.drain();
    },
  };
}

/** The positions p of `order` with `mask[p] === keep` (one side of `split`). */
export function selectOrder(order: IndexOrder, mask: Uint8Array, keep: number, size: number): IndexOrder {
  return {
    size,
    *open() {
      let p = 0;
      for (const i of iterate(order)) if (mask[p++] === keep) yield i;
    },
  };
}

function iterate(order: IndexOrder): Iterable<number> {
  return { [Symbol.iterator]: () => order.open() };
}
