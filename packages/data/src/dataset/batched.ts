import type { DType, Tensor, TypedArray } from '@backprop/core-tensor';
import { DTypeError, ShapeError } from '@backprop/core-tensor';
import type { NestedNumbers, NumericTypedArray } from '../arrays';
import { allocFor, defaultDType, fmtShape, isTensor, isTypedArray, sizeOf, toTensor } from '../arrays';

/**
 * The element type after `batch()`: every leaf that holds numbers (a tensor, a number, a boolean, a typed array,
 * nested number arrays) becomes one tensor with a new leading batch dimension; objects and tuples keep their
 * structure. `{xs: Tensor, ys: number}` batches to `{xs: Tensor, ys: Tensor}`.
 */
export type Batched<T> = T extends Tensor | number | boolean | NumericTypedArray | NestedNumbers
  ? Tensor
  : T extends readonly unknown[]
    ? { -readonly [K in keyof T]: Batched<T[K]> }
    : T extends object
      ? { [K in keyof T]: Batched<T[K]> }
      : never;

interface Leaf {
  shape: number[];
  dtype: DType;
}

/** The shape and dtype a numeric leaf will have in a batch, or undefined when `x` is a structure. */
function leafOf(x: unknown): Leaf | undefined {
  if (isTensor(x)) return { shape: [...x.shape], dtype: x.dtype };
  if (typeof x === 'number') return { shape: [], dtype: 'float32' };
  if (typeof x === 'boolean') return { shape: [], dtype: 'bool' };
  if (isTypedArray(x)) return { shape: [x.length], dtype: defaultDType(x) };
  if (Array.isArray(x) && isNumeric(x)) {
    const shape: number[] = [];
    let v: unknown = x;
    while (Array.isArray(v)) {
      shape.push(v.length);
      v = v[0];
    }
    return { shape, dtype: typeof v === 'boolean' ? 'bool' : 'float32' };
  }
  return undefined;
}

/** An array is numeric data (not a tuple of elements) when its first leaf is a number or boolean. */
function isNumeric(x: readonly unknown[]): boolean {
  let v: unknown = x;
  while (Array.isArray(v)) {
    if (v.length === 0) return true;
    v = v[0];
  }
  return typeof v === 'number' || typeof v === 'boolean';
}

/** Writes one numeric leaf's values, row-major, into `out` at `offset`; returns how many it wrote. */
function writeLeaf(x: unknown, out: TypedArray, offset: number): number {
  if (isTensor(x)) {
    const data = x.dataSync();
    out.set(data, offset);
    return data.length;
  }
  if (typeof x === 'number' || typeof x === 'boolean') {
    out[offset] = Number(x);
    return 1;
  }
  if (isTypedArray(x)) {
    out.set(x, offset);
    return x.length;
  }
  let n = 0;
  for (const v of x as unknown[]) n += writeLeaf(v, out, offset + n);
  return n;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Stacks elements into one batch: each numeric leaf of the element structure becomes a tensor of shape
 * `[n, ...leafShape]`, filled by copying each element's values into one contiguous array (no intermediate
 * tensors). All elements must have the same structure, shapes and dtypes; the error names the element and path.
 */
export function stackElements<T>(elements: readonly T[]): Batched<T> {
  return stackAt(elements, '') as Batched<T>;
}

function stackAt(elements: readonly unknown[], path: string): unknown {
  const first = elements[0];
  const where = path === '' ? '' : ` at ${path}`;
  const leaf = leafOf(first);
  if (leaf) {
    const per = sizeOf(leaf.shape);
    const out = allocFor(leaf.dtype, per * elements.length);
    elements.forEach((e, i) => {
      const l = leafOf(e);
      if (!l || !sameShape(l.shape, leaf.shape)) {
        throw new ShapeError(
          `batch: element ${i}${where} has shape ${l ? fmtShape(l.shape) : 'of a structure'}, but element 0 has ` +
            `${fmtShape(leaf.shape)}; every element of a batch must have the same shape`,
        );
      }
      if (l.dtype !== leaf.dtype) {
        throw new DTypeError(
          `batch: element ${i}${where} has dtype ${l.dtype}, but element 0 has ${leaf.dtype}`,
        );
      }
      if (writeLeaf(e, out, i * per) !== per) {
        throw new ShapeError(
          `batch: element ${i}${where} is a ragged nested array; expected ${fmtShape(leaf.shape)}`,
        );
      }
    });
    return toTensor(out, [elements.length, ...leaf.shape], leaf.dtype);
  }
  if (Array.isArray(first)) {
    return first.map((_, k) =>
      stackAt(
        elements.map((e, i) => pick(e, k, i, path)),
        `${path}[${k}]`,
      ),
    );
  }
  if (first !== null && typeof first === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(first)) {
      out[key] = stackAt(
        elements.map((e, i) => pick(e, key, i, path)),
        path === '' ? key : `${path}.${key}`,
      );
    }
    return out;
  }
  throw new DTypeError(
    `batch: cannot batch ${first === null ? 'null' : typeof first}${where}; elements must be tensors, numbers, ` +
      'booleans, typed arrays, number arrays, or objects/tuples of those',
  );
}

function pick(e: unknown, key: string | number, i: number, path: string): unknown {
  if (e === null || typeof e !== 'object' || !(key in e)) {
    throw new ShapeError(
      `batch: element ${i} has no ${typeof key === 'number' ? `index ${key}` : `key '${key}'`}` +
        `${path ? ` at ${path}` : ''}, but element 0 has; every element must have the same structure`,
    );
  }
  return (e as Record<string | number, unknown>)[key];
}
