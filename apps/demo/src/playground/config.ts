/** Everything that defines a playground run: serializable (it lives in the URL) and seeded. */

export const DATASETS = ['spiral', 'circles', 'moons', 'xor', 'gaussian'] as const;
export const ACTIVATIONS = ['relu', 'leakyRelu', 'tanh', 'sigmoid', 'linear'] as const;
export const INITIALIZERS = ['heNormal', 'glorotUniform', 'lecunNormal', 'small', 'large'] as const;
export const OPTIMIZERS = ['sgd', 'momentum', 'rmsprop', 'adam', 'adamw'] as const;
export const LOSSES = ['crossentropy', 'mse', 'hinge'] as const;

export type DatasetKind = (typeof DATASETS)[number];
export type ActivationKind = (typeof ACTIVATIONS)[number];
export type InitializerKind = (typeof INITIALIZERS)[number];
export type OptimizerKind = (typeof OPTIMIZERS)[number];
export type LossKind = (typeof LOSSES)[number];

export interface LayerSpec {
  units: number;
  activation: ActivationKind;
}

export interface PlaygroundConfig {
  dataset: DatasetKind;
  /** Classes (spiral and gaussian; the others are two-class). */
  classes: number;
  samples: number;
  noise: number;
  /** Share of the samples held out as the test set. */
  testFraction: number;
  hidden: LayerSpec[];
  initializer: InitializerKind;
  batchNorm: boolean;
  optimizer: OptimizerKind;
  lr: number;
  /** Samples per step; 0 means all of the training set (batch gradient descent). */
  batchSize: number;
  loss: LossKind;
  /** Global gradient-norm clip; 0 is off. */
  clip: number;
  seed: number;
}

export const DEFAULT_CONFIG: PlaygroundConfig = {
  dataset: 'spiral',
  classes: 3,
  samples: 300,
  noise: 0.1,
  testFraction: 0.3,
  hidden: [
    { units: 16, activation: 'relu' },
    { units: 16, activation: 'relu' },
  ],
  initializer: 'heNormal',
  batchNorm: false,
  optimizer: 'adam',
  lr: 0.01,
  batchSize: 32,
  loss: 'crossentropy',
  clip: 0,
  seed: 1,
};

/** Two-class data sets ignore `classes`. */
export function classCount(c: PlaygroundConfig): number {
  return c.dataset === 'spiral' || c.dataset === 'gaussian' ? Math.max(2, Math.min(6, c.classes)) : 2;
}

function pick<T extends string>(v: unknown, choices: readonly T[], fallback: T): T {
  return typeof v === 'string' && (choices as readonly string[]).includes(v) ? (v as T) : fallback;
}

function num(v: unknown, lo: number, hi: number, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi ? v : fallback;
}

/** A config from untrusted JSON (the URL): unknown or out-of-range fields fall back to the defaults. */
export function sanitizeConfig(raw: unknown): PlaygroundConfig {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const d = DEFAULT_CONFIG;
  const hidden = Array.isArray(r.hidden)
    ? (r.hidden as unknown[]).slice(0, 12).map((l) => {
        const o = (typeof l === 'object' && l !== null ? l : {}) as Record<string, unknown>;
        return {
          units: Math.round(num(o.units, 1, 64, 8)),
          activation: pick(o.activation, ACTIVATIONS, 'relu'),
        };
      })
    : d.hidden.map((l) => ({ ...l }));
  return {
    dataset: pick(r.dataset, DATASETS, d.dataset),
    classes: Math.round(num(r.classes, 2, 6, d.classes)),
    samples: Math.round(num(r.samples, 20, 2000, d.samples)),
    noise: num(r.noise, 0, 1, d.noise),
    testFraction: num(r.testFraction, 0.05, 0.9, d.testFraction),
    hidden,
    initializer: pick(r.initializer, INITIALIZERS, d.initializer),
    batchNorm: typeof r.batchNorm === 'boolean' ? r.batchNorm : d.batchNorm,
    optimizer: pick(r.optimizer, OPTIMIZERS, d.optimizer),
    lr: num(r.lr, 1e-6, 100, d.lr),
    batchSize: Math.round(num(r.batchSize, 0, 2000, d.batchSize)),
    loss: pick(r.loss, LOSSES, d.loss),
    clip: num(r.clip, 0, 1e6, d.clip),
    seed: Math.round(num(r.seed, 0, 2 ** 31, d.seed)),
  };
}
