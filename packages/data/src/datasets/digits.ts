import { toTensor } from '../arrays';
import { DIGITS_ROWS } from './embedded/digits-data';
import type { LabeledData } from './labeled';

/** Options of `digits()`. */
export interface DigitsOptions {
  /** Images as `[n, 8, 8, 1]` (NHWC) instead of rows of 64 pixels. Default false. */
  images?: boolean;
  /** Scale pixels from 0…16 to [0, 1]. Default false (the values as scikit-learn gives them). */
  normalize?: boolean;
}

/** Facts about the embedded digits set. */
export const digitsInfo = {
  name: 'digits',
  numSamples: 1797,
  numFeatures: 64,
  numClasses: 10,
  classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  description:
    'UCI optical recognition of handwritten digits (test set): 8×8 images of integer pixels 0..16 (E. Alpaydin, ' +
    'C. Kaynak, 1998), as packaged by scikit-learn. Full description: assets/digits.rst in this package.',
  license: 'BSD-3-Clause (scikit-learn); see assets/LICENSE-scikit-learn in this package',
} as const;

/**
 * The scikit-learn digits set, embedded (no download): 1 797 handwritten digits, 8×8 pixels of 0…16.
 * `xs` is float32 `[1797, 64]` (or `[1797, 8, 8, 1]` with `images`), `ys` int32 `[1797]` in 0…9.
 * @example const { xs, ys } = digits({ normalize: true });
 */
export function digits(options: DigitsOptions = {}): LabeledData {
  const n = DIGITS_ROWS.length;
  const xs = new Float32Array(n * 64);
  const ys = new Int32Array(n);
  const scale = options.normalize ? 1 / 16 : 1;
  DIGITS_ROWS.forEach((row, i) => {
    for (let j = 0; j < 64; j++) xs[i * 64 + j] = parseInt(row[j]!, 17) * scale;
    ys[i] = parseInt(row[64]!, 17);
  });
  return {
    xs: toTensor(xs, options.images ? [n, 8, 8, 1] : [n, 64], 'float32'),
    ys: toTensor(ys, [n], 'int32'),
  };
}
