import type { Tensor } from '@backprop/core-tensor';
import { full } from '@backprop/core-tensor';
import type { Variable } from '@backprop/autograd';
import type { OptimizerOptions, UpdateContext, UpdateResult } from './optimizer';
import { Optimizer } from './optimizer';
import { nonNegative } from './validate';

/** Options of {@link Adagrad}. */
export interface AdagradOptions extends OptimizerOptions {
  /** Step size (default 0.001; PyTorch's is 0.01). */
  learningRate?: OptimizerOptions['learningRate'];
  /** Starting value of the sum of squared gradients (default 0.1; PyTorch's is 0). */
  initialAccumulatorValue?: number;
  /** Added inside the square root (default 1e-7; PyTorch adds 1e-10 outside it). */
  epsilon?: number;
}

/**
 * Adagrad (Duchi et al., 2011), as Keras 3 writes it: `s ← s + g²`, `w ← w − lr·g / √(s + ε)`.
 *
 * The accumulated squares only grow, so every parameter's step shrinks as it keeps receiving gradient: good for
 * sparse features (rare ones keep large steps), but on long runs the steps can become too small to learn.
 */
export class Adagrad extends Optimizer {
  readonly className = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;
  protected readonly slotNames = ['accumulator'] as const;

  constructor(options: AdagradOptions = {}) {
    super(options, 0.001);
    this.initialAccumulatorValue = nonNegative(
      'Adagrad',
      'initialAccumulatorValue',
      options.initialAccumulatorValue ?? 0.1,
    );
    this.epsilon = nonNegative('Adagrad', 'epsilon', options.epsilon ?? 1e-7);
  }

  protected override initialSlot(_name: string, variable: Variable): Tensor {
    return full(variable.shape, this.initialAccumulatorValue, variable.dtype);
  }

  protected override update(ctx: UpdateContext<'accumulator'>): UpdateResult<'accumulator'> {
    const { gradient: g, variable: w, learningRate: lr } = ctx;
    const accumulator = ctx.slots.accumulator.add(g.square());
    const value = w.sub(g.mul(lr).div(accumulator.add(this.epsilon).sqrt()));
    return { value, slots: { accumulator } };
  }

  protected optimizerConfig(): Record<string, unknown> {
    return { initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}
