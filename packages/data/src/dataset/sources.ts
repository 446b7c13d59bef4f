import type { DType, Shape } from '@backprop/core-tensor';
import { ArgumentError, ShapeError, Tensor } from '@backprop/core-tensor';
import type { NestedNumbers, NumericTypedArray } from '../arrays';
import { asDType, defaultDType, fmtShape, isTypedArray } from '../arrays';
import { DataError } from '../errors';
import type { Column, Layout } from './store';
import { ColumnStore } from './store';
import type { Stream } from './stream';

/** Values for one column of `Dataset.fromArrays`: a typed array (rows back to back) or nested number arrays. */
export type ColumnInput = NumericTypedArray | NestedNumbers;

/**
 * How to read one column: the shape of one row (one sample, without the leading count, as Keras' `inputShape`),
 * or that shape and the dtype. A typed array without a shape holds one scalar per row.
 */
export type ColumnSpec = Shape | { shape?: Shape; dtype?: DType };

function readSpec(spec: ColumnSpec | undefined): { shape?: Shape; dtype?: DType } {
  if (spec === undefined) return {};
  return Array.isArray(spec) ? { shape: spec as Shape } : (spec as { shape?: Shape; dtype?: DType });
}

function flattenNested(values: NestedNumbers, name: string): { flat: number[]; shape: number[] } {
  const shape: number[] = [];
  let v: unknown = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  const flat: number[] = [];
  const walk = (x: unknown, dim: number): void => {
    if (dim === shape.length) {
      if (typeof x !== 'number' && typeof x !== 'boolean') {
        throw new ShapeError(`fromArrays: column '${name}' is a ragged or non-numeric nested array`);
      }
      flat.push(Number(x));
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[dim]) {
      throw new ShapeError(
        `fromArrays: column '${name}' is a ragged nested array: dimension ${dim} should have length ${shape[dim]}`,
      );
    }
    for (const y of x) walk(y, dim + 1);
  };
  walk(values, 0);
  return { flat, shape };
}

function toColumn(values: ColumnInput, spec: ColumnSpec | undefined, name: string): Column {
  const { shape, dtype } = readSpec(spec);
  if (isTypedArray(values)) {
    const dt = dtype ?? defaultDType(values);
    return { values: asDType(values, dt), rowShape: shape ?? [], dtype: dt };
  }
  if (!Array.isArray(values)) {
    throw new ArgumentError(
      `fromArrays: column '${name}' must be a typed array or nested number arrays, got ${typeof values}`,
    );
  }
  const { flat, shape: full } = flattenNested(values, name);
  const rowShape = full.slice(1);
  if (shape && fmtShape(shape) !== fmtShape(rowShape) && full.length > 1) {
    throw new ShapeError(
      `fromArrays: column '${name}' has rows of shape ${fmtShape(rowShape)} but the spec says ${fmtShape(shape)}`,
    );
  }
  const dt = dtype ?? 'float32';
  return { values: asDType(flat, dt), rowShape: shape ?? rowShape, dtype: dt };
}

function isColumnInput(x: unknown): x is ColumnInput {
  return isTypedArray(x) || Array.isArray(x);
}

/** The store behind `Dataset.fromArrays`: one column, or a record of named columns. */
export function arrayStore(
  data: ColumnInput | Record<string, ColumnInput>,
  specs: ColumnSpec | Record<string, ColumnSpec | undefined> | undefined,
): ColumnStore {
  if (isColumnInput(data)) {
    return new ColumnStore([toColumn(data, specs, 'values')], { kind: 'single' }, 'fromArrays', ['values']);
  }
  const keys = Object.keys(data);
  if (keys.length === 0) throw new ArgumentError('fromArrays: needs at least one column');
  const specRecord = (specs ?? {}) as Record<string, ColumnSpec | undefined>;
  for (const k of Object.keys(specRecord)) {
    if (!keys.includes(k)) {
      throw new ArgumentError(
        `fromArrays: a spec is given for '${k}', which is not a column (${keys.join(', ')})`,
      );
    }
  }
  const columns = keys.map((k) => toColumn(data[k]!, specRecord[k], k));
  return new ColumnStore(columns, { kind: 'record', keys }, 'fromArrays', keys);
}

/**
 * The store behind `Dataset.fromTensors`: each tensor's values are read once (so the caller may dispose the
 * tensors afterwards) and its first dimension becomes the sample dimension.
 */
export function tensorStore(data: Tensor | readonly Tensor[] | Record<string, Tensor>): ColumnStore {
  const entries: [string, Tensor][] =
    data instanceof Tensor
      ? [['tensor', data]]
      : Array.isArray(data)
        ? (data as readonly Tensor[]).map((t, i) => [`[${i}]`, t])
        : Object.entries(data as Record<string, Tensor>);
  if (entries.length === 0) throw new ArgumentError('fromTensors: needs at least one tensor');
  const columns = entries.map(([name, t]): Column => {
    if (!(t instanceof Tensor)) throw new ArgumentError(`fromTensors: '${name}' is not a Tensor`);
    if (t.rank === 0) {
      throw new ShapeError(`fromTensors: '${name}' is a scalar; its first dimension must count the samples`);
    }
    return { values: t.dataSync(), rowShape: t.shape.slice(1), dtype: t.dtype };
  });
  const layout: Layout =
    data instanceof Tensor
      ? { kind: 'single' }
      : Array.isArray(data)
        ? { kind: 'tuple' }
        : { kind: 'record', keys: entries.map(([k]) => k) };
  return new ColumnStore(
    columns,
    layout,
    'fromTensors',
    entries.map(([k]) => k),
  );
}

/** What `Dataset.fromGenerator`'s function may return. */
export type ElementSource<T> = Iterator<T> | AsyncIterator<T> | Iterable<T> | AsyncIterable<T>;

function toIterator<T>(src: ElementSource<T>): Iterator<T> | AsyncIterator<T> {
  if (src !== null && typeof src === 'object') {
    if (Symbol.asyncIterator in src) return src[Symbol.asyncIterator]();
    if (Symbol.iterator in src) return src[Symbol.iterator]();
    if ('next' in src && typeof src.next === 'function') return src;
  }
  throw new ArgumentError(
    'fromGenerator: the function must return an iterator or an (async) iterable, e.g. be a generator function',
  );
}

async function* drive<T>(it: Iterator<T> | AsyncIterator<T>): AsyncGenerator<T> {
  let done = false;
  try {
    for (;;) {
      const r = await it.next();
      if (r.done) {
        done = true;
        return;
      }
      yield r.value;
    }
  } finally {
    // Only an early exit (break, error) needs telling the source to clean up.
    if (!done) await it.return?.();
  }
}

export function generatorStream<T>(fn: () => ElementSource<T>, size: number | undefined): Stream<T> {
  return { size, open: () => drive(toIterator(fn())) };
}

export function iterableStream<T>(
  iterable: AsyncIterable<T> | Iterable<T>,
  size: number | undefined,
): Stream<T> {
  let opened = false;
  return {
    size,
    open() {
      const it = toIterator(iterable);
      if ((it as unknown) === iterable && opened) {
        throw new DataError(
          'fromAsyncIterable: this iterable is its own iterator (a generator object?) and was consumed by an ' +
            'earlier pass; use Dataset.fromGenerator(() => makeIterable()) to iterate more than once',
        );
      }
      opened = true;
      return drive(it);
    },
  };
}
