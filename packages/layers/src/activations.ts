import type { Tensor } from '@backprop/core-tensor';
import {
  ArgumentError,
  elu,
  gelu,
  leakyRelu,
  relu,
  relu6,
  selu,
  sigmoid,
  silu,
  softmax,
  softplus,
  tanh,
  logSoftmax,
} from '@backprop/core-tensor';

/** An activation by name, as Keras spells them (camelCase and snake_case both accepted). */
export type ActivationId =
  | 'linear'
  | 'relu'
  | 'relu6'
  | 'sigmoid'
  | 'tanh'
  | 'softmax'
  | 'logSoftmax'
  | 'softplus'
  | 'elu'
  | 'selu'
  | 'gelu'
  | 'swish'
  | 'silu'
  | 'leakyRelu';

const TABLE: Record<ActivationId, (x: Tensor) => Tensor> = {
  linear: (x) => x,
  relu,
  relu6,
  sigmoid,
  tanh,
  softmax: (x) => softmax(x, -1),
  logSoftmax: (x) => logSoftmax(x, -1),
  softplus,
  elu: (x) => elu(x),
  selu,
  gelu: (x) => gelu(x),
  swish: silu,
  silu,
  leakyRelu: (x) => leakyRelu(x),
};

/** Every activation name `getActivation` (and so `Dense({activation})`, `Activation`) accepts, in camelCase. */
export const ACTIVATIONS = Object.keys(TABLE) as ActivationId[];

function normalize(name: string): string {
  return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Looks up an activation; an unknown name is an error that lists the known ones. */
export function getActivation(id: string | null | undefined): {
  name: ActivationId;
  fn: (x: Tensor) => Tensor;
} {
  const name = normalize(id ?? 'linear') as ActivationId;
  const fn = TABLE[name];
  if (!fn) throw new ArgumentError(`activation: unknown "${id}"; expected one of ${ACTIVATIONS.join(', ')}`);
  return { name, fn };
}
