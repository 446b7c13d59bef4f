import type { Tensor } from '@backprop/core-tensor';
import { avgPool2d, maxPool2d } from '@backprop/core-tensor';
import type { SymbolicShape } from '../engine/shape';
import type { LayerArgs } from '../layer';
import { Layer } from '../layer';
import { registerLayer } from '../registry';
import type { PaddingMode } from './utils';
import { assertRank, convOutputLength, toPadding, toPair } from './utils';

/** Options of {@link MaxPooling2D} and {@link AveragePooling2D} (Keras 3 names and defaults). */
export interface Pooling2DArgs extends LayerArgs {
  /** Window height and width (default 2). */
  poolSize?: number | readonly [number, number];
  /** Step between windows; defaults to `poolSize` (non-overlapping windows), as in Keras. */
  strides?: number | readonly [number, number] | null;
  /** 'valid' (default) or 'same'. */
  padding?: PaddingMode;
}

/** The shared part of the 2-D pooling layers: options, shape rule and config; subclasses pick the reduction. */
export abstract class Pooling2D extends Layer {
  readonly poolSize: [number, number];
  readonly strides: [number, number];
  readonly padding: PaddingMode;

  constructor(args: Pooling2DArgs = {}) {
    super(args);
    // new.target.name: the concrete class ('MaxPooling2D'), since className is not assigned yet.
    const cls = new.target.name;
    this.poolSize = toPair(cls, 'poolSize', args.poolSize ?? 2);
    this.strides = toPair(cls, 'strides', args.strides ?? this.poolSize);
    this.padding = toPadding(cls, args.padding);
  }

  override build(inputShape: SymbolicShape): void {
    assertRank(this, inputShape, 4, '[batch, height, width, channels]');
    super.build([null, null, null, inputShape[3] ?? null]);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const [n = null, h = null, w = null, c = null] = inputShape;
    return [
      n,
      convOutputLength(h, this.poolSize[0], this.strides[0], this.padding),
      convOutputLength(w, this.poolSize[1], this.strides[1], this.padding),
      c,
    ];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      poolSize: [...this.poolSize],
      strides: [...this.strides],
      padding: this.padding,
    };
  }
}

/** The maximum of each window of NHWC input; with 'same' padding, padded cells never win. */
export class MaxPooling2D extends Pooling2D {
  readonly className = 'MaxPooling2D';

  call(x: Tensor): Tensor {
    return maxPool2d(x, { poolSize: this.poolSize, strides: this.strides, padding: this.padding });
  }
}

/** The mean of each window of NHWC input; with 'same' padding it divides by the real (unpadded) cells, as TF. */
export class AveragePooling2D extends Pooling2D {
  readonly className = 'AveragePooling2D';

  call(x: Tensor): Tensor {
    return avgPool2d(x, { poolSize: this.poolSize, strides: this.strides, padding: this.padding });
  }
}

registerLayer('MaxPooling2D', MaxPooling2D);
registerLayer('AveragePooling2D', AveragePooling2D);
