import type { DType, TypedArray } from './dtype';
import type { Shape } from './shape';

const THRESHOLD = 1000;
const EDGE = 3;

function fmtNumber(v: number, dtype: DType, fixed: number | undefined): string {
  if (dtype === 'bool') return v ? 'true' : 'false';
  if (dtype === 'int32') return String(v);
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (fixed !== undefined) return v.toFixed(fixed);
  // NumPy writes at least two exponent digits: 1.0000e-05, not 1.0000e-5.
  return v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
}

/** Chooses NumPy's style: fixed point with up to 4 decimals unless the magnitudes call for scientific notation. */
function chooseFixed(values: readonly number[], dtype: DType): number | undefined {
  if (dtype !== 'float32' && dtype !== 'float64') return undefined;
  let maxAbs = 0;
  let minAbs = Infinity;
  let allInt = true;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
    if (a > 0 && a < minAbs) minAbs = a;
    if (!Number.isInteger(v)) allInt = false;
  }
  if (
    maxAbs >= 1e8 ||
    (minAbs < 1e-4 && minAbs !== Infinity) ||
    (minAbs !== Infinity && maxAbs / minAbs > 1e3 && minAbs < 1e-3)
  ) {
    return undefined;
  }
  return allInt ? 0 : 4;
}

/**
 * Formats like NumPy: nested brackets, aligned columns, and `...` elision above 1000 elements (three items kept at
 * each end of every axis). Floats print fixed-point with 4 decimals (or none, with a trailing dot, when all are
 * integers) unless magnitudes call for scientific notation; NaN and ±Inf print as nan / inf / -inf. As in NumPy,
 * the style and column width depend only on the elements shown, and only those are formatted, so printing a
 * million-element tensor costs the same as printing a small one.
 */
export function formatTensor(values: TypedArray, shape: Shape, dtype: DType): string {
  const elide = values.length > THRESHOLD;
  const strides: number[] = [];
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = acc;
    acc *= shape[i]!;
  }
  // Indices printed along an axis of length n (null marks the `...`).
  const shown = (n: number): (number | null)[] =>
    elide && n > 2 * EDGE
      ? [
          ...Array.from({ length: EDGE }, (_, i) => i),
          null,
          ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i),
        ]
      : Array.from({ length: n }, (_, i) => i);
  const offsets: number[] = [];
  const collect = (dim: number, offset: number): void => {
    if (dim === shape.length) offsets.push(offset);
    else for (const i of shown(shape[dim]!)) if (i !== null) collect(dim + 1, offset + i * strides[dim]!);
  };
  collect(0, 0);
  const fixed = chooseFixed(
    offsets.map((o) => values[o]!),
    dtype,
  );
  const strs = new Map<number, string>();
  let width = 1;
  for (const o of offsets) {
    const v = values[o]!;
    let str = fmtNumber(v, dtype, fixed);
    if (fixed === 0 && Number.isFinite(v)) str += '.';
    strs.set(o, str);
    width = Math.max(width, str.length);
  }
  const render = (dim: number, offset: number, indent: string): string => {
    if (dim === shape.length) return strs.get(offset)!.padStart(width);
    const parts = shown(shape[dim]!).map((i) =>
      i === null ? '...' : render(dim + 1, offset + i * strides[dim]!, indent + ' '),
    );
    if (dim === shape.length - 1) return `[${parts.join(', ')}]`;
    const sep = ',' + '\n'.repeat(shape.length - 1 - dim) + indent + ' ';
    return `[${parts.join(sep)}]`;
  };
  const body = render(0, 0, ' '.repeat('Tensor('.length));
  return `Tensor(${body}, dtype=${dtype})`;
}
