import { data, grad, layers, losses, optimizers, setSeed, sigmoid, tensor } from 'backprop';
import type { Tensor } from 'backprop';

/** dL/dz for a positive example (label 1) as a function of the model's raw output (logit) z. */
export function gradientsAtLogit(z: number) {
  const at = (f: (x: Tensor) => Tensor) => grad(f)(tensor([[z]])).item();
  return {
    mse: at((x) => losses.meanSquaredError([[1]], sigmoid(x))), // MSE on σ(z)
    crossEntropy: at((x) => losses.binaryCrossentropy([[1]], x, { fromLogits: true })),
    hinge: at((x) => losses.hinge([[1]], x)), // label 1 means +1 for hinge
  };
}

const { xs, ys } = data.moons({ samples: 200, noise: 0.1, seed: 0 });
const labels = ys.reshape([-1, 1]).cast('float32');

/** The same network trained with each loss; returns the accuracy after each epoch. */
export async function train(loss: 'meanSquaredError' | 'binaryCrossentropy' | 'hinge', epochs = 40) {
  setSeed(0);
  const model = new layers.Sequential();
  model.add(new layers.Dense({ units: 16, activation: 'tanh', inputShape: [2] }));
  // Hinge wants a raw score whose sign is the class; MSE and cross-entropy get a probability.
  model.add(new layers.Dense({ units: 1, activation: loss === 'hinge' ? 'linear' : 'sigmoid' }));
  model.build();
  model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss });
  const accuracy: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    await model.fit(xs, labels, { epochs: 1, batchSize: 20, seed: epoch, verbose: 0 });
    const out = Array.from(model.predict(xs).dataSync());
    const y = Array.from(labels.dataSync());
    const threshold = loss === 'hinge' ? 0 : 0.5;
    accuracy.push(out.filter((v, i) => Number(v > threshold) === y[i]).length / out.length);
  }
  return accuracy;
}

export async function run() {
  const zs = Array.from({ length: 49 }, (_, i) => -6 + i * 0.25);
  return {
    zs,
    gradients: zs.map(gradientsAtLogit),
    accuracy: {
      mse: await train('meanSquaredError'),
      crossEntropy: await train('binaryCrossentropy'),
      hinge: await train('hinge'),
    },
  };
}
