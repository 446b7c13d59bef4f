import type { Tensor } from '@backprop/core-tensor';
import type { FusedActivation } from '@backprop/core-tensor';
import { ShapeError, add, fused, matmul, reshape } from '@backprop/core-tensor';
import type { Variable } from '@backprop/autograd';
import { serializeInitializer, getInitializer } from '@backprop/init';
import type { ActivationId } from '../activations';
import { getActivation } from '../activations';
import type { SymbolicShape } from '../engine/shape';
import type { InitializerId, LayerArgs } from '../layer';
import { Layer } from '../layer';
import type { RegularizerId } from '../regularizers';
import { getRegularizer, serializeRegularizer } from '../regularizers';
import { registerLayer } from '../registry';

export interface DenseArgs extends LayerArgs {
  units: number;
  activation?: ActivationId | (string & Record<never, never>) | null;
  useBias?: boolean;
  kernelInitializer?: InitializerId;
  biasInitializer?: InitializerId;
  kernelRegularizer?: RegularizerId | null;
  biasRegularizer?: RegularizerId | null;
}

/**
 * A fully connected layer: y = activation(x·W + b), W of shape [inputDim, units] (Keras' layout).
 * Inputs of rank > 2 are multiplied along their last axis.
 */
export class Dense extends Layer {
  readonly className = 'Dense';
  readonly units: number;
  readonly activation: ActivationId;
  /** The activation when the fused matmul can apply it in its epilogue (decided once: it never changes). */
  readonly #fusedActivation: FusedActivation | undefined;
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerId;
  readonly biasInitializer: InitializerId;
  readonly kernelRegularizer;
  readonly biasRegularizer;
  kernel: Variable | undefined;
  bias: Variable | undefined;
  readonly #act: (x: Tensor) => Tensor;

  constructor(args: DenseArgs) {
    super(args);
    if (!Number.isInteger(args.units) || args.units < 1) {
      throw new ShapeError(`Dense: units must be a positive integer, got ${String(args.units)}`);
    }
    this.units = args.units;
    const act = getActivation(args.activation);
    this.activation = act.name;
    this.#fusedActivation = (fused.FUSED_ACTIVATIONS as readonly string[]).includes(act.name)
      ? (act.name as FusedActivation)
      : undefined;
    this.#act = act.fn;
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = args.kernelInitializer ?? 'glorotUniform';
    this.biasInitializer = args.biasInitializer ?? 'zeros';
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer);
    this.biasRegularizer = getRegularizer(args.biasRegularizer);
  }

  override build(inputShape: SymbolicShape): void {
    const inputDim = inputShape[inputShape.length - 1];
    if (typeof inputDim !== 'number') {
      throw new ShapeError(
        `${this.name} (Dense): the last input dimension must be known, got ${JSON.stringify(inputShape)}`,
      );
    }
    this.kernel = this.addWeight('kernel', [inputDim, this.units], this.kernelInitializer, {
      regularizer: this.kernelRegularizer,
    });
    if (this.useBias) {
      this.bias = this.addWeight('bias', [this.units], this.biasInitializer, {
        regularizer: this.biasRegularizer,
      });
    }
    super.build([...inputShape.slice(0, -1).map(() => null), inputDim]);
  }

  call(x: Tensor): Tensor {
    const k = this.kernel!;
    const flat = x.rank > 2 ? reshape(x, [-1, x.shape[x.rank - 1]!]) : x;
    // One fused op (a single kernel on backends that have one) when the activation is one it covers and no
    // dtype promotion is needed; otherwise the product, bias and activation as separate ops.
    const activation = this.#fusedActivation;
    const fuse =
      activation !== undefined &&
      flat.rank === 2 &&
      flat.dtype === k.dtype &&
      (!this.bias || this.bias.dtype === k.dtype);
    let y: Tensor;
    if (fuse) {
      y = fused.matMul({ a: flat, b: k, bias: this.bias ?? null, activation });
    } else {
      y = matmul(flat, k);
      if (this.bias) y = add(y, this.bias);
    }
    if (x.rank > 2) y = reshape(y, [...x.shape.slice(0, -1), this.units]);
    return fuse ? y : this.#act(y);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape.slice(0, -1), this.units];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(getInitializer(this.kernelInitializer)),
      biasInitializer: serializeInitializer(getInitializer(this.biasInitializer)),
      kernelRegularizer: serializeRegularizer(this.kernelRegularizer),
      biasRegularizer: serializeRegularizer(this.biasRegularizer),
    };
  }
}

registerLayer('Dense', Dense);
