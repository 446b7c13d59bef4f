/**
 * The "load" suite: how long `@backprop/data`'s `mnist({dir})` takes to turn the four MNIST `.gz` files into
 * tensors (train 60 000 + test 10 000 images). Issue target: ≤ 1.5 s on the 2-core reference machine.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { mnist } from '@backprop/data';
import type { LoadResult } from './results';

/** The MNIST folder: $BACKPROP_SHARED_DATA/mnist, else ../shared/data/mnist beside the repository. */
export function mnistDir(): string | undefined {
  const candidates = [
    process.env.BACKPROP_SHARED_DATA && join(process.env.BACKPROP_SHARED_DATA, 'mnist'),
    join(process.cwd(), '..', '..', 'shared', 'data', 'mnist'),
    join(process.cwd(), '..', 'shared', 'data', 'mnist'),
  ];
  return candidates.find(
    (d): d is string => typeof d === 'string' && existsSync(join(d, 'train-images-idx3-ubyte.gz')),
  );
}

/** Median of `runs` timed loads (after one warm-up), or undefined when the files are not available. */
export async function runLoad(runs: number): Promise<LoadResult[]> {
  const dir = mnistDir();
  if (!dir) {
    console.log('load: MNIST files not found (set BACKPROP_SHARED_DATA); skipping the load suite');
    return [];
  }
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const t0 = performance.now();
    const data = await mnist({ dir });
    const t = (performance.now() - t0) / 1000;
    for (const split of [data.train, data.test]) {
      split.xs.dispose();
      split.ys.dispose();
    }
    if (i > 0) times.push(t);
  }
  times.sort((a, b) => a - b);
  const seconds = times[Math.floor(times.length / 2)]!;
  console.log(
    `load: mnist() from .gz into tensors, median of ${runs}: ${seconds.toFixed(3)} s (target ≤ 1.5 s)`,
  );
  return [{ suite: 'load', impl: 'backprop', dataset: 'mnist', seconds }];
}
