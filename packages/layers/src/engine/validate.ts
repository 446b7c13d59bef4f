import type { DType, Tensor, TensorLike } from '@backprop/core-tensor';
import {
  ArgumentError,
  BackpropError,
  DTypeError,
  ShapeError,
  Tensor as TensorClass,
  argmax,
  cast,
  gather,
  isFinite as isFiniteOp,
  logicalNot,
  max,
  min,
  mul,
  reshape,
  scope,
  slice,
  sum,
  tensor,
} from '@backprop/core-tensor';
import { Variable, noGrad } from '@backprop/autograd';
import type { Loss } from '@backprop/losses';

const fmt = (s: readonly number[]): string => `[${s.join(',')}]`;

/**
 * User data as a tensor of the model's dtype. Typed and flat arrays are reshaped to [-1, ...featureShape] when
 * the model knows its input shape, so `fit(new Float32Array(n*784), labels)` works for a 784-input model.
 * Integer and boolean features are cast to the model's float dtype, as Keras casts inputs to the layer's dtype.
 */
export function toInput(
  op: string,
  what: string,
  x: TensorLike,
  featureShape: readonly number[] | undefined,
  dtype: DType | undefined,
): Tensor {
  let t: Tensor;
  if (x instanceof TensorClass) t = x;
  else {
    try {
      t = tensor(x);
    } catch (e) {
      if (e instanceof BackpropError)
        throw new DTypeError(
          `${op}: ${what} is not numeric data (${e.message}); expected numbers or a tensor`,
        );
      throw e;
    }
    if (featureShape && ArrayBuffer.isView(x)) {
      const per = featureShape.reduce((a, b) => a * b, 1);
      if (t.size % per !== 0)
        throw new ShapeError(
          `${op}: ${what} has ${t.size} values, not a whole number of samples of shape ${fmt(featureShape)} ` +
            `(${per} values each) that the model expects`,
        );
      const flat = t;
      t = reshape(t, [-1, ...featureShape]);
      // The reshape is a view that holds the storage; the flat tensor would otherwise live until the GC.
      if (t !== flat) flat.dispose();
    }
  }
  if (dtype && t.dtype !== dtype && (t.dtype === 'int32' || t.dtype === 'bool' || t.dtype === 'float64')) {
    const uncast = t;
    t = cast(t, dtype);
    if (uncast !== x) uncast.dispose();
  }
  return t;
}

/**
 * The tensors an entry point (fit, evaluate, predict, trainOnBatch…) made from the caller's data, freed when it is
 * done; the caller's own tensors are never among them. Left to the GC, a converted data set would stay resident
 * until a collection happened to run (with shared memory, V8 sees no pressure to run one), and the wasm backend's
 * memory does not shrink back.
 */
export class Conversions {
  readonly #made = new Set<Tensor>();
  /** `t`, recorded for `dispose` unless it is `from` itself (the caller's tensor passed through). */
  own<T extends Tensor>(t: T, from: unknown): T {
    if (t !== from) this.#made.add(t);
    return t;
  }
  dispose(): void {
    for (const t of this.#made) t.dispose();
    this.#made.clear();
  }
}

/** Targets as a tensor; a non-numeric array is a DTypeError naming `what`. */
export function toTarget(op: string, what: string, y: TensorLike): Tensor {
  if (y instanceof TensorClass) return y;
  try {
    return tensor(y);
  } catch (e) {
    if (e instanceof BackpropError)
      throw new DTypeError(`${op}: ${what} is not numeric data (${e.message}); expected numbers or a tensor`);
    throw e;
  }
}

/** Index (in C order) of the first true element, or -1. Runs only on the error path. */
function firstTrue(mask: Tensor): number {
  const v = mask.dataSync();
  for (let i = 0; i < v.length; i++) if (v[i]) return i;
  return -1;
}

const knownFinite = new WeakSet<Tensor>();

/** Elements per finiteness pass: the product x·0 is a temporary this size, not the size of the data set. */
const FINITE_CHUNK = 1 << 20;

/**
 * x·0 is 0 for every finite x and NaN for NaN and ±Infinity, so a product and a sum answer the question (a plain
 * sum could overflow to Infinity on large but finite data). Done a slice at a time: a whole-data-set product would
 * raise the backend's memory high-water mark by the data set's size (188 MB for MNIST as float32), and the wasm
 * backend's memory never shrinks.
 */
function allFinite(t: Tensor): boolean {
  return noGrad(() =>
    scope(() => {
      const flat = reshape(t, [t.size]);
      for (let start = 0; start < t.size; start += FINITE_CHUNK) {
        const end = Math.min(t.size, start + FINITE_CHUNK);
        const ok = scope(() => {
          const part = end - start === t.size ? flat : slice(flat, [start], [end]);
          return Number.isFinite(sum(mul(part, 0)).item());
        });
        if (!ok) return false;
      }
      return true;
    }),
  );
}

/**
 * NaN or ±Infinity in training data is an error, not a warning: a single NaN turns every weight it reaches into
 * NaN and the model is lost, and neither Keras nor PyTorch would say why. The message names the first bad sample.
 */
export function assertFinite(op: string, t: Tensor, what: string): void {
  if (t.dtype !== 'float32' && t.dtype !== 'float64') return;
  if (t.size === 0 || knownFinite.has(t)) return;
  if (allFinite(t)) {
    // Tensors are immutable, so a data set checked once stays checked: fit() called per epoch pays once.
    // A Variable can be assigned new values, so it is checked every time.
    if (!(t instanceof Variable)) knownFinite.add(t);
    return;
  }
  const at = noGrad(() => scope(() => firstTrue(logicalNot(isFiniteOp(t)))));
  const perSample = t.rank > 0 ? t.size / Math.max(1, t.shape[0]!) : 1;
  const sample = Math.floor(at / perSample);
  const value = t.dataSync()[at];
  throw new ArgumentError(
    `${op}: ${what} contains NaN or Infinity: ${value} at sample ${sample} (element ${at} of shape ${fmt(t.shape)}); ` +
      'clean or impute the data first (NaN would spread into every weight)',
  );
}

/** Whether a loss takes integer class ids (Keras' sparse categorical cross-entropy). */
export function isSparseLoss(loss: Loss): boolean {
  const l = loss as Loss & { className?: string; name?: string };
  return l.className === 'SparseCategoricalCrossentropy' || l.name === 'sparse_categorical_crossentropy';
}

/**
 * Sparse labels must be integers in [0, classes): checked once for the whole data set (two reductions), so the
 * message names the sample rather than a position in some shuffled batch.
 */
export function assertSparseLabels(op: string, y: Tensor, classes: number, what = 'y'): void {
  if (y.size === 0) return;
  const bad = noGrad(() =>
    scope(() => {
      const f = cast(y, 'float64');
      const lo = min(f).item();
      const hi = max(f).item();
      const fractional =
        y.dtype === 'float32' || y.dtype === 'float64'
          ? min(cast(f.floor().equal(f), 'int32')).item() === 0
          : false;
      if (lo >= 0 && hi < classes && !fractional && Number.isFinite(lo) && Number.isFinite(hi)) return -1;
      const v = f.dataSync();
      for (let i = 0; i < v.length; i++)
        if (!(Number.isInteger(v[i]) && v[i]! >= 0 && v[i]! < classes)) return i;
      return -1;
    }),
  );
  if (bad < 0) return;
  const v = y.dataSync()[bad]!;
  const perSample = y.size / Math.max(1, y.shape[0] ?? 1);
  throw new ArgumentError(
    `${op}: ${what} (sample ${Math.floor(bad / perSample)}) is ${Number(v)}, but sparseCategoricalCrossentropy ` +
      `needs integer class ids in [0, ${classes}) for a model with ${classes} outputs` +
      (Number.isInteger(Number(v)) ? '' : ' (use categoricalCrossentropy for one-hot or soft labels)'),
  );
}

/**
 * Per-sample weights from class weights: the label's weight (labels sparse, or one-hot along the last axis).
 * Classes missing from `classWeight` weigh 1.
 */
export function classWeights(y: Tensor, classWeight: Readonly<Record<number, number>>): Tensor {
  return scope(() => classWeightsOf(y, classWeight));
}

function classWeightsOf(y: Tensor, classWeight: Readonly<Record<number, number>>): Tensor {
  const labels =
    y.rank >= 2 && y.shape[y.rank - 1]! > 1
      ? argmax(y, -1)
      : cast(y.rank >= 2 ? y.reshape([-1]) : y, 'int32');
  // A reduction, not Math.max(...values): spreading 200 000 labels overflows the call stack.
  const top = labels.size === 0 ? 0 : noGrad(() => scope(() => max(labels).item()));
  const lowest = labels.size === 0 ? 0 : noGrad(() => scope(() => min(labels).item()));
  if (lowest < 0) throw new ArgumentError(`classWeight: labels must be class ids ≥ 0, got ${lowest}`);
  let size = top + 1;
  for (const k of Object.keys(classWeight)) {
    const c = Number(k);
    if (!Number.isInteger(c) || c < 0)
      throw new ArgumentError(`classWeight: keys must be class ids (integers ≥ 0), got "${k}"`);
    size = Math.max(size, c + 1);
  }
  const table = new Float32Array(size);
  for (let i = 0; i < size; i++) table[i] = classWeight[i] ?? 1;
  return gather(tensor(table), labels);
}
