import type { DType, Shape, Tensor, TypedArray } from '@backprop/core-tensor';
import { ShapeError } from '@backprop/core-tensor';
import { fmtShape, sizeOf, toTensor } from '../arrays';

/**
 * A random-access source of elements held in memory as contiguous columns. Datasets built on one keep index-level
 * operators (shuffle, take, skip, repeat, split, concatenate) as streams of row numbers, and `batch()` gathers each
 * batch straight from the columns: one `slice` for a run of consecutive rows, one `set` per row after a shuffle. No
 * per-sample objects or tensors are made on that path.
 */
export interface IndexedStore<T> {
  /** Number of rows. */
  readonly length: number;
  /** One row as an element (per-sample tensors; the slow path, used when iterating without `batch`). */
  get(row: number): T;
  /** Rows `rows[0..count)` (or `start…start+count` when `rows` is null) as one batch. */
  gather(rows: Int32Array | null, start: number, count: number): unknown;
}

/** One column: values in their final storage type, and the shape of one row. */
export interface Column {
  values: TypedArray;
  rowShape: Shape;
  dtype: DType;
}

/** How rows are presented: a single tensor, a record of tensors keyed like the input, or a tuple. */
export type Layout = { kind: 'single' } | { kind: 'record'; keys: string[] } | { kind: 'tuple' };

/** Columns of equal row count, presented as elements of the given layout. */
export class ColumnStore implements IndexedStore<unknown> {
  readonly length: number;
  readonly #rowSizes: number[];

  constructor(
    readonly columns: readonly Column[],
    readonly layout: Layout,
    op: string,
    names: readonly string[],
  ) {
    this.#rowSizes = columns.map((c) => sizeOf(c.rowShape));
    const counts = columns.map((c, i) => {
      const per = this.#rowSizes[i]!;
      if (per === 0) {
        throw new ShapeError(
          `${op}: column '${names[i]}' has row shape ${fmtShape(c.rowShape)} with no elements`,
        );
      }
      if (c.values.length % per !== 0) {
        throw new ShapeError(
          `${op}: column '${names[i]}' has ${c.values.length} values, not a multiple of its row shape ` +
            `${fmtShape(c.rowShape)} (${per} values per row)`,
        );
      }
      return c.values.length / per;
    });
    const n = counts[0] ?? 0;
    counts.forEach((count, i) => {
      if (count !== n) {
        throw new ShapeError(
          `${op}: columns disagree on the number of samples: '${names[0]}' has ${n}, '${names[i]}' has ${count}`,
        );
      }
    });
    this.length = n;
  }

  get(row: number): unknown {
    return this.#assemble((c, per) =>
      toTensor(c.values.slice(row * per, (row + 1) * per), c.rowShape, c.dtype),
    );
  }

  gather(rows: Int32Array | null, start: number, count: number): unknown {
    return this.#assemble((c, per) => {
      const shape = [count, ...c.rowShape];
      // A run of consecutive rows is one contiguous range: a single copy.
      if (rows === null) return toTensor(c.values.slice(start * per, (start + count) * per), shape, c.dtype);
      const out = new (c.values.constructor as new (n: number) => TypedArray)(count * per);
      const src = c.values;
      if (per === 1) {
        for (let k = 0; k < count; k++) out[k] = src[rows[k]!]!;
      } else {
        for (let k = 0; k < count; k++) {
          const r = rows[k]!;
          out.set(src.subarray(r * per, (r + 1) * per), k * per);
        }
      }
      return toTensor(out, shape, c.dtype);
    });
  }

  #assemble(make: (c: Column, rowSize: number) => Tensor): unknown {
    const tensors = this.columns.map((c, i) => make(c, this.#rowSizes[i]!));
    switch (this.layout.kind) {
      case 'single':
        return tensors[0];
      case 'tuple':
        return tensors;
      case 'record': {
        const out: Record<string, Tensor> = {};
        this.layout.keys.forEach((k, i) => (out[k] = tensors[i]!));
        return out;
      }
    }
  }
}
