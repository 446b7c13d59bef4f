/** Regression metrics: the loss functions of the same name, per sample, averaged over an epoch. */
import { meanAbsoluteError, meanSquaredError } from '../regression';
import type { MetricConfig } from './metric';
import { MeanMetricWrapper } from './metric';

/** Mean squared error averaged over an epoch; logged as `'mse'` by default. */
export class MeanSquaredErrorMetric extends MeanMetricWrapper {
  override readonly className = 'MeanSquaredErrorMetric';
  constructor(config: MetricConfig = {}) {
    super((t, p) => meanSquaredError(t, p, { reduction: 'none' }), { name: 'mse', ...config });
  }
}

/** Mean absolute error averaged over an epoch; logged as `'mae'` by default. */
export class MeanAbsoluteErrorMetric extends MeanMetricWrapper {
  override readonly className = 'MeanAbsoluteErrorMetric';
  constructor(config: MetricConfig = {}) {
    super((t, p) => meanAbsoluteError(t, p, { reduction: 'none' }), { name: 'mae', ...config });
  }
}
