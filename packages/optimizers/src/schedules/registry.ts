import { ArgumentError } from '@backprop/core-tensor';
import type { SerializedObject } from '../config';
import { lookupKey, normalizeConfig, splitIdentifier } from '../config';
import type { CosineDecayOptions, CosineDecayRestartsOptions } from './cosine';
import { CosineDecay, CosineDecayRestarts } from './cosine';
import type {
  ExponentialDecayOptions,
  InverseTimeDecayOptions,
  PiecewiseConstantOptions,
  PolynomialDecayOptions,
} from './decay';
import { ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay, PolynomialDecay } from './decay';
import type { LearningRateSchedule } from './schedule';
import { isSchedule } from './schedule';
import type { LinearWarmupOptions } from './warmup';
import { LinearWarmup } from './warmup';

type Factory = (config: Record<string, unknown>) => LearningRateSchedule;

// Configs come from JSON; the casts promise only the object shape, and each constructor checks every value.
const TABLE: [className: string, keys: string[], factory: Factory][] = [
  [
    'ExponentialDecay',
    ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase'],
    (c) => new ExponentialDecay(c as unknown as ExponentialDecayOptions),
  ],
  [
    'InverseTimeDecay',
    ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase'],
    (c) => new InverseTimeDecay(c as unknown as InverseTimeDecayOptions),
  ],
  [
    'PiecewiseConstantDecay',
    ['boundaries', 'values'],
    (c) => new PiecewiseConstantDecay(c as unknown as PiecewiseConstantOptions),
  ],
  [
    'PolynomialDecay',
    ['initialLearningRate', 'decaySteps', 'endLearningRate', 'power', 'cycle'],
    (c) => new PolynomialDecay(c as unknown as PolynomialDecayOptions),
  ],
  [
    'CosineDecay',
    ['initialLearningRate', 'decaySteps', 'alpha', 'warmupTarget', 'warmupSteps'],
    (c) => new CosineDecay(c as unknown as CosineDecayOptions),
  ],
  [
    'CosineDecayRestarts',
    ['initialLearningRate', 'firstDecaySteps', 'tMul', 'mMul', 'alpha'],
    (c) => new CosineDecayRestarts(c as unknown as CosineDecayRestartsOptions),
  ],
  [
    'LinearWarmup',
    ['warmupSteps', 'initialLearningRate', 'after'],
    (c) => {
      const after = c.after;
      // A nested schedule is saved as { className, config }; a plain number stays a number.
      const resolved =
        typeof after === 'object' && after !== null ? getSchedule(after as SerializedObject) : after;
      return new LinearWarmup({ ...c, after: resolved } as unknown as LinearWarmupOptions);
    },
  ],
];

const ALIASES: Record<string, string> = { PiecewiseConstant: 'PiecewiseConstantDecay' };

const registry = new Map<string, { className: string; keys: string[]; factory: Factory }>();
for (const [className, keys, factory] of TABLE)
  registry.set(lookupKey(className), { className, keys, factory });
for (const [alias, target] of Object.entries(ALIASES))
  registry.set(lookupKey(alias), registry.get(lookupKey(target))!);

/**
 * The schedule an identifier names: a schedule (returned as is) or a saved `{ className, config }` (Keras class
 * names, camelCase or Keras snake_case config keys). Throws ArgumentError for an unknown class, listing the valid
 * ones.
 * @example
 * getSchedule({ className: 'ExponentialDecay', config: { initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.9 } });
 */
export function getSchedule(id: LearningRateSchedule | SerializedObject): LearningRateSchedule {
  if (isSchedule(id)) return id;
  const { name, config } = splitIdentifier('getSchedule', id);
  const entry = registry.get(lookupKey(name));
  if (!entry) {
    throw new ArgumentError(
      `getSchedule: unknown learning-rate schedule '${name}'. Valid names: ${TABLE.map((t) => t[0]).join(', ')}`,
    );
  }
  return entry.factory(
    normalizeConfig(`getSchedule(${entry.className})`, config, entry.keys, { name: () => true }),
  );
}

/** `{ className, config }` for saving a schedule; `getSchedule` rebuilds it. */
export function serializeSchedule(schedule: LearningRateSchedule): {
  className: string;
  config: Record<string, unknown>;
} {
  return { className: schedule.className, config: schedule.getConfig() };
}
