/**
 * @backprop/core-tensor: N-dimensional tensors, NumPy broadcasting, the op set, and the backends that run it.
 * core-tensor knows nothing about gradients; @backprop/autograd records ops through the dispatcher's observer.
 */
import { registerBackend } from './backend';
import { createJsBackend } from './backends/js/index';
import { createWasmBackend, wasmSimdSupported } from './backends/wasm/index';

// wasm is the default wherever WebAssembly SIMD validates, js otherwise (see RegisterBackendOptions).
registerBackend('js', createJsBackend, { priority: 1 });
registerBackend('wasm', createWasmBackend, { priority: wasmSimdSupported() ? 2 : 0 });

export type {
  Backend,
  BackendData,
  BinaryOp,
  CompareOp,
  Conv2DGeometry,
  FusedActivation,
  FusedKernels,
  Pool2DGeometry,
  ReduceOp,
  TensorInfo,
  UnaryOp,
} from './backend';
export type { RegisterBackendOptions } from './backend';
export { getBackend, getBackendName, listBackends, registerBackend, setBackend } from './backend';
export { createJsBackend } from './backends/js/index';
export type { KernelVariant, WasmBackend, WasmBackendOptions } from './backends/wasm/index';
export { createWasmBackend, wasmSimdSupported } from './backends/wasm/index';
export type { DType, DTypeArrayMap, TypedArray } from './dtype';
export { DTYPES, bytesPerElement, isFloatDType, promoteTypes } from './dtype';
export type { OpObserver, OpRecord } from './dispatch';
export { getObserver, mayFuse, op, setObserver, unobserved } from './dispatch';
export type { MemoryInfo } from './engine';
export { keep, memory, scope } from './engine';
export {
  ArgumentError,
  AxisError,
  BackpropError,
  DTypeError,
  OutOfMemoryError,
  ShapeError,
  StateError,
} from './errors';
export type { RandomOptions } from './random';
export { Generator, setSeed } from './random';
export type { Shape } from './shape';
export { broadcastShapes, normalizeAxes, normalizeAxis, sizeOf } from './shape';
export type { BackwardOptions, NestedArray } from './tensor';
export { Tensor, setBackwardHook } from './tensor';
export * from './ops/activations';
export * from './ops/conv';
export type { TensorLike } from './ops/create';
export { arange, eye, full, linspace, ones, onesLike, scalar, tensor, zeros, zerosLike } from './ops/create';
export * from './ops/elementwise';
export * from './ops/linalg';
export * from './ops/movement';
export * from './ops/random';
export * from './ops/reduce';
export * from './ops/softmax';
export * as fused from './ops/fused';
export { makeTensor, viewAs } from './ops/util';
