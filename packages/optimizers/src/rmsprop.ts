import type { Tensor } from '@backprop/core-tensor';
import type { OptimizerOptions, UpdateContext, UpdateResult } from './optimizer';
import { Optimizer } from './optimizer';
import { flag, inRange, nonNegative } from './validate';

/** Options of {@link RMSprop}. */
export interface RMSpropOptions extends OptimizerOptions {
  /** Step size (default 0.001). */
  learningRate?: OptimizerOptions['learningRate'];
  /** Decay of the running mean of squared gradients (default 0.9; PyTorch's `alpha`, default 0.99 there). */
  rho?: number;
  /** Momentum on the scaled step (default 0). */
  momentum?: number;
  /** Added inside the square root (default 1e-7). */
  epsilon?: number;
  /** Divide by the running variance (E[g²] − E[g]²) instead of the running E[g²] (default false). */
  centered?: boolean;
}

type Slot = 'velocity' | 'momentum' | 'averageGradient';

/**
 * RMSprop (Hinton, 2012), as Keras 3 writes it:
 * `v ← rho·v + (1 − rho)·g²`; centered: `a ← rho·a + (1 − rho)·g` and `d = v − a² + ε`, else `d = v + ε`;
 * `step = lr·g / √d`; with momentum `m ← momentum·m + step`, `w ← w − m`, else `w ← w − step`.
 *
 * Dividing by the root mean square of recent gradients gives every parameter its own step size: parameters
 * with consistently large gradients take smaller steps, rarely-updated ones larger, so one learning rate fits
 * weights whose gradients differ by orders of magnitude.
 */
export class RMSprop extends Optimizer {
  readonly className = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;
  protected readonly slotNames: readonly Slot[];

  constructor(options: RMSpropOptions = {}) {
    super(options, 0.001);
    this.rho = inRange('RMSprop', 'rho', options.rho ?? 0.9, 0, 1);
    this.momentum = inRange('RMSprop', 'momentum', options.momentum ?? 0, 0, 1, true);
    this.epsilon = nonNegative('RMSprop', 'epsilon', options.epsilon ?? 1e-7);
    this.centered = flag('RMSprop', 'centered', options.centered ?? false);
    const slots: Slot[] = ['velocity'];
    if (this.momentum > 0) slots.push('momentum');
    if (this.centered) slots.push('averageGradient');
    this.slotNames = slots;
  }

  protected override update(ctx: UpdateContext<Slot>): UpdateResult<Slot> {
    const { gradient: g, variable: w, learningRate: lr, slots } = ctx;
    const rho = this.rho;
    const out: Partial<Record<Slot, Tensor>> = {};
    const velocity = slots.velocity.mul(rho).add(g.square().mul(1 - rho));
    out.velocity = velocity;
    let denominator: Tensor;
    if (this.centered) {
      const average = slots.averageGradient.mul(rho).add(g.mul(1 - rho));
      out.averageGradient = average;
      denominator = velocity.sub(average.square()).add(this.epsilon);
    } else {
      denominator = velocity.add(this.epsilon);
    }
    const increment = g.mul(lr).div(denominator.sqrt());
    if (this.momentum > 0) {
      const momentum = slots.momentum.mul(this.momentum).add(increment);
      out.momentum = momentum;
      return { value: w.sub(momentum), slots: out as Record<Slot, Tensor> };
    }
    return { value: w.sub(increment), slots: out as Record<Slot, Tensor> };
  }

  protected optimizerConfig(): Record<string, unknown> {
    return { rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}
