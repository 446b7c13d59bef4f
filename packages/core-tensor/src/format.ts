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
  return v.toExponential(4);
}

/** Chooses NumPy's style: fixed point with up to 4 decimals unless the magnitudes call for scientific notation. */
function chooseFixed(values: TypedArray, dtype: DType): number | undefined {
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

/** Formats like NumPy: nested brackets, aligned columns, and `...` elision above 1000 elements. */
export function formatTensor(values: TypedArray, shape: Shape, dtype: DType): string {
  const fixed = chooseFixed(values, dtype);
  const elide = values.length > THRESHOLD;
  const strs = Array.from(values, (v) => {
    const s = fmtNumber(v, dtype, fixed);
    return fixed === 0 && (dtype === 'float32' || dtype === 'float64') && Number.isFinite(v) ? `${s}.` : s;
  });
  const width = Math.max(1, ...strs.map((s) => s.length));
  const pad = (s: string) => s.padStart(width);
  const strides: number[] = [];
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = acc;
    acc *= shape[i]!;
  }
  const render = (dim: number, offset: number, indent: string): string => {
    if (dim === shape.length) return pad(strs[offset]!);
    const n = shape[dim]!;
    const idx: (number | null)[] =
      elide && n > 2 * EDGE
        ? [
            ...Array.from({ length: EDGE }, (_, i) => i),
            null,
            ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i),
          ]
        : Array.from({ length: n }, (_, i) => i);
    const parts = idx.map((i) =>
      i === null ? '...' : render(dim + 1, offset + i * strides[dim]!, indent + ' '),
    );
    if (dim === shape.length - 1) return `[${parts.join(', ')}]`;
    const sep = ',' + '\n'.repeat(shape.length - 1 - dim) + indent + ' ';
    return `[${parts.join(sep)}]`;
  };
  const body = render(0, 0, ' '.repeat('Tensor('.length));
  return `Tensor(${body}, dtype=${dtype})`;
}
