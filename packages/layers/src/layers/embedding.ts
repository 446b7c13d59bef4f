import type { Tensor } from '@backprop/core-tensor';
import { ArgumentError, DTypeError, gather, tensor } from '@backprop/core-tensor';
import type { Variable } from '@backprop/autograd';
import { getInitializer, serializeInitializer } from '@backprop/init';
import type { SymbolicShape } from '../engine/shape';
import type { InitializerId, LayerArgs } from '../layer';
import { Layer } from '../layer';
import type { Regularizer, RegularizerId } from '../regularizers';
import { getRegularizer, serializeRegularizer } from '../regularizers';
import { registerLayer } from '../registry';
import { assertRank, who } from './utils';

/** Options of {@link Embedding} (Keras names and defaults). */
export interface EmbeddingArgs extends LayerArgs {
  /** Vocabulary size: indices must lie in [0, inputDim). */
  inputDim: number;
  /** Length of each embedding vector. */
  outputDim: number;
  /** Default: uniform in [−0.05, 0.05), Keras' `'uniform'`. */
  embeddingsInitializer?: InitializerId;
  embeddingsRegularizer?: RegularizerId | null;
  /** Fixed sequence length of [batch, length] inputs (Keras 2's `input_length`); checked when given. */
  inputLength?: number | null;
}

const DEFAULT_INITIALIZER: InitializerId = {
  className: 'RandomUniform',
  config: { minval: -0.05, maxval: 0.05 },
};

function positive(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new ArgumentError(`Embedding: ${name} must be a positive integer, got ${String(v)}`);
  }
  return v;
}

/**
 * Maps integer indices to learned vectors: [batch, …] → [batch, …, outputDim], a row lookup (gather) in the
 * [inputDim, outputDim] table. Its gradient scatters back into the looked-up rows, summing over repeats.
 */
export class Embedding extends Layer {
  readonly className = 'Embedding';
  readonly inputDim: number;
  readonly outputDim: number;
  readonly embeddingsInitializer: InitializerId;
  readonly embeddingsRegularizer: Regularizer | undefined;
  readonly inputLength: number | null;
  embeddings: Variable | undefined;

  constructor(args: EmbeddingArgs) {
    super(args);
    this.inputDim = positive('inputDim', args.inputDim);
    this.outputDim = positive('outputDim', args.outputDim);
    this.inputLength = args.inputLength == null ? null : positive('inputLength', args.inputLength);
    this.embeddingsInitializer = args.embeddingsInitializer ?? DEFAULT_INITIALIZER;
    this.embeddingsRegularizer = getRegularizer(args.embeddingsRegularizer);
  }

  override build(inputShape: SymbolicShape): void {
    if (this.inputLength === null) assertRank(this, inputShape, { min: 1 }, '[batch, …] of indices');
    else assertRank(this, inputShape, 2, `[batch, ${this.inputLength}] of indices (inputLength)`);
    this.embeddings = this.addWeight(
      'embeddings',
      [this.inputDim, this.outputDim],
      this.embeddingsInitializer,
      {
        regularizer: this.embeddingsRegularizer,
      },
    );
    super.build(this.inputLength === null ? inputShape.map(() => null) : [null, this.inputLength]);
  }

  call(x: Tensor): Tensor {
    return gather(this.embeddings!, this.indices(x), 0);
  }

  /**
   * int32 indices, checked here so a bad token id names the layer and the vocabulary size (gather alone would
   * only say "index out of range"). Float inputs are accepted when integer-valued, as Keras casts them.
   */
  private indices(x: Tensor): Tensor {
    if (x.dtype === 'bool')
      throw new DTypeError(`${who(this)}: indices must be int32 or integer-valued floats, got bool`);
    const values = x.dataSync();
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isInteger(v)) {
        throw new DTypeError(`${who(this)}: indices must be integers, got ${v} at ${position(x.shape, i)}`);
      }
      if (v < 0 || v >= this.inputDim) {
        throw new ArgumentError(
          `${who(this)}: index ${v} at ${position(x.shape, i)} is out of range [0, ${this.inputDim}) ` +
            `(inputDim ${this.inputDim}: raise it to the vocabulary size)`,
        );
      }
    }
    return x.dtype === 'int32' ? x : tensor(Int32Array.from(values), x.shape, 'int32');
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const shape = this.inputLength === null ? [...inputShape] : [inputShape[0] ?? null, this.inputLength];
    return [...shape, this.outputDim];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      embeddingsInitializer: serializeInitializer(getInitializer(this.embeddingsInitializer)),
      embeddingsRegularizer: serializeRegularizer(this.embeddingsRegularizer),
      inputLength: this.inputLength,
    };
  }
}

/** `[1,3]`: the multi-index of flat element `i`, for error messages. */
function position(shape: readonly number[], i: number): string {
  const idx: number[] = [];
  for (let a = shape.length - 1; a >= 0; a--) {
    const d = shape[a]!;
    idx.unshift(i % d);
    i = Math.floor(i / d);
  }
  return `position [${idx.join(',')}]`;
}

registerLayer('Embedding', Embedding);
