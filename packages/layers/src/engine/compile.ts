import type { Loss, Metric } from '@backprop/losses';
import { getLoss, getMetric } from '@backprop/losses';
import type { Optimizer } from '@backprop/optimizers';
import { getOptimizer } from '@backprop/optimizers';
import type { Tensor } from '@backprop/core-tensor';

export type OptimizerId = string | Optimizer;
export type LossId = string | Loss | ((yTrue: Tensor, yPred: Tensor) => Tensor);
export type MetricId = string | Metric;

/** What `compile` takes: Keras-style strings or instances. */
export interface CompileArgs {
  optimizer: OptimizerId;
  loss: LossId;
  metrics?: readonly MetricId[];
}

export interface Compiled {
  optimizer: Optimizer;
  loss: Loss;
  metricIds: readonly MetricId[];
  /** Resolved lazily: 'accuracy' depends on the loss and output shape, as in Keras. */
  metrics: Metric[] | undefined;
}

export function resolveCompile(args: CompileArgs): Compiled {
  return {
    optimizer: getOptimizer(args.optimizer),
    loss: getLoss(args.loss),
    metricIds: args.metrics ?? [],
    metrics: undefined,
  };
}

export function resolveMetrics(c: Compiled, outputShape: readonly number[]): Metric[] {
  c.metrics ??= c.metricIds.map((m) => getMetric(m, { loss: c.loss, outputShape }));
  return c.metrics;
}
