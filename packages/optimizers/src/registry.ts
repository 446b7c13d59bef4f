import { ArgumentError } from '@backprop/core-tensor';
import { Adadelta } from './adadelta';
import { Adagrad } from './adagrad';
import { Adam } from './adam';
import { Adamax } from './adamax';
import { AdamW } from './adamw';
import type { SerializedObject } from './config';
import { lookupKey, normalizeConfig, splitIdentifier } from './config';
import { Nadam } from './nadam';
import { Optimizer } from './optimizer';
import { RMSprop } from './rmsprop';
import { getSchedule } from './schedules/registry';
import { SGD } from './sgd';

/** Builds an optimizer from a config whose keys are already camelCase and whose schedule is already built. */
export type OptimizerFactory = (config: Record<string, unknown>) => Optimizer;

// Configs come from JSON: each constructor checks every value it is given.
const BUILTIN: [className: string, factory: OptimizerFactory][] = [
  ['SGD', (c) => new SGD(c)],
  ['RMSprop', (c) => new RMSprop(c)],
  ['Adam', (c) => new Adam(c)],
  ['AdamW', (c) => new AdamW(c)],
  ['Adagrad', (c) => new Adagrad(c)],
  ['Adadelta', (c) => new Adadelta(c)],
  ['Adamax', (c) => new Adamax(c)],
  ['Nadam', (c) => new Nadam(c)],
];

// Keras writes these into every optimizer config. Accepted when they ask for nothing we lack.
const isNullish = (v: unknown): boolean => v === null || v === undefined;
const KERAS_EXTRAS: Record<string, (v: unknown) => boolean> = {
  name: () => true,
  useEma: (v) => v === false || isNullish(v),
  emaMomentum: () => true,
  emaOverwriteFrequency: () => true,
  lossScaleFactor: isNullish,
  gradientAccumulationSteps: isNullish,
  isLegacyOptimizer: (v) => v === false || isNullish(v),
  jitCompile: () => true,
};

interface Entry {
  className: string;
  factory: OptimizerFactory;
  keys: string[];
}
const registry = new Map<string, Entry>();

/**
 * Adds a custom optimizer class so that `getOptimizer` (and so saved models) can name it. The config keys it
 * accepts are those of `factory({}).getConfig()`; `className` is matched ignoring case and underscores.
 */
export function registerOptimizer(className: string, factory: OptimizerFactory): void {
  if (typeof className !== 'string' || className.length === 0)
    throw new ArgumentError('registerOptimizer: className must be a non-empty string');
  registry.set(lookupKey(className), { className, factory, keys: Object.keys(factory({}).getConfig()) });
}

for (const [className, factory] of BUILTIN) registerOptimizer(className, factory);

/**
 * The optimizer an identifier names:
 * - an {@link Optimizer}, returned as is (its state included);
 * - a name, case and underscores ignored (`'adam'`, `'Adam'`, `'sgd'`, `'rmsprop'`, `'adamw'`, …): a new optimizer
 *   with Keras' defaults;
 * - a saved `{ className, config }` (from {@link serializeOptimizer}, or Keras' JSON with snake_case keys and a
 *   schedule as `learning_rate`).
 *
 * Throws ArgumentError for an unknown name (listing the valid ones) or an unknown config key.
 * @example
 * const opt = getOptimizer({ className: 'Adam', config: { learningRate: 0.01, amsgrad: true } });
 */
export function getOptimizer(id: string | Optimizer | SerializedObject): Optimizer {
  if (id instanceof Optimizer) return id;
  const { name, config } = splitIdentifier('getOptimizer', id);
  const entry = registry.get(lookupKey(name));
  if (!entry) {
    const valid = [...new Set([...registry.values()].map((e) => e.className))];
    throw new ArgumentError(`getOptimizer: unknown optimizer '${name}'. Valid names: ${valid.join(', ')}`);
  }
  const options = normalizeConfig(`getOptimizer(${entry.className})`, config, entry.keys, KERAS_EXTRAS);
  const lr = options.learningRate;
  if (typeof lr === 'object' && lr !== null) options.learningRate = getSchedule(lr as SerializedObject);
  return entry.factory(options);
}

/**
 * `{ className, config }` for saving an optimizer's settings (not its state: see `getState`).
 * @example
 * serializeOptimizer(new SGD({ momentum: 0.9 })).config.momentum; // 0.9
 */
export function serializeOptimizer(optimizer: Optimizer): {
  className: string;
  config: Record<string, unknown>;
} {
  return { className: optimizer.className, config: optimizer.getConfig() };
}
