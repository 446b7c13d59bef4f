/**
 * backprop: the umbrella package. Tensors and autograd are exported flat (they are the vocabulary of every
 * program); the training pieces are grouped the way Keras groups them (`layers.Dense`, `optimizers.Adam`).
 */
export * from '@backprop/core-tensor';
export * from '@backprop/autograd';
export * as init from '@backprop/init';
export * as losses from '@backprop/losses';
export * as optimizers from '@backprop/optimizers';
export * as layers from '@backprop/layers';
export * as data from '@backprop/data';
