import type { Tensor } from '@backprop/core-tensor';
import { ArgumentError, add, cast, mean, mul, reshape, rsqrt, sub, variance } from '@backprop/core-tensor';
import type { Variable } from '@backprop/autograd';
import { noGrad } from '@backprop/autograd';
import { getInitializer, serializeInitializer } from '@backprop/init';
import type { SymbolicShape } from '../engine/shape';
import type { CallOptions, InitializerId, LayerArgs } from '../layer';
import { Layer } from '../layer';
import type { Regularizer, RegularizerId } from '../regularizers';
import { getRegularizer, serializeRegularizer } from '../regularizers';
import { registerLayer } from '../registry';
import { assertRank, resolveAxis, who } from './utils';

/** Options of {@link BatchNormalization} (Keras 3 names and defaults). */
export interface BatchNormalizationArgs extends LayerArgs {
  /** The feature axis (default −1: channels last); statistics are taken over every other axis. */
  axis?: number;
  /** Weight of the old value in the moving averages (default 0.99). */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-3). */
  epsilon?: number;
  /** Learn an offset beta (default true). */
  center?: boolean;
  /** Learn a scale gamma (default true). */
  scale?: boolean;
  betaInitializer?: InitializerId;
  gammaInitializer?: InitializerId;
  movingMeanInitializer?: InitializerId;
  movingVarianceInitializer?: InitializerId;
  betaRegularizer?: RegularizerId | null;
  gammaRegularizer?: RegularizerId | null;
}

/**
 * Normalizes each feature to zero mean and unit variance, then scales by gamma and shifts by beta.
 * Training (and trainable): uses the batch's statistics and updates moving averages
 * `moving = moving·momentum + batch·(1 − momentum)` (biased batch variance, as Keras). Inference, or a frozen
 * layer (Keras 3's fine-tuning rule): uses the moving averages.
 */
export class BatchNormalization extends Layer {
  readonly className = 'BatchNormalization';
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: InitializerId;
  readonly gammaInitializer: InitializerId;
  readonly movingMeanInitializer: InitializerId;
  readonly movingVarianceInitializer: InitializerId;
  readonly betaRegularizer: Regularizer | undefined;
  readonly gammaRegularizer: Regularizer | undefined;
  gamma: Variable | undefined;
  beta: Variable | undefined;
  movingMean: Variable | undefined;
  movingVariance: Variable | undefined;
  /** Axes the statistics reduce over, and the rank-preserving shape the [features] vectors broadcast as. */
  #reduceAxes: number[] = [];
  #broadcastShape: number[] = [];

  constructor(args: BatchNormalizationArgs = {}) {
    super(args);
    this.axis = args.axis ?? -1;
    if (!Number.isInteger(this.axis))
      throw new ArgumentError(`BatchNormalization: axis must be an integer, got ${this.axis}`);
    this.momentum = args.momentum ?? 0.99;
    this.epsilon = args.epsilon ?? 1e-3;
    if (!(this.momentum >= 0 && this.momentum <= 1)) {
      throw new ArgumentError(`BatchNormalization: momentum must be in [0, 1], got ${this.momentum}`);
    }
    if (!(this.epsilon > 0))
      throw new ArgumentError(`BatchNormalization: epsilon must be > 0, got ${this.epsilon}`);
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.betaInitializer = args.betaInitializer ?? 'zeros';
    this.gammaInitializer = args.gammaInitializer ?? 'ones';
    this.movingMeanInitializer = args.movingMeanInitializer ?? 'zeros';
    this.movingVarianceInitializer = args.movingVarianceInitializer ?? 'ones';
    this.betaRegularizer = getRegularizer(args.betaRegularizer);
    this.gammaRegularizer = getRegularizer(args.gammaRegularizer);
  }

  override build(inputShape: SymbolicShape): void {
    assertRank(this, inputShape, { min: 2 }, '[batch, …, features]');
    const rank = inputShape.length;
    const ax = resolveAxis(this, this.axis, rank);
    const dim = inputShape[ax];
    if (ax === 0 || typeof dim !== 'number') {
      throw new ArgumentError(
        `${who(this)}: axis ${this.axis} must be a known, non-batch dimension of ${JSON.stringify(inputShape)}`,
      );
    }
    if (this.scale)
      this.gamma = this.addWeight('gamma', [dim], this.gammaInitializer, {
        regularizer: this.gammaRegularizer,
      });
    if (this.center)
      this.beta = this.addWeight('beta', [dim], this.betaInitializer, { regularizer: this.betaRegularizer });
    this.movingMean = this.addWeight('moving_mean', [dim], this.movingMeanInitializer, { trainable: false });
    this.movingVariance = this.addWeight('moving_variance', [dim], this.movingVarianceInitializer, {
      trainable: false,
    });
    this.#reduceAxes = inputShape.map((_, i) => i).filter((i) => i !== ax);
    this.#broadcastShape = inputShape.map((_, i) => (i === ax ? dim : 1));
    super.build(inputShape.map((d, i) => (i === ax ? d : null)));
  }

  call(x: Tensor, { training = false }: CallOptions): Tensor {
    const mm = this.movingMean!;
    const mv = this.movingVariance!;
    if (!(training && this.trainable)) {
      return this.normalize(x, reshape(mm, this.#broadcastShape), reshape(mv, this.#broadcastShape));
    }
    const m = mean(x, this.#reduceAxes, true);
    const v = variance(x, this.#reduceAxes, true);
    // The moving averages are bookkeeping, not part of the loss: updated outside the graph.
    noGrad(() => {
      const r = this.momentum;
      const batchMean = cast(reshape(m, mm.shape), mm.dtype);
      const batchVar = cast(reshape(v, mv.shape), mv.dtype);
      mm.assign(add(mul(mm, r), mul(batchMean, 1 - r)));
      mv.assign(add(mul(mv, r), mul(batchVar, 1 - r)));
    });
    return this.normalize(x, m, v);
  }

  private normalize(x: Tensor, m: Tensor, v: Tensor): Tensor {
    let y = mul(sub(x, m), rsqrt(add(v, this.epsilon)));
    if (this.gamma) y = mul(y, reshape(this.gamma, this.#broadcastShape));
    if (this.beta) y = add(y, reshape(this.beta, this.#broadcastShape));
    return y;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: serializeInitializer(getInitializer(this.betaInitializer)),
      gammaInitializer: serializeInitializer(getInitializer(this.gammaInitializer)),
      movingMeanInitializer: serializeInitializer(getInitializer(this.movingMeanInitializer)),
      movingVarianceInitializer: serializeInitializer(getInitializer(this.movingVarianceInitializer)),
      betaRegularizer: serializeRegularizer(this.betaRegularizer),
      gammaRegularizer: serializeRegularizer(this.gammaRegularizer),
    };
  }
}

registerLayer('BatchNormalization', BatchNormalization);
