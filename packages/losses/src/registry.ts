/**
 * The loss registry: one table row per loss, mapping every accepted spelling (camelCase function name,
 * snake_case Keras name, Keras alias, class name) to its class. Lookups ignore case and underscores, so
 * 'categoricalCrossentropy', 'categorical_crossentropy' and 'CategoricalCrossentropy' are one key.
 */
import type { Tensor } from '@backprop/core-tensor';
import { ArgumentError } from '@backprop/core-tensor';
import type { LossFn } from './classes';
import {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  CategoricalHinge,
  Huber,
  KLDivergence,
  LogCosh,
  LossFunctionWrapper,
  MeanAbsoluteError,
  MeanSquaredError,
  Poisson,
  SparseCategoricalCrossentropy,
  SquaredHinge,
  Hinge,
} from './classes';
import { binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy } from './crossentropy';
import { categoricalHinge, hinge, squaredHinge } from './hinge';
import { kullbackLeiblerDivergence, poisson } from './probabilistic';
import { huber, logCosh, meanAbsoluteError, meanSquaredError } from './regression';
import type { Loss } from './types';

/** A loss as `compile` accepts it: a name, a loss object, a function, or a serialized loss. */
export type LossIdentifier = string | Loss | LossFn | SerializedLoss;

/** What {@link serializeLoss} returns and `getLoss` rebuilds from. */
export interface SerializedLoss {
  className: string;
  config?: Record<string, unknown>;
}

interface Row {
  /** The camelCase function name, shown first in error messages. */
  name: string;
  className: string;
  /** Extra spellings beyond the function name, the Keras snake_case name and the class name. */
  aliases: readonly string[];
  create: (config: Record<string, unknown>) => Loss;
  fn: (yTrue: Tensor, yPred: Tensor) => Tensor;
}

// Configs come from JSON; each class validates what it reads (reduction, ranges) when constructed.
const make =
  <C>(ctor: new (config: C) => Loss) =>
  (config: Record<string, unknown>): Loss =>
    new ctor(config as C);

const ROWS: readonly Row[] = [
  {
    name: 'meanSquaredError',
    className: 'MeanSquaredError',
    aliases: ['mse'],
    create: make(MeanSquaredError),
    fn: meanSquaredError,
  },
  {
    name: 'meanAbsoluteError',
    className: 'MeanAbsoluteError',
    aliases: ['mae'],
    create: make(MeanAbsoluteError),
    fn: meanAbsoluteError,
  },
  { name: 'huber', className: 'Huber', aliases: ['huber_loss'], create: make(Huber), fn: huber },
  { name: 'logCosh', className: 'LogCosh', aliases: ['logcosh'], create: make(LogCosh), fn: logCosh },
  {
    name: 'binaryCrossentropy',
    className: 'BinaryCrossentropy',
    aliases: [],
    create: make(BinaryCrossentropy),
    fn: binaryCrossentropy,
  },
  {
    name: 'categoricalCrossentropy',
    className: 'CategoricalCrossentropy',
    aliases: [],
    create: make(CategoricalCrossentropy),
    fn: categoricalCrossentropy,
  },
  {
    name: 'sparseCategoricalCrossentropy',
    className: 'SparseCategoricalCrossentropy',
    aliases: [],
    create: make(SparseCategoricalCrossentropy),
    fn: sparseCategoricalCrossentropy,
  },
  { name: 'hinge', className: 'Hinge', aliases: [], create: make(Hinge), fn: hinge },
  {
    name: 'squaredHinge',
    className: 'SquaredHinge',
    aliases: [],
    create: make(SquaredHinge),
    fn: squaredHinge,
  },
  {
    name: 'categoricalHinge',
    className: 'CategoricalHinge',
    aliases: [],
    create: make(CategoricalHinge),
    fn: categoricalHinge,
  },
  {
    name: 'kullbackLeiblerDivergence',
    className: 'KLDivergence',
    aliases: ['kld', 'kl_divergence'],
    create: make(KLDivergence),
    fn: kullbackLeiblerDivergence,
  },
  { name: 'poisson', className: 'Poisson', aliases: [], create: make(Poisson), fn: poisson },
];

/** Case and underscores do not matter: 'Mean_Squared_Error' and 'meanSquaredError' are the same key. */
export function lookupKey(id: string): string {
  return id.toLowerCase().replace(/_/g, '');
}

const BY_KEY = new Map<string, Row>();
for (const row of ROWS) {
  for (const spelling of [row.name, row.className, ...row.aliases]) BY_KEY.set(lookupKey(spelling), row);
}
const BY_FN = new Map<unknown, Row>(ROWS.map((r) => [r.fn, r]));

/** The names `getLoss` accepts, as listed in its error messages. */
export const LOSS_NAMES: readonly string[] = ROWS.map((r) =>
  r.aliases.length > 0 ? `${r.name} (${r.aliases.join(', ')})` : r.name,
);

function unknown(what: string): ArgumentError {
  return new ArgumentError(
    `getLoss: unknown loss ${what}. Valid names: ${LOSS_NAMES.join(', ')}; snake_case ` +
      `('categorical_crossentropy') and class names ('CategoricalCrossentropy') work too`,
  );
}

function isLoss(x: object): x is Loss {
  const l = x as Partial<Loss>;
  return typeof l.call === 'function' && typeof l.getConfig === 'function' && typeof l.className === 'string';
}

/**
 * Resolves what `compile({ loss })` was given to a {@link Loss}: a name in any accepted spelling (`'mse'`,
 * `'categoricalCrossentropy'`, `'categorical_crossentropy'`, `'CategoricalCrossentropy'`), a loss object (returned
 * as is), a function `(yTrue, yPred) => perSampleLosses` (wrapped; our own loss functions map to their classes so
 * they stay serializable), or a `{ className, config }` from {@link serializeLoss}.
 * @throws ArgumentError for an unknown name, listing the valid ones.
 */
export function getLoss(id: LossIdentifier): Loss {
  if (typeof id === 'string') {
    const row = BY_KEY.get(lookupKey(id));
    if (!row) throw unknown(`'${id}'`);
    return row.create({});
  }
  if (typeof id === 'function') {
    const row = BY_FN.get(id);
    return row ? row.create({}) : new LossFunctionWrapper(id);
  }
  if (typeof id === 'object' && id !== null) {
    if (isLoss(id)) return id;
    if (typeof id.className === 'string') {
      if (id.className === 'LossFunctionWrapper') {
        const name = typeof id.config?.name === 'string' ? id.config.name : 'loss';
        throw new ArgumentError(
          `getLoss: '${name}' was a custom loss function; functions cannot be ` +
            `rebuilt from a config, pass the function itself again`,
        );
      }
      const row = BY_KEY.get(lookupKey(id.className));
      if (!row) throw unknown(`class '${id.className}'`);
      return row.create(id.config ?? {});
    }
  }
  throw new ArgumentError(
    `getLoss: expected a loss name, a Loss object, a function or { className, config }, got ${JSON.stringify(id)}`,
  );
}

/** `{ className, config }` for a loss object: JSON that {@link getLoss} turns back into an equal loss. */
export function serializeLoss(loss: Loss): SerializedLoss {
  return { className: loss.className, config: loss.getConfig() };
}
