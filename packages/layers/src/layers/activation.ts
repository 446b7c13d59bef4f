import type { Tensor } from '@backprop/core-tensor';
import type { ActivationId } from '../activations';
import { getActivation } from '../activations';
import type { LayerArgs } from '../layer';
import { Layer } from '../layer';
import { registerLayer } from '../registry';

/** Options of {@link Activation}. */
export interface ActivationArgs extends LayerArgs {
  /** An activation name (`'relu'`, `'softmax'`, …; snake_case accepted). */
  activation: ActivationId | (string & Record<never, never>);
}

/** Applies an activation function elementwise (softmax-like ones along the last axis); no weights. */
export class Activation extends Layer {
  readonly className = 'Activation';
  readonly activation: ActivationId;
  readonly #fn: (x: Tensor) => Tensor;

  constructor(args: ActivationArgs) {
    super(args);
    const act = getActivation(args.activation);
    this.activation = act.name;
    this.#fn = act.fn;
  }

  call(x: Tensor): Tensor {
    return this.#fn(x);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: this.activation };
  }
}

registerLayer('Activation', Activation);
