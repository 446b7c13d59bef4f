import type { OptimizerOptions, UpdateContext, UpdateResult } from './optimizer';
import { Optimizer } from './optimizer';
import { inRange, nonNegative } from './validate';

/** Options of {@link Adadelta}. */
export interface AdadeltaOptions extends OptimizerOptions {
  /** Multiplies the computed step (default 0.001, Keras'; the paper and PyTorch use 1.0). */
  learningRate?: OptimizerOptions['learningRate'];
  /** Decay of both running averages (default 0.95; PyTorch's is 0.9). */
  rho?: number;
  /** Added inside both square roots (default 1e-7; PyTorch's is 1e-6). */
  epsilon?: number;
}

type Slot = 'accumulatedGrad' | 'accumulatedDeltaVar';

/**
 * Adadelta (Zeiler, 2012), as Keras 3 writes it:
 * `E[g²] ← ρ·E[g²] + (1 − ρ)·g²`, `Δ = −√(E[Δ²] + ε) · g / √(E[g²] + ε)`, `E[Δ²] ← ρ·E[Δ²] + (1 − ρ)·Δ²`,
 * `w ← w + lr·Δ`.
 *
 * The ratio of two running RMS values gives the step the units of the weights, so in principle no learning rate
 * is needed (lr = 1 in the paper). Keras' default lr of 0.001 makes it very slow: set `learningRate: 1` to get
 * the paper's method.
 */
export class Adadelta extends Optimizer {
  readonly className = 'Adadelta';
  readonly rho: number;
  readonly epsilon: number;
  protected readonly slotNames = ['accumulatedGrad', 'accumulatedDeltaVar'] as const;

  constructor(options: AdadeltaOptions = {}) {
    super(options, 0.001);
    this.rho = inRange('Adadelta', 'rho', options.rho ?? 0.95, 0, 1);
    this.epsilon = nonNegative('Adadelta', 'epsilon', options.epsilon ?? 1e-7);
  }

  protected override update(ctx: UpdateContext<Slot>): UpdateResult<Slot> {
    const { gradient: g, variable: w, learningRate: lr, slots } = ctx;
    const rho = this.rho;
    const accumulatedGrad = slots.accumulatedGrad.mul(rho).add(g.square().mul(1 - rho));
    const delta = slots.accumulatedDeltaVar
      .add(this.epsilon)
      .sqrt()
      .mul(g)
      .div(accumulatedGrad.add(this.epsilon).sqrt())
      .neg();
    const accumulatedDeltaVar = slots.accumulatedDeltaVar.mul(rho).add(delta.square().mul(1 - rho));
    return { value: w.add(delta.mul(lr)), slots: { accumulatedGrad, accumulatedDeltaVar } };
  }

  protected optimizerConfig(): Record<string, unknown> {
    return { rho: this.rho, epsilon: this.epsilon };
  }
}
