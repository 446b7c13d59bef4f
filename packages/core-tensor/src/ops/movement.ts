import { getBackend } from '../backend';
import { storedValue } from '../dtype';
import { op } from '../dispatch';
import { ArgumentError, DTypeError, ShapeError } from '../errors';
import type { Shape } from '../shape';
import {
  assertInt,
  assertValidShape,
  broadcastShapes,
  fmtShape,
  normalizeAxes,
  normalizeAxis,
  shapesEqual,
  sizeOf,
} from '../shape';
import { Tensor } from '../tensor';
import type { TensorLike } from './create';
import { arange } from './create';
import { cast, equal, where } from './elementwise';
import { assertNumberArg, makeTensor, toTensor, viewAs } from './util';

/** Whether `v` is an array, without narrowing its type (Array.isArray would turn a readonly list into any[]). */
function isList(v: unknown): boolean {
  return Array.isArray(v);
}

/** Same elements, new shape (one dimension may be −1 and is inferred). Shares storage: no copy. */
export function reshape(x: TensorLike, shape: Shape): Tensor {
  const t = toTensor(x);
  return op('reshape', [t], { shape }, () => {
    const target = resolveReshape(t.shape, shape);
    return shapesEqual(target, t.shape) ? t : viewAs(t, target);
  });
}

function resolveReshape(from: Shape, to: Shape): number[] {
  const size = sizeOf(from);
  if (to.filter((d) => d === -1).length > 1)
    throw new ShapeError(`reshape: only one dimension can be -1, got ${fmtShape(to)}`);
  let infer = -1;
  let known = 1;
  to.forEach((d, i) => {
    if (d === -1) {
      if (infer >= 0) throw new ShapeError(`reshape: only one dimension can be -1, got ${fmtShape(to)}`);
      infer = i;
    } else {
      assertInt('reshape', `dimension ${i}`, d, 0);
      known *= d;
    }
  });
  const out = [...to];
  if (infer >= 0) {
    if (known === 0 || size % known !== 0) {
      throw new ShapeError(
        `reshape: cannot reshape ${fmtShape(from)} (${size} elements) into ${fmtShape(to)}`,
      );
    }
    out[infer] = size / known;
  } else if (known !== size) {
    throw new ShapeError(
      `reshape: cannot reshape ${fmtShape(from)} (${size} elements) into ${fmtShape(to)} (${known} elements)`,
    );
  }
  return out;
}

/** Flattens to one dimension. */
export function flatten(x: TensorLike): Tensor {
  const t = toTensor(x);
  return op('flatten', [t], {}, () => reshape(t, [t.size]));
}

/** Permutes the axes (reverses them when `perm` is omitted). */
export function transpose(x: TensorLike, perm?: readonly number[]): Tensor {
  const t = toTensor(x);
  const p = perm ?? Array.from({ length: t.rank }, (_, i) => t.rank - 1 - i);
  return op('transpose', [t], { perm: p }, () => {
    const norm = checkPerm('transpose', t, p);
    if (norm.every((a, i) => a === i)) return t;
    return makeTensor(
      getBackend().transpose(t.info(), norm),
      norm.map((a) => t.shape[a]!),
    );
  });
}

/** `perm` normalized to [0, rank), or a typed error naming `name` when it is not a permutation of t's axes. */
function checkPerm(name: string, t: Tensor, perm: unknown): number[] {
  if (!Array.isArray(perm))
    throw new ArgumentError(`${name}: perm must be an array of axes, got ${String(perm)}`);
  const p = perm as unknown[];
  if (p.length !== t.rank) {
    throw new ShapeError(
      `${name}: perm [${p.join(',')}] has ${p.length} entries for a tensor of rank ${t.rank}`,
    );
  }
  const norm = p.map((a) => normalizeAxis(name, a as number, t.rank));
  if (new Set(norm).size !== norm.length)
    throw new ShapeError(`${name}: perm [${p.join(',')}] is not a permutation`);
  return norm;
}

/** Alias of `transpose` with an explicit permutation (PyTorch's name). */
export function permute(x: TensorLike, perm: readonly number[]): Tensor {
  const t = toTensor(x);
  return op('permute', [t], { perm }, () => transpose(t, checkPerm('permute', t, perm)));
}

/** Inserts a size-1 axis at `axis` (which may be −1 for the end). */
export function expandDims(x: TensorLike, axis = 0): Tensor {
  const t = toTensor(x);
  return op('expandDims', [t], { axis }, () => {
    const ax = normalizeAxis('expandDims', axis, t.rank + 1);
    const shape = [...t.shape];
    shape.splice(ax, 0, 1);
    return reshape(t, shape);
  });
}

/** Removes size-1 axes (all of them, or those in `axis`, which must have size 1). */
export function squeeze(x: TensorLike, axis?: number | readonly number[]): Tensor {
  const t = toTensor(x);
  return op('squeeze', [t], { axis }, () => {
    const axes =
      axis === undefined
        ? t.shape.flatMap((d, i) => (d === 1 ? [i] : []))
        : normalizeAxes('squeeze', axis, t.rank);
    for (const a of axes) {
      if (t.shape[a] !== 1)
        throw new ShapeError(`squeeze: axis ${a} of ${fmtShape(t.shape)} has size ${t.shape[a]}, not 1`);
    }
    return reshape(
      t,
      t.shape.filter((_, i) => !axes.includes(i)),
    );
  });
}

/** Repeats size-1 (and missing leading) dimensions to reach `shape`, materializing the result. */
export function broadcastTo(x: TensorLike, shape: Shape): Tensor {
  const t = toTensor(x);
  return op('broadcastTo', [t], { shape }, () => {
    assertValidShape('broadcastTo', shape);
    const out = broadcastShapes('broadcastTo', t.shape, shape);
    if (!shapesEqual(out, shape)) {
      throw new ShapeError(`broadcastTo: ${fmtShape(t.shape)} cannot be broadcast to ${fmtShape(shape)}`);
    }
    if (shapesEqual(t.shape, shape)) return t;
    return makeTensor(getBackend().broadcastTo(t.info(), shape), shape);
  });
}

/**
 * Python-style slicing per axis: `begin` (inclusive) and `end` (exclusive) may be negative (counted from the
 * end) and are clamped to the axis; `step` may be negative to walk backwards. Omitted axes are taken whole.
 * `slice(x, [1], [-1])` is `x[1:-1]`; `slice(x, [null, null], [null, null], [1, -1])` is `x[:, ::-1]`
 * (a begin of 0 with a negative step would start at index 0, as `x[:, 0::-1]` does).
 */
export function slice(
  x: TensorLike,
  begin: readonly (number | null)[],
  end?: readonly (number | null)[],
  step?: readonly (number | null)[],
): Tensor {
  const t = toTensor(x);
  return op('slice', [t], { begin, end, step }, () => {
    if (begin.length > t.rank || (end?.length ?? 0) > t.rank || (step?.length ?? 0) > t.rank) {
      throw new ShapeError(
        `slice: got ${Math.max(begin.length, end?.length ?? 0, step?.length ?? 0)} axes for a tensor of rank ${t.rank}`,
      );
    }
    const b: number[] = [];
    const sz: number[] = [];
    const st: number[] = [];
    for (let i = 0; i < t.rank; i++) {
      const n = t.shape[i]!;
      const s = step?.[i] ?? 1;
      assertInt('slice', `step[${i}]`, s);
      if (s === 0) throw new ArgumentError(`slice: step[${i}] must not be 0`);
      const clampIdx = (v: number | null | undefined, dflt: number, lo: number, hi: number): number => {
        if (v === null || v === undefined) return dflt;
        assertInt('slice', `index on axis ${i}`, v);
        const w = v < 0 ? v + n : v;
        return Math.min(Math.max(w, lo), hi);
      };
      const start = s > 0 ? clampIdx(begin[i], 0, 0, n) : clampIdx(begin[i], n - 1, -1, n - 1);
      const stop = s > 0 ? clampIdx(end?.[i], n, 0, n) : clampIdx(end?.[i], -1, -1, n - 1);
      const count =
        s > 0 ? Math.max(0, Math.ceil((stop - start) / s)) : Math.max(0, Math.ceil((start - stop) / -s));
      b.push(count > 0 ? start : 0);
      sz.push(count);
      st.push(s);
    }
    if (shapesEqual(sz, t.shape) && st.every((s) => s === 1)) return t;
    return makeTensor(getBackend().slice(t.info(), b, sz, st), sz);
  });
}

/** Joins tensors of equal shape except along `axis`. */
export function concat(xs: readonly TensorLike[], axis = 0): Tensor {
  if (!isList(xs) || xs.length === 0) throw new ArgumentError('concat: needs at least one tensor');
  const ts = xs.map((x) => toTensor(x));
  return op('concat', ts, { axis }, () => {
    const first = ts[0]!;
    const ax = normalizeAxis('concat', axis, first.rank);
    for (const [i, t] of ts.entries()) {
      if (t.rank !== first.rank || t.shape.some((d, j) => j !== ax && d !== first.shape[j])) {
        throw new ShapeError(
          `concat: tensor ${i} has shape ${fmtShape(t.shape)}, incompatible with ${fmtShape(first.shape)} ` +
            `(all dimensions but axis ${ax} must match)`,
        );
      }
      if (t.dtype !== first.dtype)
        throw new DTypeError(`concat: tensor ${i} is ${t.dtype}, tensor 0 is ${first.dtype}`);
    }
    if (ts.length === 1) return first;
    const shape = [...first.shape];
    shape[ax] = ts.reduce((n, t) => n + t.shape[ax]!, 0);
    return makeTensor(
      getBackend().concat(
        ts.map((t) => t.info()),
        ax,
      ),
      shape,
    );
  });
}

/** Stacks tensors of identical shape along a new axis. */
export function stack(xs: readonly TensorLike[], axis = 0): Tensor {
  if (!isList(xs) || xs.length === 0) throw new ArgumentError('stack: needs at least one tensor');
  const ts = xs.map((x) => toTensor(x));
  return op('stack', ts, { axis }, () => {
    const first = ts[0]!;
    const ax = normalizeAxis('stack', axis, first.rank + 1);
    for (const [i, t] of ts.entries()) {
      if (!shapesEqual(t.shape, first.shape)) {
        throw new ShapeError(
          `stack: tensor ${i} has shape ${fmtShape(t.shape)}, tensor 0 has ${fmtShape(first.shape)}`,
        );
      }
      if (t.dtype !== first.dtype)
        throw new DTypeError(`stack: tensor ${i} is ${t.dtype}, tensor 0 is ${first.dtype}`);
    }
    return concat(
      ts.map((t) => expandDims(t, ax)),
      ax,
    );
  });
}

/** Splits along `axis` into `n` equal parts, or into parts of the given sizes (one may be −1). */
export function split(x: TensorLike, sizes: number | readonly number[], axis = 0): Tensor[] {
  const t = toTensor(x);
  return op('split', [t], { sizes, axis }, () => {
    const ax = normalizeAxis('split', axis, t.rank);
    const n = t.shape[ax]!;
    let parts: number[];
    if (typeof sizes === 'number') {
      assertInt('split', 'number of parts', sizes, 1);
      if (n % sizes !== 0)
        throw new ShapeError(`split: axis ${ax} of size ${n} cannot be split into ${sizes} equal parts`);
      parts = new Array<number>(sizes).fill(n / sizes);
    } else {
      if (!isList(sizes))
        throw new ArgumentError(`split: sizes must be a number or an array, got ${String(sizes)}`);
      parts = [...sizes];
      const inferAt = parts.indexOf(-1);
      if (parts.filter((p) => p === -1).length > 1)
        throw new ShapeError(`split: only one size can be -1, got [${sizes.join(',')}]`);
      const known = parts.reduce((s, p) => (p === -1 ? s : s + p), 0);
      if (inferAt >= 0) parts[inferAt] = n - known;
      if (parts.some((p) => !Number.isInteger(p) || p < 0) || parts.reduce((s, p) => s + p, 0) !== n) {
        throw new ShapeError(`split: sizes [${sizes.join(',')}] do not add up to axis ${ax} of size ${n}`);
      }
    }
    const out: Tensor[] = [];
    let start = 0;
    for (const p of parts) {
      const begin = new Array<number | null>(t.rank).fill(null);
      const end = new Array<number | null>(t.rank).fill(null);
      begin[ax] = start;
      end[ax] = start + p;
      out.push(slice(t, begin, end));
      start += p;
    }
    return out;
  });
}

/** Pads each axis with `paddings[i] = [before, after]` copies of `value`. */
export function pad(x: TensorLike, paddings: readonly (readonly [number, number])[], value = 0): Tensor {
  const t = toTensor(x);
  return op('pad', [t], { paddings, value }, () => {
    if (paddings.length !== t.rank) {
      throw new ShapeError(
        `pad: ${paddings.length} paddings for a tensor of rank ${t.rank} (one [before, after] per axis)`,
      );
    }
    paddings.forEach(([a, b], i) => {
      assertInt('pad', `paddings[${i}][0]`, a, 0);
      assertInt('pad', `paddings[${i}][1]`, b, 0);
    });
    if (typeof value !== 'number')
      throw new ArgumentError(`pad: value must be a number, got ${typeof value}`);
    const shape = t.shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
    // The fill is stored the way the tensor's dtype stores any number: a bool tensor padded with 5 holds true (1).
    return makeTensor(getBackend().pad(t.info(), paddings, storedValue(value, t.dtype)), shape);
  });
}

/** Repeats the tensor `reps[i]` times along axis i. */
export function tile(x: TensorLike, reps: readonly number[]): Tensor {
  const t = toTensor(x);
  return op('tile', [t], { reps }, () => {
    if (!isList(reps)) throw new ArgumentError(`tile: reps must be an array of counts, got ${String(reps)}`);
    if (reps.length !== t.rank)
      throw new ShapeError(`tile: ${reps.length} reps for a tensor of rank ${t.rank}`);
    reps.forEach((r, i) => assertInt('tile', `reps[${i}]`, r, 0));
    // [d0, d1] → [1, d0, 1, d1] → broadcast to [r0, d0, r1, d1] → [r0·d0, r1·d1]
    const inter = t.shape.flatMap((d) => [1, d]);
    const target = t.shape.flatMap((d, i) => [reps[i]!, d]);
    return reshape(
      broadcastTo(reshape(t, inter), target),
      t.shape.map((d, i) => d * reps[i]!),
    );
  });
}

function checkIndices(name: string, indices: Tensor, n: number): void {
  if (indices.dtype !== 'int32') throw new DTypeError(`${name}: indices must be int32, got ${indices.dtype}`);
  const v = indices.dataSync();
  for (let i = 0; i < v.length; i++) {
    if (v[i]! < 0 || v[i]! >= n)
      throw new ArgumentError(`${name}: index ${v[i]} at position ${i} is out of range [0, ${n})`);
  }
}

/**
 * Indices given as plain numbers or arrays become int32 (a bare `tensor([0, 2])` would be float32); they must be
 * integers, so `[0.5]` is an error rather than silently truncated. Tensors pass through for the dtype check.
 */
function toIndices(name: string, indices: TensorLike): Tensor {
  if (indices instanceof Tensor || ArrayBuffer.isView(indices)) return toTensor(indices);
  const t = toTensor(indices);
  if (t.dtype === 'int32') return t;
  const v = t.dataSync();
  for (let i = 0; i < v.length; i++) {
    if (!Number.isInteger(v[i]) || Math.abs(v[i]!) > 2147483647)
      throw new ArgumentError(`${name}: indices must be integers, got ${v[i]} at position ${i}`);
  }
  return cast(t, 'int32');
}

/**
 * Takes slices of `x` along `axis` at `indices` (int32, any shape). The result's shape is
 * x.shape[:axis] + indices.shape + x.shape[axis+1:].
 */
export function gather(x: TensorLike, indices: TensorLike, axis = 0): Tensor {
  const t = toTensor(x);
  const idx = toIndices('gather', indices);
  return op('gather', [t, idx], { axis }, () => {
    const ax = normalizeAxis('gather', axis, t.rank);
    checkIndices('gather', idx, t.shape[ax]!);
    const shape = [...t.shape.slice(0, ax), ...idx.shape, ...t.shape.slice(ax + 1)];
    return makeTensor(getBackend().gather(t.info(), idx.info(), ax), shape);
  });
}

/**
 * The adjoint of `gather`: zeros of `shape` with `updates` added at `indices` along `axis` (repeated indices
 * accumulate). gather's gradient.
 */
export function scatterAdd(updates: TensorLike, indices: TensorLike, axis: number, shape: Shape): Tensor {
  const u = toTensor(updates);
  const idx = toIndices('scatterAdd', indices);
  return op('scatterAdd', [u, idx], { axis, shape }, () => {
    const ax = normalizeAxis('scatterAdd', axis, shape.length);
    checkIndices('scatterAdd', idx, shape[ax]!);
    const expected = [...shape.slice(0, ax), ...idx.shape, ...shape.slice(ax + 1)];
    if (!shapesEqual(u.shape, expected)) {
      throw new ShapeError(
        `scatterAdd: updates have shape ${fmtShape(u.shape)}, expected ${fmtShape(expected)}`,
      );
    }
    return makeTensor(getBackend().scatterAdd(u.info(), idx.info(), ax, shape), shape);
  });
}

/** One-hot encodes int32 `indices` into a new last axis of size `depth` (out-of-range indices give all off). */
export function oneHot(indices: TensorLike, depth: number, onValue = 1, offValue = 0): Tensor {
  const idx = toIndices('oneHot', indices);
  return op('oneHot', [idx], { depth, onValue, offValue }, () => {
    assertInt('oneHot', 'depth', depth, 1);
    assertNumberArg('oneHot', 'onValue', onValue, true);
    assertNumberArg('oneHot', 'offValue', offValue, true);
    if (idx.dtype !== 'int32') throw new DTypeError(`oneHot: indices must be int32, got ${idx.dtype}`);
    const hit = equal(expandDims(idx, -1), arange(0, depth, 1, 'int32'));
    return where(hit, cast(onValue, 'float32'), cast(offValue, 'float32'));
  });
}
