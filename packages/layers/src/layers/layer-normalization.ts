import type { Tensor } from '@backprop/core-tensor';
import { ArgumentError, add, mean, mul, reshape, rsqrt, sub, variance } from '@backprop/core-tensor';
import type { Variable } from '@backprop/autograd';
import { getInitializer, serializeInitializer } from '@backprop/init';
import type { SymbolicShape } from '../engine/shape';
import type { InitializerId, LayerArgs } from '../layer';
import { Layer } from '../layer';
import type { Regularizer, RegularizerId } from '../regularizers';
import { getRegularizer, serializeRegularizer } from '../regularizers';
import { registerLayer } from '../registry';
import { assertRank, resolveAxis, who } from './utils';

/** Options of {@link LayerNormalization} (Keras 3 names and defaults). */
export interface LayerNormalizationArgs extends LayerArgs {
  /** The axis or axes normalized over, per sample (default −1). */
  axis?: number | readonly number[];
  /** Added to the variance before the square root (default 1e-3). */
  epsilon?: number;
  /** Learn an offset beta (default true). */
  center?: boolean;
  /** Learn a scale gamma (default true). */
  scale?: boolean;
  betaInitializer?: InitializerId;
  gammaInitializer?: InitializerId;
  betaRegularizer?: RegularizerId | null;
  gammaRegularizer?: RegularizerId | null;
}

/**
 * Normalizes each sample over `axis` to zero mean and unit variance, then scales by gamma and shifts by beta
 * (one per element of the normalized axes). Unlike BatchNormalization, no batch statistics: training and
 * inference compute the same thing.
 */
export class LayerNormalization extends Layer {
  readonly className = 'LayerNormalization';
  readonly axis: number | readonly number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: InitializerId;
  readonly gammaInitializer: InitializerId;
  readonly betaRegularizer: Regularizer | undefined;
  readonly gammaRegularizer: Regularizer | undefined;
  gamma: Variable | undefined;
  beta: Variable | undefined;
  #axes: number[] = [];
  #broadcastShape: number[] = [];

  constructor(args: LayerNormalizationArgs = {}) {
    super(args);
    const axis = args.axis ?? -1;
    const list = typeof axis === 'number' ? [axis] : [...axis];
    if (list.length === 0 || list.some((a) => !Number.isInteger(a))) {
      throw new ArgumentError(
        `LayerNormalization: axis must be an integer or a non-empty list of them, got ${JSON.stringify(axis)}`,
      );
    }
    this.axis = typeof axis === 'number' ? axis : list;
    this.epsilon = args.epsilon ?? 1e-3;
    if (!(this.epsilon > 0))
      throw new ArgumentError(`LayerNormalization: epsilon must be > 0, got ${this.epsilon}`);
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.betaInitializer = args.betaInitializer ?? 'zeros';
    this.gammaInitializer = args.gammaInitializer ?? 'ones';
    this.betaRegularizer = getRegularizer(args.betaRegularizer);
    this.gammaRegularizer = getRegularizer(args.gammaRegularizer);
  }

  override build(inputShape: SymbolicShape): void {
    assertRank(this, inputShape, { min: 2 }, '[batch, …, features]');
    const rank = inputShape.length;
    const list = typeof this.axis === 'number' ? [this.axis] : this.axis;
    // Sorted, so the [d1, d2, …] parameters reshape into the broadcast shape in axis order.
    const axes = [...new Set(list.map((a) => resolveAxis(this, a, rank)))].sort((a, b) => a - b);
    if (axes.includes(0) || axes.some((a) => inputShape[a] === null)) {
      throw new ArgumentError(
        `${who(this)}: axis ${JSON.stringify(this.axis)} must be known, non-batch dimensions of ${JSON.stringify(inputShape)}`,
      );
    }
    const paramShape = axes.map((a) => inputShape[a]!);
    if (this.scale)
      this.gamma = this.addWeight('gamma', paramShape, this.gammaInitializer, {
        regularizer: this.gammaRegularizer,
      });
    if (this.center)
      this.beta = this.addWeight('beta', paramShape, this.betaInitializer, {
        regularizer: this.betaRegularizer,
      });
    this.#axes = axes;
    this.#broadcastShape = inputShape.map((d, i) => (axes.includes(i) ? d! : 1));
    super.build(inputShape.map((d, i) => (axes.includes(i) ? d : null)));
  }

  call(x: Tensor): Tensor {
    const m = mean(x, this.#axes, true);
    const v = variance(x, this.#axes, true);
    let y = mul(sub(x, m), rsqrt(add(v, this.epsilon)));
    if (this.gamma) y = mul(y, reshape(this.gamma, this.#broadcastShape));
    if (this.beta) y = add(y, reshape(this.beta, this.#broadcastShape));
    return y;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: typeof this.axis === 'number' ? this.axis : [...this.axis],
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: serializeInitializer(getInitializer(this.betaInitializer)),
      gammaInitializer: serializeInitializer(getInitializer(this.gammaInitializer)),
      betaRegularizer: serializeRegularizer(this.betaRegularizer),
      gammaRegularizer: serializeRegularizer(this.gammaRegularizer),
    };
  }
}

registerLayer('LayerNormalization', LayerNormalization);
