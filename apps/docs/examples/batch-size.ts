import { data, layers, optimizers, setSeed } from 'backprop';

const { xs, ys } = data.moons({ samples: 100, noise: 0.15, seed: 1 });
const labels = ys.reshape([-1, 1]).cast('float32');

/** The same model, data and learning rate; only the number of samples behind each gradient step changes. */
export async function train(batchSize: number, epochs = 20) {
  setSeed(0);
  const model = new layers.Sequential();
  model.add(new layers.Dense({ units: 16, activation: 'tanh', inputShape: [2] }));
  model.add(new layers.Dense({ units: 1, activation: 'sigmoid' }));
  model.build();
  model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: 'binaryCrossentropy' });
  const stepLosses: number[] = [];
  const t0 = performance.now();
  for (let epoch = 0; epoch < epochs; epoch++) {
    const history = await model.fit(xs, labels, { epochs: 1, batchSize, seed: epoch, verbose: 0 });
    stepLosses.push(history.history.loss![0]!); // mean loss over the epoch's steps
  }
  const { loss } = await model.evaluate(xs, labels, { verbose: 0 });
  return {
    epochLoss: stepLosses,
    finalLoss: loss!,
    stepsPerEpoch: Math.ceil(100 / batchSize),
    ms: performance.now() - t0,
  };
}

export async function run() {
  return {
    batch: await train(100), // batch gradient descent: 1 exact step per epoch
    miniBatch: await train(20), // mini-batch: 5 steps per epoch
    stochastic: await train(1), // stochastic: 100 noisy steps per epoch
  };
}
