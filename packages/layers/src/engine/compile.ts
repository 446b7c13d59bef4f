import type { Loss, Metric } from '@backprop/losses';
import { getLoss, getMetric } from '@backprop/losses';
import type { Optimizer } from '@backprop/optimizers';
import { getOptimizer } from '@backprop/optimizers';
import type { Tensor } from '@backprop/core-tensor';
import { ArgumentError } from '@backprop/core-tensor';

/** An optimizer: a Keras name (`'adam'`, `'sgd'`, `'rmsprop'`, …) or an Optimizer instance. */
export type OptimizerId = string | Optimizer;
/** A loss: a Keras name (`'mse'`, `'sparseCategoricalCrossentropy'`, …), a Loss instance, or `(yTrue, yPred) => loss`. */
export type LossId = string | Loss | ((yTrue: Tensor, yPred: Tensor) => Tensor);
/** A metric: a Keras name (`'accuracy'`, `'mae'`, …) or a Metric instance. */
export type MetricId = string | Metric;

/** What `compile` takes: Keras-style strings or instances. */
export interface CompileArgs {
  optimizer: OptimizerId;
  loss: LossId;
  metrics?: readonly MetricId[];
}

/** What `compile` resolved its arguments to. */
export interface Compiled {
  optimizer: Optimizer;
  loss: Loss;
  metricIds: readonly MetricId[];
  /** Resolved lazily: 'accuracy' depends on the loss and output shape, as in Keras. */
  metrics: Metric[] | undefined;
}

/** Runs a registry lookup, prefixing its error (which lists the valid names) with `compile:`. */
function lookup<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ArgumentError) throw new ArgumentError(`compile: ${what}: ${e.message}`);
    throw e;
  }
}

export function resolveCompile(args: CompileArgs): Compiled {
  const optimizer = lookup('optimizer', () => getOptimizer(args.optimizer));
  const loss = lookup('loss', () => getLoss(args.loss));
  const metricIds = args.metrics ?? [];
  // Names are checked now, so a typo fails at compile rather than after the first epoch's data is loaded.
  for (const m of metricIds) lookup('metrics', () => getMetric(m, { loss }));
  return { optimizer, loss, metricIds, metrics: undefined };
}

export function resolveMetrics(c: Compiled, outputShape: readonly number[]): Metric[] {
  c.metrics ??= c.metricIds.map((m) => getMetric(m, { loss: c.loss, outputShape }));
  return c.metrics;
}
