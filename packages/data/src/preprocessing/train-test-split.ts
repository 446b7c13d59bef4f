import type { Tensor, TypedArray } from '@backprop/core-tensor';
import { ArgumentError, ShapeError } from '@backprop/core-tensor';
import { allocFor, fmtShape, sizeOf, toTensor } from '../arrays';
import { Rng, randomSeed } from '../random';

/** Options of `trainTestSplit`. */
export interface TrainTestSplitOptions {
  /** Fraction of samples for the test part (0 < f < 1), or their number. Default 0.25. */
  testSize?: number;
  /** Seed of the random choice; random when omitted. */
  seed?: number;
  /** Shuffle before splitting (default). With false the last samples are the test part. */
  shuffle?: boolean;
  /**
   * Keep class proportions in both parts: the name of the label tensor, or true for `ys`. Each class puts
   * `round(count · testFraction)` samples in the test part.
   */
  stratify?: boolean | string;
}

/**
 * Splits tensors that share their first (sample) dimension into training and test parts, with the same rows
 * chosen in every tensor (scikit-learn's `train_test_split`). Returns new tensors; the inputs are not changed.
 * @example const { train, test } = trainTestSplit(iris(), { testSize: 0.2, seed: 0, stratify: true });
 */
export function trainTestSplit<D extends Record<keyof D, Tensor>>(
  data: D,
  options: TrainTestSplitOptions = {},
): { train: D; test: D } {
  const tensors = data as Record<string, Tensor>;
  const keys = Object.keys(tensors);
  if (keys.length === 0) throw new ArgumentError('trainTestSplit: needs at least one tensor');
  const n = tensors[keys[0]!]!.shape[0];
  for (const k of keys) {
    const t = tensors[k]!;
    if (t.rank === 0 || t.shape[0] !== n) {
      throw new ShapeError(
        `trainTestSplit: every tensor needs the same number of samples on axis 0; '${keys[0]}' has ${n}, ` +
          `'${k}' has shape ${fmtShape(t.shape)}`,
      );
    }
  }
  const total = n ?? 0;
  const testSize = options.testSize ?? 0.25;
  const fraction = testSize >= 1 ? testSize / total : testSize;
  if (!(fraction > 0 && fraction < 1) || (testSize >= 1 && !Number.isInteger(testSize))) {
    throw new ArgumentError(
      `trainTestSplit: testSize must be a fraction in (0, 1) or a whole number of samples below ${total}, got ${testSize}`,
    );
  }
  const rng = new Rng(options.seed ?? randomSeed());
  const shuffle = options.shuffle ?? true;
  let trainRows: number[];
  let testRows: number[];
  if (options.stratify) {
    const key = options.stratify === true ? 'ys' : options.stratify;
    const labels = tensors[key];
    if (!labels)
      throw new ArgumentError(
        `trainTestSplit: stratify names '${key}', which is not among ${keys.join(', ')}`,
      );
    [trainRows, testRows] = stratified(labels.dataSync(), fraction, rng, shuffle);
  } else {
    const order = shuffle ? Array.from(rng.permutation(total)) : Array.from({ length: total }, (_, i) => i);
    const nTest = Math.round(total * fraction);
    trainRows = order.slice(0, total - nTest);
    testRows = order.slice(total - nTest);
  }
  const part = (rows: number[]): D =>
    Object.fromEntries(keys.map((k) => [k, gatherRows(tensors[k]!, rows)])) as D;
  return { train: part(trainRows), test: part(testRows) };
}

function stratified(labels: TypedArray, fraction: number, rng: Rng, shuffle: boolean): [number[], number[]] {
  const byClass = new Map<number, number[]>();
  labels.forEach((c, i) => {
    const list = byClass.get(c) ?? [];
    list.push(i);
    byClass.set(c, list);
  });
  const train: number[] = [];
  const test: number[] = [];
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = byClass.get(c)!;
    if (shuffle) rng.shuffle(rows);
    const nTest = Math.round(rows.length * fraction);
    train.push(...rows.slice(0, rows.length - nTest));
    test.push(...rows.slice(rows.length - nTest));
  }
  // Mix the classes again, so neither part comes sorted by class.
  if (shuffle) {
    rng.shuffle(train);
    rng.shuffle(test);
  }
  return [train, test];
}

function gatherRows(t: Tensor, rows: number[]): Tensor {
  const src = t.dataSync();
  const per = sizeOf(t.shape.slice(1));
  const out = allocFor(t.dtype, rows.length * per);
  rows.forEach((r, k) => out.set(src.subarray(r * per, (r + 1) * per), k * per));
  return toTensor(out, [rows.length, ...t.shape.slice(1)], t.dtype);
}
