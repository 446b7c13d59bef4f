import type { Tensor } from '@backprop/core-tensor';
import { ArgumentError, Generator, cast, div, greaterEqual, mul, randomUniform } from '@backprop/core-tensor';
import type { SymbolicShape } from '../engine/shape';
import type { CallOptions, LayerArgs } from '../layer';
import { Layer } from '../layer';
import { registerLayer } from '../registry';
import { assertRank, who } from './utils';

/** Options of {@link Dropout}. */
export interface DropoutArgs extends LayerArgs {
  /** Fraction of the input units to drop, in [0, 1). */
  rate: number;
  /** Seeds the layer's own generator, so masks repeat run to run; without it the global generator (`setSeed`). */
  seed?: number | null;
  /**
   * Shape of the mask, broadcast against the input (same rank; null takes the input's size). `[null, 1, 1, null]`
   * on NHWC drops whole channels.
   */
  noiseShape?: readonly (number | null)[] | null;
}

/**
 * Inverted dropout: while training, zeroes each unit with probability `rate` and scales the kept ones by
 * 1/(1 − rate), so the expected activation is unchanged and inference is the identity (no rescaling needed).
 */
export class Dropout extends Layer {
  readonly className = 'Dropout';
  readonly rate: number;
  readonly seed: number | null;
  readonly noiseShape: readonly (number | null)[] | null;
  // Owned by the layer so two seeded layers draw independent, repeatable masks.
  readonly #generator: Generator | undefined;

  constructor(args: DropoutArgs) {
    super(args);
    if (typeof args.rate !== 'number' || !(args.rate >= 0 && args.rate < 1)) {
      throw new ArgumentError(`Dropout: rate must be in [0, 1), got ${String(args.rate)}`);
    }
    this.rate = args.rate;
    this.seed = args.seed ?? null;
    this.noiseShape = args.noiseShape ? [...args.noiseShape] : null;
    this.#generator = this.seed === null ? undefined : new Generator(this.seed);
  }

  override build(inputShape: SymbolicShape): void {
    assertRank(this, inputShape, { min: 1 }, '[batch, …]');
    if (this.noiseShape && this.noiseShape.length !== inputShape.length) {
      throw new ArgumentError(
        `${who(this)}: noiseShape ${JSON.stringify(this.noiseShape)} must have the input's rank ${inputShape.length}`,
      );
    }
    super.build(inputShape);
  }

  call(x: Tensor, { training = false }: CallOptions): Tensor {
    if (!training || this.rate === 0) return x;
    const shape = this.noiseShape ? this.noiseShape.map((d, i) => d ?? x.shape[i]!) : x.shape;
    const u = randomUniform(shape, this.#generator ? { generator: this.#generator } : {});
    // The mask is a constant (no gradient flows into the random draw); dy passes through scaled by mask/(1−rate).
    const mask = div(cast(greaterEqual(u, this.rate), x.dtype), 1 - this.rate);
    return mul(x, mask);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed, noiseShape: this.noiseShape };
  }
}

registerLayer('Dropout', Dropout);
