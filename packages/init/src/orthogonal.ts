import type { DType, Tensor } from '@backprop/core-tensor';
import { ShapeError, randomNormal as tensorRandomNormal, tensor } from '@backprop/core-tensor';
import type { Initializer } from './initializer';
import { checkNumber, checkSeed, checkShape } from './initializer';

/** Options of {@link Orthogonal}. */
export interface OrthogonalOptions {
  /** Multiplies the orthogonal matrix (default 1). */
  gain?: number;
  /** Same seed, same values; `null`/absent draws from the global generator. */
  seed?: number | null;
}

/**
 * @internal Householder QR of the row-major m×n matrix `a` (m ≥ n, overwritten). Returns the reduced Q (m×n, row-major)
 * with its columns multiplied by sign(diag R), which makes the factorization unique: the result is the same
 * orthogonal matrix LAPACK-based frameworks (Keras, PyTorch) return after their own sign correction.
 */
export function orthonormalColumns(a: Float64Array, m: number, n: number): Float64Array {
  const vs: Float64Array[] = [];
  const rSign: number[] = [];
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += a[i * n + k]! ** 2;
    norm = Math.sqrt(norm);
    const x0 = a[k * n + k]!;
    // alpha has the opposite sign of x0, so v = x − alpha·e₀ never cancels (the stable Householder choice).
    const alpha = x0 >= 0 ? -norm : norm;
    const v = new Float64Array(m - k);
    for (let i = k; i < m; i++) v[i - k] = a[i * n + k]!;
    v[0] = x0 - alpha;
    let vnorm = 0;
    for (const x of v) vnorm += x * x;
    vnorm = Math.sqrt(vnorm);
    if (vnorm > 0) for (let i = 0; i < v.length; i++) v[i] = v[i]! / vnorm;
    vs.push(v);
    // R[k][k] = alpha; a zero column (probability 0) keeps sign +1 rather than zeroing Q's column.
    rSign.push(alpha < 0 ? -1 : 1);
    // A[k:, j] -= 2 v (v · A[k:, j]) for the remaining columns.
    for (let j = k + 1; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i - k]! * a[i * n + j]!;
      for (let i = k; i < m; i++) a[i * n + j] = a[i * n + j]! - 2 * v[i - k]! * dot;
    }
  }
  // Q = H₀ H₁ … H₍ₙ₋₁₎ · I[:, :n], applied from the last reflection to the first.
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j * n + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k]!;
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i - k]! * q[i * n + j]!;
      for (let i = k; i < m; i++) q[i * n + j] = q[i * n + j]! - 2 * v[i - k]! * dot;
    }
  }
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) q[i * n + j] = q[i * n + j]! * rSign[j]!;
  return q;
}

/**
 * A (semi-)orthogonal matrix times `gain` (Saxe et al., 2014), as Keras builds it: flatten the shape to
 * rows = product of all but the last dimension, cols = the last; draw a normal matrix of
 * max(rows, cols) × min(rows, cols); take Q of its QR decomposition (sign-corrected so the result is uniformly
 * distributed); transpose when rows < cols. Then the rows (if rows ≤ cols) or the columns are orthonormal.
 *
 * Why: multiplying by an orthogonal matrix preserves vector norms exactly, so a deep (or recurrent) stack of such
 * layers neither shrinks nor amplifies the signal, the extreme case of what variance scaling does on average.
 */
export class Orthogonal implements Initializer {
  readonly className = 'Orthogonal';
  readonly gain: number;
  readonly seed: number | null;
  constructor(options: OrthogonalOptions = {}) {
    this.gain = checkNumber(this.className, 'gain', options.gain ?? 1);
    this.seed = checkSeed(this.className, options.seed);
  }

  /** A tensor whose flattened matrix has orthonormal rows or columns, times `gain`. Needs rank ≥ 2. */
  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    checkShape(this.className, shape);
    if (shape.length < 2) {
      throw new ShapeError(
        `Orthogonal: the shape must have at least 2 dimensions, got [${shape.join(',')}] ` +
          `(use it for kernels, not biases)`,
      );
    }
    const cols = shape[shape.length - 1]!;
    let rows = 1;
    for (const d of shape.slice(0, -1)) rows *= d;
    const m = Math.max(rows, cols);
    const n = Math.min(rows, cols);
    const normal = tensorRandomNormal([m, n], {
      dtype: 'float64',
      ...(this.seed === null ? {} : { seed: this.seed }),
    });
    const a = normal.dataSync() as Float64Array;
    normal.dispose();
    const q = orthonormalColumns(a, m, n);
    const out = new Float64Array(rows * cols);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        // When rows < cols the result is Qᵀ (rows×cols): element (j, i) of the output.
        const at = rows >= cols ? i * cols + j : j * cols + i;
        out[at] = this.gain * q[i * n + j]!;
      }
    }
    return tensor(out, shape, dtype);
  }

  /** `{ gain, seed }`. */
  getConfig(): Record<string, unknown> {
    return { gain: this.gain, seed: this.seed };
  }
}

/**
 * An orthogonal initializer (see {@link Orthogonal}).
 * @example
 * const w = orthogonal({ seed: 3 }).call([4, 4]); // wᵀ·w = I
 */
export function orthogonal(options: OrthogonalOptions = {}): Orthogonal {
  return new Orthogonal(options);
}
