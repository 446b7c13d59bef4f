import { ArgumentError, AxisError, ShapeError } from './errors';

/** Dimensions of a tensor, outermost first (row-major). */
export type Shape = readonly number[];

/** "[2,3]": a shape as error messages print it. */
export function fmtShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

/** Number of elements of a shape (1 for a scalar, 0 when any dimension is 0). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides in elements. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/** Whether two shapes are identical. */
export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Returns `shape` if every dimension is a non-negative integer, else throws a ShapeError naming `op`. */
export function assertValidShape(op: string, shape: readonly unknown[]): number[] {
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new ShapeError(
        `${op}: invalid shape [${shape.map(String).join(',')}]: every dimension must be a non-negative integer`,
      );
    }
  }
  return shape as number[];
}

/** NumPy broadcasting: align from the right; each pair of dims must be equal or one of them 1. */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const d = s[s.length - 1 - i]!;
      const j = rank - 1 - i;
      const cur = out[j]!;
      if (d === cur || d === 1) continue;
      if (cur === 1) out[j] = d;
      else {
        throw new ShapeError(
          `${op}: shapes ${shapes.map(fmtShape).join(' and ')} cannot be broadcast together ` +
            `(dimension ${j} of the result: ${cur} vs ${d}; sizes must be equal or one of them 1)`,
        );
      }
    }
  }
  return out;
}

/** Maps a possibly negative axis into `[0, rank)`. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis)) throw new AxisError(`${op}: axis ${axis} is not an integer`);
  if (axis < -rank || axis >= rank) {
    throw new AxisError(
      `${op}: axis ${axis} is out of range for a tensor of rank ${rank} (expected ${-rank}..${rank - 1})`,
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/** Normalizes `axis` (undefined = all axes), sorted, rejecting duplicates. */
export function normalizeAxes(
  op: string,
  axis: number | readonly number[] | undefined,
  rank: number,
): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : [...axis];
  const out = list.map((a) => normalizeAxis(op, a, rank));
  const sorted = [...out].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1])
      throw new AxisError(`${op}: axis ${sorted[i]} is repeated in [${list.join(',')}]`);
  }
  return sorted;
}

/** Returns `v` if it is an integer ≥ `min`, else throws an ArgumentError naming `op` and the argument. */
export function assertInt(op: string, name: string, v: unknown, min = -Infinity): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new ArgumentError(
      `${op}: ${name} must be an integer${min > -Infinity ? ` ≥ ${min}` : ''}, got ${String(v)}`,
    );
  }
  return v;
}
