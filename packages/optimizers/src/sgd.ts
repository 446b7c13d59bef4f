import type { Tensor } from '@backprop/core-tensor';
import { fused } from '@backprop/core-tensor';
import type { OptimizerOptions, UpdateContext, UpdateResult } from './optimizer';
import { Optimizer } from './optimizer';
import { flag, inRange } from './validate';

/** Options of {@link SGD}. */
export interface SGDOptions extends OptimizerOptions {
  /** Step size (default 0.01). */
  learningRate?: OptimizerOptions['learningRate'];
  /** Fraction of the previous velocity kept at each step, in [0, 1] (default 0: plain gradient descent). */
  momentum?: number;
  /** Nesterov momentum: evaluate the step as if the velocity had already been applied (default false). */
  nesterov?: boolean;
}

/**
 * Stochastic gradient descent, with optional (Nesterov) momentum, exactly as Keras 3 writes it:
 * - no momentum: `w ← w − lr·g`;
 * - momentum: `v ← momentum·v − lr·g`, then `w ← w + v`, or with Nesterov `w ← w + momentum·v − lr·g`.
 *
 * The velocity holds lr·g (PyTorch's holds g and multiplies by lr afterwards): identical for a constant rate,
 * different when the rate changes. Momentum averages successive gradients, so zig-zags across a narrow valley
 * cancel while the consistent downhill component accumulates (up to 1/(1 − momentum) times).
 * @example
 * const opt = new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true });
 */
export class SGD extends Optimizer {
  readonly className = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;
  protected readonly slotNames: readonly string[];

  constructor(options: SGDOptions = {}) {
    super(options, 0.01);
    this.momentum = inRange('SGD', 'momentum', options.momentum ?? 0, 0, 1, true);
    this.nesterov = flag('SGD', 'nesterov', options.nesterov ?? false);
    this.slotNames = this.momentum === 0 ? [] : ['momentum'];
  }

  protected override update(ctx: UpdateContext<'momentum'>): UpdateResult<'momentum'> {
    const { gradient: g, variable: w, learningRate: lr } = ctx;
    // One fused op (core-tensor's fused.sgdUpdate holds the composed formulas): one kernel pass where a backend has it.
    const [value, v] = fused.sgdUpdate(w, g, this.momentum === 0 ? null : ctx.slots.momentum, {
      learningRate: lr,
      momentum: this.momentum,
      nesterov: this.nesterov,
    });
    if (!v) return { value, slots: {} as Record<'momentum', Tensor> };
    return { value, slots: { momentum: v } };
  }

  protected optimizerConfig(): Record<string, unknown> {
    return { momentum: this.momentum, nesterov: this.nesterov };
  }
}
