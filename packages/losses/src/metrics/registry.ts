/**
 * The metric registry: names as `compile({ metrics })` accepts them, and the Keras rule that turns 'accuracy'
 * into the accuracy that fits the loss and output.
 */
import { ArgumentError } from '@backprop/core-tensor';
import { lookupKey } from '../registry';
import type { Loss } from '../types';
import {
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  TopKCategoricalAccuracy,
} from './accuracy';
import type { Metric } from './metric';
import { MeanAbsoluteErrorMetric, MeanSquaredErrorMetric } from './regression';

/** What `getMetric` needs to know to resolve 'accuracy'. */
export interface MetricContext {
  /** The model's loss. */
  loss?: Loss;
  /** The model's output shape (the batch axis may be anything). */
  outputShape?: readonly number[];
}

/** What {@link serializeMetric} returns and `getMetric` rebuilds from. */
export interface SerializedMetric {
  className: string;
  config?: Record<string, unknown>;
}

/** A metric as `compile` accepts it. */
export type MetricIdentifier = string | Metric | SerializedMetric;

type Create = (config: Record<string, unknown>) => Metric;
const make =
  <C>(ctor: new (config: C) => Metric) =>
  (config: Record<string, unknown>): Metric =>
    new ctor(config as C);

interface Row {
  /** camelCase name, shown in error messages. */
  name: string;
  className: string;
  aliases: readonly string[];
  create: Create;
}

const ROWS: readonly Row[] = [
  { name: 'binaryAccuracy', className: 'BinaryAccuracy', aliases: [], create: make(BinaryAccuracy) },
  {
    name: 'categoricalAccuracy',
    className: 'CategoricalAccuracy',
    aliases: [],
    create: make(CategoricalAccuracy),
  },
  {
    name: 'sparseCategoricalAccuracy',
    className: 'SparseCategoricalAccuracy',
    aliases: [],
    create: make(SparseCategoricalAccuracy),
  },
  {
    name: 'topKCategoricalAccuracy',
    className: 'TopKCategoricalAccuracy',
    aliases: ['top_k_categorical_accuracy'],
    create: make(TopKCategoricalAccuracy),
  },
  {
    name: 'mse',
    className: 'MeanSquaredErrorMetric',
    aliases: ['meanSquaredError', 'MeanSquaredError'],
    create: make(MeanSquaredErrorMetric),
  },
  {
    name: 'mae',
    className: 'MeanAbsoluteErrorMetric',
    aliases: ['meanAbsoluteError', 'MeanAbsoluteError'],
    create: make(MeanAbsoluteErrorMetric),
  },
];

const BY_NAME = new Map<string, Row>();
for (const row of ROWS)
  for (const s of [row.name, row.className, ...row.aliases]) BY_NAME.set(lookupKey(s), row);
// Class names for deserialization; 'Accuracy' is the exact-equality class there, not the contextual string.
const BY_CLASS = new Map<string, Create>([
  ...ROWS.map((r) => [r.className, r.create] as const),
  ['Accuracy', make(Accuracy)],
]);

/** The names `getMetric` accepts, as listed in its error messages. */
export const METRIC_NAMES: readonly string[] = ['accuracy (acc)', ...ROWS.map((r) => r.name)];

/**
 * Keras' rule for 'accuracy': binary accuracy for binary cross-entropy or a last output dimension of 1, sparse
 * categorical for sparse cross-entropy, categorical otherwise. With `binaryCrossentropy({ fromLogits: true })`
 * the threshold becomes 0 (σ(x) > 0.5 ⇔ x > 0), which Keras leaves to the user.
 */
function resolveAccuracy(name: string, context: MetricContext): Metric {
  const loss = context.loss?.className;
  const lastDim = context.outputShape?.[context.outputShape.length - 1];
  if (loss === 'BinaryCrossentropy' || (loss !== 'SparseCategoricalCrossentropy' && lastDim === 1)) {
    const logits = context.loss?.getConfig().fromLogits === true;
    return new BinaryAccuracy({ name, threshold: logits ? 0 : 0.5 });
  }
  if (loss === 'SparseCategoricalCrossentropy') return new SparseCategoricalAccuracy({ name });
  return new CategoricalAccuracy({ name });
}

function isMetric(x: object): x is Metric {
  const m = x as Partial<Metric>;
  return typeof m.update === 'function' && typeof m.result === 'function' && typeof m.reset === 'function';
}

/**
 * Resolves what `compile({ metrics })` was given: a metric object (returned as is), a name (`'accuracy'`, `'acc'`,
 * `'binaryAccuracy'`, `'binary_accuracy'`, `'mse'`, …; the metric is logged under the name as given, like
 * Keras), or a `{ className, config }` from {@link serializeMetric}.
 * @throws ArgumentError for an unknown name, listing the valid ones.
 */
export function getMetric(id: MetricIdentifier, context: MetricContext = {}): Metric {
  if (typeof id === 'string') {
    const key = lookupKey(id);
    if (key === 'accuracy' || key === 'acc') return resolveAccuracy(id, context);
    const row = BY_NAME.get(key);
    if (!row) {
      throw new ArgumentError(
        `getMetric: unknown metric '${id}'. Valid names: ${METRIC_NAMES.join(', ')}; snake_case ` +
          `('binary_accuracy') and class names ('BinaryAccuracy') work too`,
      );
    }
    return row.create({ name: id });
  }
  if (typeof id === 'object' && id !== null) {
    if (isMetric(id)) return id;
    if (typeof id.className === 'string') {
      const create = BY_CLASS.get(id.className);
      if (!create) {
        throw new ArgumentError(
          `getMetric: unknown metric class '${id.className}'. Known classes: ${[...BY_CLASS.keys()].join(', ')}`,
        );
      }
      return create(id.config ?? {});
    }
  }
  throw new ArgumentError(
    `getMetric: expected a metric name, a Metric object or { className, config }, got ${JSON.stringify(id)}`,
  );
}

/** `{ className, config }` for a built-in metric: JSON that {@link getMetric} turns back into an equal metric. */
export function serializeMetric(metric: Metric & { readonly className?: string }): SerializedMetric {
  if (typeof metric.className !== 'string') {
    throw new ArgumentError(
      `serializeMetric: metric '${metric.name}' has no className and cannot be serialized`,
    );
  }
  return { className: metric.className, config: metric.getConfig() };
}
