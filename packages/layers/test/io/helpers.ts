import type { Tensor } from '@backprop/core-tensor';
import { Generator, tensor } from '@backprop/core-tensor';
import {
  BatchNormalization,
  Conv2D,
  Dense,
  Dropout,
  Flatten,
  MaxPooling2D,
  Sequential,
} from '../../src/index';

/** The raw bytes of a tensor's elements: equal bytes is the "bit for bit" of these tests. */
export function bits(t: Tensor): Buffer {
  const d = t.dataSync();
  return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
}

/** Seeded uniform data in [-1, 1), independent of the code under test. */
export function uniform(shape: number[], seed: number): Tensor {
  const g = new Generator(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = g.uniform() * 2 - 1;
  return tensor(values, shape);
}

/** A two-layer classifier on 4 features, compiled with Adam (3 classes, integer labels). */
export function mlp(): Sequential {
  const model = new Sequential();
  model.add(new Dense({ units: 8, activation: 'relu', inputShape: [4] }));
  model.add(new BatchNormalization());
  model.add(new Dense({ units: 3, activation: 'softmax' }));
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** A small NHWC conv net: Conv2D, BatchNormalization, MaxPooling2D, Flatten, Dropout, Dense. */
export function cnn(): Sequential {
  const model = new Sequential();
  model.add(
    new Conv2D({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [6, 6, 2] }),
  );
  model.add(new BatchNormalization());
  model.add(new MaxPooling2D({ poolSize: 2 }));
  model.add(new Flatten());
  model.add(new Dropout({ rate: 0.25, seed: 1 }));
  model.add(new Dense({ units: 3, activation: 'softmax' }));
  model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
  return model;
}

/** Integer labels in [0, classes). */
export function labels(n: number, classes: number, seed: number): Tensor {
  const g = new Generator(seed);
  return tensor(
    Int32Array.from({ length: n }, () => Math.floor(g.uniform() * classes)),
    [n],
    'int32',
  );
}
