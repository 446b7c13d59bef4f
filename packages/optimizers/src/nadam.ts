import type { OptimizerOptions, UpdateContext, UpdateResult } from './optimizer';
import { Optimizer } from './optimizer';
import { inRange, nonNegative } from './validate';

/** Options of {@link Nadam}. */
export interface NadamOptions extends OptimizerOptions {
  /** Step size (default 0.001; PyTorch's is 0.002). */
  learningRate?: OptimizerOptions['learningRate'];
  /** Decay of the first moment (default 0.9). */
  beta1?: number;
  /** Decay of the second moment (default 0.999). */
  beta2?: number;
  /** Added to √v̂ (default 1e-7; PyTorch's is 1e-8). */
  epsilon?: number;
}

type Slot = 'momentum' | 'velocity';

/** Dozat's momentum schedule: μₜ = β₁(1 − ½·0.96ᵗ). */
const mu = (beta1: number, t: number): number => beta1 * (1 - 0.5 * 0.96 ** t);

/**
 * Nadam (Dozat, 2016): Adam with Nesterov momentum, as Keras 3 writes it. With t = iterations + 1,
 * μₜ = β₁(1 − ½·0.96ᵗ) and Πₜ = μ₁·…·μₜ:
 * `m ← m + (g − m)(1 − β₁)`, `v ← v + (g² − v)(1 − β₂)`,
 * `m̂ = μₜ₊₁·m / (1 − Πₜ·μₜ₊₁) + (1 − μₜ)·g / (1 − Πₜ)`, `v̂ = v / (1 − β₂ᵗ)`, `w ← w − lr·m̂ / (√v̂ + ε)`.
 *
 * Πₜ is one number shared by all variables; it is a function of t alone, so it is recomputed from `iterations`
 * (in float64) rather than stored, and a restored state continues bit-identically.
 */
export class Nadam extends Optimizer {
  readonly className = 'Nadam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  protected readonly slotNames = ['momentum', 'velocity'] as const;
  #product = 1;
  #productStep = 0;

  constructor(options: NadamOptions = {}) {
    super(options, 0.001);
    this.beta1 = inRange('Nadam', 'beta1', options.beta1 ?? 0.9, 0, 1);
    this.beta2 = inRange('Nadam', 'beta2', options.beta2 ?? 0.999, 0, 1);
    this.epsilon = nonNegative('Nadam', 'epsilon', options.epsilon ?? 1e-7);
  }

  /** Πₜ, extended by one factor per step; rebuilt from scratch after `setState` jumps to another t. */
  protected override beginStep(step: number): void {
    if (this.#productStep !== step - 1) {
      this.#product = 1;
      this.#productStep = 0;
    }
    while (this.#productStep < step) this.#product *= mu(this.beta1, ++this.#productStep);
  }

  protected override update(ctx: UpdateContext<Slot>): UpdateResult<Slot> {
    const { gradient: g, variable: w, learningRate: lr, step: t, slots } = ctx;
    const uT = mu(this.beta1, t);
    const uNext = mu(this.beta1, t + 1);
    const product = this.#product;
    const productNext = product * uNext;
    const m = slots.momentum.add(g.sub(slots.momentum).mul(1 - this.beta1));
    const v = slots.velocity.add(
      g
        .square()
        .sub(slots.velocity)
        .mul(1 - this.beta2),
    );
    const mHat = m.mul(uNext / (1 - productNext)).add(g.mul((1 - uT) / (1 - product)));
    const vHat = v.div(1 - this.beta2 ** t);
    const value = w.sub(mHat.mul(lr).div(vHat.sqrt().add(this.epsilon)));
    return { value, slots: { momentum: m, velocity: v } };
  }

  protected optimizerConfig(): Record<string, unknown> {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
