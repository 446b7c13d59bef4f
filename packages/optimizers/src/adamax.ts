import type { OptimizerOptions, UpdateContext, UpdateResult } from './optimizer';
import { Optimizer } from './optimizer';
import { inRange, nonNegative } from './validate';

/** Options of {@link Adamax}. */
export interface AdamaxOptions extends OptimizerOptions {
  /** Step size (default 0.001; PyTorch's is 0.002). */
  learningRate?: OptimizerOptions['learningRate'];
  /** Decay of the first moment (default 0.9). */
  beta1?: number;
  /** Decay of the infinity norm (default 0.999). */
  beta2?: number;
  /** Added to u (default 1e-7; PyTorch adds 1e-8 inside the max instead). */
  epsilon?: number;
}

type Slot = 'momentum' | 'norm';

/**
 * Adamax (Kingma & Ba, 2015, section 7), Adam with the infinity norm, as Keras 3 writes it. With t = iterations + 1:
 * `m ← m + (g − m)(1 − β₁)`, `u ← max(β₂·u, |g|)`, `w ← w − lr·m / ((1 − β₁ᵗ)(u + ε))`.
 *
 * u needs no bias correction (a max does not start biased toward zero the way an average does) and is less
 * sensitive to a single huge gradient than Adam's v.
 */
export class Adamax extends Optimizer {
  readonly className = 'Adamax';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  protected readonly slotNames = ['momentum', 'norm'] as const;

  constructor(options: AdamaxOptions = {}) {
    super(options, 0.001);
    this.beta1 = inRange('Adamax', 'beta1', options.beta1 ?? 0.9, 0, 1);
    this.beta2 = inRange('Adamax', 'beta2', options.beta2 ?? 0.999, 0, 1);
    this.epsilon = nonNegative('Adamax', 'epsilon', options.epsilon ?? 1e-7);
  }

  protected override update(ctx: UpdateContext<Slot>): UpdateResult<Slot> {
    const { gradient: g, variable: w, learningRate: lr, step: t, slots } = ctx;
    const momentum = slots.momentum.add(g.sub(slots.momentum).mul(1 - this.beta1));
    const norm = slots.norm.mul(this.beta2).maximum(g.abs());
    const value = w.sub(momentum.mul(lr).div(norm.add(this.epsilon).mul(1 - this.beta1 ** t)));
    return { value, slots: { momentum, norm } };
  }

  protected optimizerConfig(): Record<string, unknown> {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
