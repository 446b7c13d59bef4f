import type { Tensor } from '@backprop/core-tensor';
import { reshape } from '@backprop/core-tensor';
import type { SymbolicShape } from '../engine/shape';
import { Layer } from '../layer';
import { registerLayer } from '../registry';
import { assertRank } from './utils';

/**
 * Flattens every dimension but the batch: [batch, d1, d2, …] → [batch, d1·d2·…]. A rank-1 input becomes
 * [batch, 1], as in Keras.
 */
export class Flatten extends Layer {
  readonly className = 'Flatten';

  override build(inputShape: SymbolicShape): void {
    assertRank(this, inputShape, { min: 1 }, '[batch, …]');
    super.build(inputShape);
  }

  call(x: Tensor): Tensor {
    // An explicit size rather than −1, so an empty batch still reshapes.
    const features = x.shape.slice(1).reduce((n, d) => n * d, 1);
    return reshape(x, [x.shape[0]!, features]);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const rest = inputShape.slice(1);
    const known = rest.every((d): d is number => d !== null);
    return [inputShape[0] ?? null, known ? rest.reduce((n, d) => n * d, 1) : null];
  }
}

registerLayer('Flatten', Flatten);
