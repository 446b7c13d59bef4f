import { data, layers, setSeed } from 'backprop';

export async function run() {
  setSeed(0);
  const { xs, ys } = data.moons({ samples: 200, noise: 0.1, seed: 0 });
  const model = new layers.Sequential();
  model.add(new layers.Dense({ units: 16, activation: 'relu', inputShape: [2] }));
  model.add(new layers.Dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const history = await model.fit(xs, ys.reshape([-1, 1]).cast('float32'), {
    epochs: 100,
    batchSize: 32,
    seed: 0, // the shuffle order: with setSeed above, every run is the same
    verbose: 0,
  });
  return { loss: history.history.loss!, accuracy: history.history.accuracy!.at(-1)! };
}
