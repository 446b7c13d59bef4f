import { data, layers, optimizers, setSeed } from 'backprop';
import type { optimizers as Opt } from 'backprop';

const { xs, ys } = data.moons({ samples: 200, noise: 0.1, seed: 0 });
const labels = ys.reshape([-1, 1]).cast('float32');

/** The same small network and data every time; only the optimizer changes. Returns the loss of each epoch. */
export async function train(optimizer: Opt.Optimizer, epochs = 60): Promise<number[]> {
  setSeed(0); // identical initial weights for every run
  const model = new layers.Sequential();
  model.add(new layers.Dense({ units: 16, activation: 'tanh', inputShape: [2] }));
  model.add(new layers.Dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer, loss: 'binaryCrossentropy' });
  const history = await model.fit(xs, labels, { epochs, batchSize: 50, shuffle: false, verbose: 0 });
  return history.history.loss!;
}

export async function run() {
  const sgd = (learningRate: number | Opt.LearningRateSchedule) => new optimizers.SGD({ learningRate });
  return {
    // Too low, about right, too high.
    tooLow: await train(sgd(0.01)),
    good: await train(sgd(1)),
    tooHigh: await train(sgd(60)),
    // A schedule: start high, decay by 10× over the run.
    decayed: await train(
      sgd(optimizers.exponentialDecay({ initialLearningRate: 3, decaySteps: 240, decayRate: 0.1 })),
    ),
    // Adaptive methods at a modest rate.
    sgdSmall: await train(sgd(0.05)),
    rmsprop: await train(new optimizers.RMSprop({ learningRate: 0.05 })),
    adam: await train(new optimizers.Adam({ learningRate: 0.05 })),
  };
}
