import type { Tensor } from '@backprop/core-tensor';
import { max, mean } from '@backprop/core-tensor';
import type { SymbolicShape } from '../engine/shape';
import type { LayerArgs } from '../layer';
import { Layer } from '../layer';
import { registerLayer } from '../registry';
import { assertRank } from './utils';

/** Options of the global pooling layers. */
export interface GlobalPooling2DArgs extends LayerArgs {
  /** Keep the pooled axes as size 1: [batch, 1, 1, channels] instead of [batch, channels] (default false). */
  keepDims?: boolean;
}

/** The shared part of the global 2-D pooling layers: NHWC in, one value per channel out. */
export abstract class GlobalPooling2D extends Layer {
  readonly keepDims: boolean;

  constructor(args: GlobalPooling2DArgs = {}) {
    super(args);
    this.keepDims = args.keepDims ?? false;
  }

  override build(inputShape: SymbolicShape): void {
    assertRank(this, inputShape, 4, '[batch, height, width, channels]');
    super.build([null, null, null, inputShape[3] ?? null]);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const [n = null, , , c = null] = inputShape;
    return this.keepDims ? [n, 1, 1, c] : [n, c];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), keepDims: this.keepDims };
  }
}

/** The mean over height and width of NHWC input, per channel (the usual head before a classifier). */
export class GlobalAveragePooling2D extends GlobalPooling2D {
  readonly className = 'GlobalAveragePooling2D';

  call(x: Tensor): Tensor {
    return mean(x, [1, 2], this.keepDims);
  }
}

/** The maximum over height and width of NHWC input, per channel. */
export class GlobalMaxPooling2D extends GlobalPooling2D {
  readonly className = 'GlobalMaxPooling2D';

  call(x: Tensor): Tensor {
    return max(x, [1, 2], this.keepDims);
  }
}

registerLayer('GlobalAveragePooling2D', GlobalAveragePooling2D);
registerLayer('GlobalMaxPooling2D', GlobalMaxPooling2D);
