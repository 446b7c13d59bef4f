import { data, init, layers, optimizers, setSeed } from 'backprop';
import type { init as Init, optimizers as Opt } from 'backprop';

const { xs, ys } = data.regression({
  samples: 200,
  weights: [2, -3.4, 1.5, 0.7],
  bias: 4.2,
  noise: 0.1,
  seed: 0,
});

/** An initializer for one layer, seeded per layer so that no two layers start with the same weights. */
type InitFor = (seed: number) => Init.Initializer;

function deepReluNet(kernelInitializer: InitFor, depth = 10) {
  setSeed(0);
  const model = new layers.Sequential();
  for (let i = 0; i < depth; i++) {
    model.add(
      new layers.Dense({
        units: 32,
        activation: 'relu',
        kernelInitializer: kernelInitializer(i + 1),
        inputShape: i === 0 ? [4] : undefined,
      }),
    );
  }
  model.add(new layers.Dense({ units: 1, kernelInitializer: kernelInitializer(depth + 1) }));
  model.build(); // create the weights now, from the declared input shape
  return model;
}

/** Per-layer gradient norms at the first step of a 10-layer ReLU network, for one initializer. */
export async function gradientNormsAtInit(kernelInitializer: InitFor): Promise<number[]> {
  const model = deepReluNet(kernelInitializer);
  model.compile({ optimizer: new optimizers.SGD({ learningRate: 1e-12 }), loss: 'meanSquaredError' });
  const monitor = new layers.GradientMonitor({ warn: () => {} });
  await model.fit(xs, ys, { epochs: 1, batchSize: 200, seed: 0, verbose: 0, callbacks: [monitor] });
  return monitor.records.map((r) => r.gradNorm);
}

/** Trains the same deep network with plain SGD at a high rate, with or without clipping; returns the loss per epoch. */
export async function trainWithClipping(
  clip: Partial<Pick<Opt.OptimizerOptions, 'clipvalue' | 'clipnorm' | 'globalClipnorm'>>,
  learningRate = 0.05,
) {
  const model = deepReluNet((seed) => init.heNormal({ seed }), 6);
  model.compile({ optimizer: new optimizers.SGD({ learningRate, ...clip }), loss: 'meanSquaredError' });
  const history = await model.fit(xs, ys, { epochs: 20, batchSize: 25, shuffle: false, verbose: 0 });
  return history.history.loss!;
}

export async function run() {
  return {
    init: {
      'normal σ=1': await gradientNormsAtInit((seed) => init.randomNormal({ stddev: 1, seed })),
      'normal σ=0.01': await gradientNormsAtInit((seed) => init.randomNormal({ stddev: 0.01, seed })),
      'Xavier (Glorot) normal': await gradientNormsAtInit((seed) => init.glorotNormal({ seed })),
      'He normal': await gradientNormsAtInit((seed) => init.heNormal({ seed })),
    },
    clipping: {
      'no clipping': await trainWithClipping({}),
      'clipvalue 1': await trainWithClipping({ clipvalue: 1 }),
      'clipnorm 1': await trainWithClipping({ clipnorm: 1 }),
      'globalClipnorm 1': await trainWithClipping({ globalClipnorm: 1 }),
    },
  };
}
