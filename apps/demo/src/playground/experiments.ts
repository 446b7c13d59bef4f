import type { PlaygroundConfig } from './config';
import { DEFAULT_CONFIG } from './config';

/** What an experiment should show after its steps; the end-to-end test asserts exactly this. */
export type Expectation =
  'loss-falls' | 'diverges' | 'crawls' | 'vanishing' | 'healthy-gradients' | 'stable-with-clipping';

export interface Experiment {
  id: string;
  lesson: string;
  title: string;
  /** Two sentences: what happens and why. */
  explanation: string;
  config: PlaygroundConfig;
  steps: number;
  expect: Expectation[];
}

const base = (over: Partial<PlaygroundConfig>): PlaygroundConfig => ({
  ...DEFAULT_CONFIG,
  hidden: DEFAULT_CONFIG.hidden.map((l) => ({ ...l })),
  ...over,
});

const deep = (
  units: number,
  activation: 'sigmoid' | 'relu' | 'tanh',
  n: number,
): PlaygroundConfig['hidden'] => Array.from({ length: n }, () => ({ units, activation }));

export const EXPERIMENTS: Experiment[] = [
  {
    id: 'sigmoid-vanishes',
    lesson: 'Vanishing gradients',
    title: 'Deep sigmoid network',
    explanation:
      'Each sigmoid layer multiplies the backward signal by at most 0.25, so after eight of them the first layer’s ' +
      'gradient is orders of magnitude smaller than the last layer’s. The early layers barely learn and the loss ' +
      'creeps down slowly.',
    config: base({
      dataset: 'moons',
      hidden: deep(8, 'sigmoid', 8),
      initializer: 'glorotUniform',
      optimizer: 'sgd',
      lr: 0.1,
    }),
    steps: 100,
    expect: ['vanishing'],
  },
  {
    id: 'relu-he',
    lesson: 'Vanishing gradients',
    title: 'The same depth with ReLU + He init',
    explanation:
      'ReLU passes gradients through unchanged where a unit is active, and He initialization keeps each layer’s ' +
      'signal variance near one. Every layer gets a gradient of similar size and the loss falls.',
    config: base({
      dataset: 'moons',
      hidden: deep(8, 'relu', 8),
      initializer: 'heNormal',
      optimizer: 'sgd',
      lr: 0.1,
    }),
    steps: 100,
    expect: ['healthy-gradients', 'loss-falls'],
  },
  {
    id: 'large-init-explodes',
    lesson: 'Exploding gradients',
    title: 'Large initial weights',
    explanation:
      'With N(0, 1.5²) weights every layer multiplies the size of the signal, so logits and gradients grow geometrically ' +
      'with depth. The first updates are enormous and the weights blow up to Inf/NaN.',
    config: base({
      dataset: 'circles',
      hidden: deep(16, 'relu', 8),
      initializer: 'large',
      optimizer: 'sgd',
      lr: 0.1,
    }),
    steps: 100,
    expect: ['diverges'],
  },
  {
    id: 'large-init-clipped',
    lesson: 'Exploding gradients',
    title: 'The same network with gradient clipping',
    explanation:
      'Clipping rescales the whole gradient to a global norm of at most 1 before each update, keeping its ' +
      'direction but capping the step. The huge early gradients no longer throw the weights away, and training ' +
      'stays finite.',
    config: base({
      dataset: 'circles',
      hidden: deep(16, 'relu', 8),
      initializer: 'large',
      optimizer: 'sgd',
      lr: 0.1,
      clip: 1,
    }),
    steps: 100,
    expect: ['stable-with-clipping'],
  },
  {
    id: 'lr-too-high',
    lesson: 'Learning rate',
    title: 'Learning rate too high (100)',
    explanation:
      'A step of 100 times the gradient overshoots the minimum by more than it corrects, so each step lands further ' +
      'away. The loss rises instead of falling: training diverges.',
    config: base({ dataset: 'spiral', optimizer: 'sgd', lr: 100 }),
    steps: 100,
    expect: ['diverges'],
  },
  {
    id: 'lr-too-low',
    lesson: 'Learning rate',
    title: 'Learning rate too low (1e-5)',
    explanation:
      'Each step moves the weights a hundred-thousandth of the gradient, which is safe but negligible. After a ' +
      'hundred steps the loss has hardly moved: training crawls.',
    config: base({ dataset: 'spiral', optimizer: 'sgd', lr: 1e-5 }),
    steps: 100,
    expect: ['crawls'],
  },
  {
    id: 'batch-gd',
    lesson: 'Batch size',
    title: 'Batch gradient descent (all samples)',
    explanation:
      'Every step uses the whole training set, so the gradient is exact and the loss curve is smooth. But each step ' +
      'costs a full pass over the data.',
    config: base({ dataset: 'moons', batchSize: 0, lr: 0.03 }),
    steps: 100,
    expect: ['loss-falls'],
  },
  {
    id: 'minibatch-gd',
    lesson: 'Batch size',
    title: 'Mini-batch gradient descent (32)',
    explanation:
      'A batch of 32 gives a cheap, slightly noisy estimate of the gradient. This is the usual compromise: many ' +
      'steps per pass and a loss curve that still trends smoothly.',
    config: base({ dataset: 'moons', batchSize: 32, lr: 0.03 }),
    steps: 100,
    expect: ['loss-falls'],
  },
  {
    id: 'stochastic-gd',
    lesson: 'Batch size',
    title: 'Stochastic gradient descent (1)',
    explanation:
      'One sample per step makes each gradient a very noisy guess, so the batch loss jumps around from step to ' +
      'step. It still heads downhill on average, which is why SGD works at all.',
    config: base({ dataset: 'moons', batchSize: 1, lr: 0.01 }),
    steps: 200,
    expect: ['loss-falls'],
  },
  {
    id: 'mse',
    lesson: 'Loss function',
    title: 'Mean squared error on softmax outputs',
    explanation:
      'Squared error on probabilities has a gradient that shrinks as the softmax saturates, even when the answer ' +
      'is confidently wrong. It learns, but more slowly than cross-entropy.',
    config: base({ dataset: 'spiral', loss: 'mse', optimizer: 'sgd', lr: 0.5 }),
    steps: 150,
    expect: ['loss-falls'],
  },
  {
    id: 'crossentropy',
    lesson: 'Loss function',
    title: 'Cross-entropy',
    explanation:
      'Cross-entropy on logits has the gradient softmax − one-hot, which stays large exactly when the network is ' +
      'wrong. The same network learns the spiral faster.',
    config: base({ dataset: 'spiral', loss: 'crossentropy', optimizer: 'sgd', lr: 0.5 }),
    steps: 150,
    expect: ['loss-falls'],
  },
];

export function experimentById(id: string): Experiment | undefined {
  return EXPERIMENTS.find((e) => e.id === id);
}
