import type { Tensor } from '@backprop/core-tensor';
import { ArgumentError, add, conv2d } from '@backprop/core-tensor';
import type { Variable } from '@backprop/autograd';
import { getInitializer, serializeInitializer } from '@backprop/init';
import type { ActivationId } from '../activations';
import { getActivation } from '../activations';
import type { SymbolicShape } from '../engine/shape';
import type { InitializerId, LayerArgs } from '../layer';
import { Layer } from '../layer';
import type { Regularizer, RegularizerId } from '../regularizers';
import { getRegularizer, serializeRegularizer } from '../regularizers';
import { registerLayer } from '../registry';
import type { PaddingMode } from './utils';
import { assertRank, convOutputLength, toPadding, toPair, who } from './utils';

/** Options of {@link Conv2D} (Keras 3 names and defaults). */
export interface Conv2DArgs extends LayerArgs {
  /** Number of output channels. */
  filters: number;
  /** Window height and width (one number for a square window). */
  kernelSize: number | readonly [number, number];
  /** Step between windows (default 1). */
  strides?: number | readonly [number, number];
  /** 'valid' (default: no padding) or 'same' (output = ceil(input / stride), TF's split of the padding). */
  padding?: PaddingMode;
  /** Spacing between kernel taps (default 1: a dense window). */
  dilationRate?: number | readonly [number, number];
  /** Applied to the output (default none: `'linear'`). */
  activation?: ActivationId | (string & Record<never, never>) | null;
  useBias?: boolean;
  kernelInitializer?: InitializerId;
  biasInitializer?: InitializerId;
  kernelRegularizer?: RegularizerId | null;
  biasRegularizer?: RegularizerId | null;
}

/**
 * 2-D convolution over NHWC input: y = activation(conv2d(x, kernel) + bias), with the kernel laid out HWIO
 * [kh, kw, inChannels, filters] as in Keras/TF (so weights load from Keras without transposing).
 */
export class Conv2D extends Layer {
  readonly className = 'Conv2D';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: PaddingMode;
  readonly dilationRate: [number, number];
  readonly activation: ActivationId;
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerId;
  readonly biasInitializer: InitializerId;
  readonly kernelRegularizer: Regularizer | undefined;
  readonly biasRegularizer: Regularizer | undefined;
  kernel: Variable | undefined;
  bias: Variable | undefined;
  readonly #act: (x: Tensor) => Tensor;

  constructor(args: Conv2DArgs) {
    super(args);
    if (!Number.isInteger(args.filters) || args.filters < 1) {
      throw new ArgumentError(`Conv2D: filters must be a positive integer, got ${String(args.filters)}`);
    }
    this.filters = args.filters;
    this.kernelSize = toPair('Conv2D', 'kernelSize', args.kernelSize);
    this.strides = toPair('Conv2D', 'strides', args.strides ?? 1);
    this.padding = toPadding('Conv2D', args.padding);
    this.dilationRate = toPair('Conv2D', 'dilationRate', args.dilationRate ?? 1);
    const act = getActivation(args.activation);
    this.activation = act.name;
    this.#act = act.fn;
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = args.kernelInitializer ?? 'glorotUniform';
    this.biasInitializer = args.biasInitializer ?? 'zeros';
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer);
    this.biasRegularizer = getRegularizer(args.biasRegularizer);
  }

  override build(inputShape: SymbolicShape): void {
    assertRank(this, inputShape, 4, '[batch, height, width, channels]');
    const channels = inputShape[3];
    if (typeof channels !== 'number') {
      throw new ArgumentError(
        `${who(this)}: the channel dimension must be known, got ${JSON.stringify(inputShape)}`,
      );
    }
    const [kh, kw] = this.kernelSize;
    this.kernel = this.addWeight('kernel', [kh, kw, channels, this.filters], this.kernelInitializer, {
      regularizer: this.kernelRegularizer,
    });
    if (this.useBias) {
      this.bias = this.addWeight('bias', [this.filters], this.biasInitializer, {
        regularizer: this.biasRegularizer,
      });
    }
    super.build([null, null, null, channels]);
  }

  call(x: Tensor): Tensor {
    let y = conv2d(x, this.kernel!, {
      strides: this.strides,
      padding: this.padding,
      dilations: this.dilationRate,
    });
    if (this.bias) y = add(y, this.bias);
    return this.#act(y);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const [n = null, h = null, w = null] = inputShape;
    return [
      n,
      convOutputLength(h, this.kernelSize[0], this.strides[0], this.padding, this.dilationRate[0]),
      convOutputLength(w, this.kernelSize[1], this.strides[1], this.padding, this.dilationRate[1]),
      this.filters,
    ];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dilationRate: [...this.dilationRate],
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(getInitializer(this.kernelInitializer)),
      biasInitializer: serializeInitializer(getInitializer(this.biasInitializer)),
      kernelRegularizer: serializeRegularizer(this.kernelRegularizer),
      biasRegularizer: serializeRegularizer(this.biasRegularizer),
    };
  }
}

registerLayer('Conv2D', Conv2D);
