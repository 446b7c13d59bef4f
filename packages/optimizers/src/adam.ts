import type { Tensor } from '@backprop/core-tensor';
import { fused } from '@backprop/core-tensor';
import type { OptimizerOptions, UpdateContext, UpdateResult } from './optimizer';
import { Optimizer } from './optimizer';
import { flag, inRange, nonNegative } from './validate';

/** Options of {@link Adam}. */
export interface AdamOptions extends OptimizerOptions {
  /** Step size (default 0.001). */
  learningRate?: OptimizerOptions['learningRate'];
  /** Decay of the first-moment (mean) estimate (default 0.9). */
  beta1?: number;
  /** Decay of the second-moment (uncentered variance) estimate (default 0.999). */
  beta2?: number;
  /** Added to √v̂ (default 1e-7; PyTorch uses 1e-8). */
  epsilon?: number;
  /** AMSGrad: divide by the running maximum of v, so the step size never grows back (default false). */
  amsgrad?: boolean;
}

type Slot = 'momentum' | 'velocity' | 'velocityHat';

/**
 * Adam (Kingma & Ba, 2015), as Keras 3 writes it. With t = iterations + 1:
 * `m ← m + (g − m)(1 − β₁)`, `v ← v + (g² − v)(1 − β₂)`, `α = lr·√(1 − β₂ᵗ) / (1 − β₁ᵗ)`,
 * `w ← w − α·m / (√v + ε)` (AMSGrad uses v̂ = max(v̂, v) in place of v).
 *
 * m is a running mean of gradients (momentum), v a running mean of their squares (RMSprop's scale); the bias
 * corrections in α undo their start at zero. ε is added to √v, not to √v̂ as in PyTorch's formula: the two agree
 * except where v is tiny.
 */
export class Adam extends Optimizer {
  readonly className: string = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;
  protected readonly slotNames: readonly Slot[];

  constructor(options: AdamOptions = {}) {
    super(options, 0.001);
    const owner = new.target.name;
    this.beta1 = inRange(owner, 'beta1', options.beta1 ?? 0.9, 0, 1);
    this.beta2 = inRange(owner, 'beta2', options.beta2 ?? 0.999, 0, 1);
    this.epsilon = nonNegative(owner, 'epsilon', options.epsilon ?? 1e-7);
    this.amsgrad = flag(owner, 'amsgrad', options.amsgrad ?? false);
    this.slotNames = this.amsgrad ? ['momentum', 'velocity', 'velocityHat'] : ['momentum', 'velocity'];
  }

  protected override update(ctx: UpdateContext<Slot>): UpdateResult<Slot> {
    const { gradient: g, variable: w, learningRate: lr, step: t, slots } = ctx;
    const alpha = (lr * Math.sqrt(1 - this.beta2 ** t)) / (1 - this.beta1 ** t);
    if (!this.amsgrad) {
      // One fused op (the amsgrad branch below composes the same formulas): one kernel pass where a backend has it.
      const [value, momentum, velocity] = fused.adamUpdate(w, g, slots.momentum, slots.velocity, {
        alpha,
        beta1: this.beta1,
        beta2: this.beta2,
        epsilon: this.epsilon,
      });
      return { value, slots: { momentum, velocity } as Record<Slot, Tensor> };
    }
    const m = slots.momentum.add(g.sub(slots.momentum).mul(1 - this.beta1));
    const v = slots.velocity.add(
      g
        .square()
        .sub(slots.velocity)
        .mul(1 - this.beta2),
    );
    const out: Partial<Record<Slot, Tensor>> = { momentum: m, velocity: v };
    let denominatorV = v;
    if (this.amsgrad) {
      denominatorV = slots.velocityHat.maximum(v);
      out.velocityHat = denominatorV;
    }
    const value = w.sub(m.mul(alpha).div(denominatorV.sqrt().add(this.epsilon)));
    return { value, slots: out as Record<Slot, Tensor> };
  }

  protected optimizerConfig(): Record<string, unknown> {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }
}
