import { toTensor } from '../arrays';
import { IRIS_ROWS } from './embedded/iris-data';
import type { LabeledData } from './labeled';

/** Facts about the embedded iris set. */
export const irisInfo = {
  name: 'iris',
  numSamples: 150,
  numFeatures: 4,
  numClasses: 3,
  featureNames: ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'],
  classNames: ['setosa', 'versicolor', 'virginica'],
  description:
    "Fisher's iris data (1936): 50 flowers of each of three species, four measurements each, as packaged by " +
    'scikit-learn. Full description: assets/iris.rst in this package.',
  license: 'BSD-3-Clause (scikit-learn); see assets/LICENSE-scikit-learn in this package',
} as const;

/**
 * Fisher's iris set, embedded (no download): 150 flowers, 4 measurements in cm, 3 species.
 * `xs` is float32 `[150, 4]`, `ys` int32 `[150]` in 0…2, in the original order (sorted by species: shuffle or
 * `trainTestSplit` before training).
 * @example const { train, test } = trainTestSplit(iris(), { testSize: 0.2, seed: 0, stratify: true });
 */
export function iris(): LabeledData {
  const n = IRIS_ROWS.length;
  const xs = new Float32Array(n * 4);
  const ys = new Int32Array(n);
  IRIS_ROWS.forEach((row, i) => {
    const v = row.split(',').map(Number);
    for (let j = 0; j < 4; j++) xs[i * 4 + j] = v[j]!;
    ys[i] = v[4]!;
  });
  return { xs: toTensor(xs, [n, 4], 'float32'), ys: toTensor(ys, [n], 'int32') };
}
