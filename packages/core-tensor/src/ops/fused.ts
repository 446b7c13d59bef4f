/**
 * Fused ops (`fused.matMul`, `fused.softmaxCrossEntropy`, …, as TF.js spells `tf.fused.matMul`): one call for a
 * chain that training runs every step. Each uses its backend's fused kernel when the backend has one and nothing
 * needs to see the chain's parts (see `mayFuse`), and otherwise runs the composed ops below, which define the
 * result: a fused kernel must equal them. autograd records each as one node with its own gradient rule.
 */
import type { FusedActivation } from '../backend';
import { getBackend } from '../backend';
import { mayFuse, op } from '../dispatch';
import { ArgumentError, DTypeError, ShapeError } from '../errors';
import { fmtShape, shapesEqual } from '../shape';
import type { Tensor } from '../tensor';
import { arange } from './create';
import { add, equal, maximum, mul, neg, sigmoid, tanh, where } from './elementwise';
import { matmul } from './linalg';
import { expandDims } from './movement';
import { sum } from './reduce';
import { logSoftmax } from './softmax';
import { assertFloat, makeTensor } from './util';

export type { FusedActivation } from '../backend';
export { adamUpdate, sgdUpdate } from './fused-updates';
export type { AdamUpdateOptions, SgdUpdateOptions } from './fused-updates';

/** The activations `fused.matMul` applies, by name. */
export const FUSED_ACTIVATIONS: readonly FusedActivation[] = ['linear', 'relu', 'sigmoid', 'tanh'];

/** Arguments of {@link matMul}. */
export interface FusedMatMulArgs {
  /** Left operand [M, K]. */
  a: Tensor;
  /** Right operand [K, N] (a Dense kernel). */
  b: Tensor;
  /** Added to every row of a·b: shape [N]. */
  bias?: Tensor | null;
  /** Applied last (default 'linear'). */
  activation?: FusedActivation;
}

function activate(y: Tensor, activation: FusedActivation): Tensor {
  switch (activation) {
    case 'relu':
      // relu's own composition, so the fused and composed paths round alike.
      return maximum(y, 0);
    case 'sigmoid':
      return sigmoid(y);
    case 'tanh':
      return tanh(y);
    default:
      return y;
  }
}

/**
 * activation(a·b + bias) for a [M, K], b [K, N], bias [N]: a Dense layer's forward pass in one kernel where the
 * backend has one (the bias and activation applied to each block of the product while it is in cache).
 * @example fused.matMul({ a: x, b: kernel, bias, activation: 'relu' })
 */
export function matMul(args: FusedMatMulArgs): Tensor {
  const { a, b } = args;
  const bias = args.bias ?? null;
  const activation = args.activation ?? 'linear';
  const inputs = bias ? [a, b, bias] : [a, b];
  return op('fusedMatMul', inputs, { activation }, () => {
    if (!FUSED_ACTIVATIONS.includes(activation)) {
      throw new ArgumentError(
        `fusedMatMul: unknown activation "${String(activation)}"; expected one of ${FUSED_ACTIVATIONS.join(', ')}`,
      );
    }
    assertFloat('fusedMatMul', a, 'a');
    if (a.rank !== 2 || b.rank !== 2 || a.shape[1] !== b.shape[0]) {
      throw new ShapeError(
        `fusedMatMul: expected a [M,K] and b [K,N], got a ${fmtShape(a.shape)} · b ${fmtShape(b.shape)}`,
      );
    }
    if (b.dtype !== a.dtype || (bias && bias.dtype !== a.dtype)) {
      throw new DTypeError(
        `fusedMatMul: a, b and bias must share one dtype, got ${a.dtype}, ${b.dtype}` +
          (bias ? `, ${bias.dtype}` : ''),
      );
    }
    const n = b.shape[1]!;
    if (bias && (bias.rank !== 1 || bias.shape[0] !== n)) {
      throw new ShapeError(
        `fusedMatMul: bias must have shape [${n}] (b's columns), got ${fmtShape(bias.shape)}`,
      );
    }
    const kernel = getBackend().fused?.matMulBiasAct;
    if (kernel && mayFuse('fusedMatMul')) {
      const data = kernel(a.info(), b.info(), bias ? bias.info() : null, activation);
      if (data) return makeTensor(data, [a.shape[0]!, n], a.dtype);
    }
    const y = matmul(a, b);
    return activate(bias ? add(y, bias) : y, activation);
  });
}

function checkLogits(name: string, logits: Tensor): void {
  assertFloat(name, logits, 'logits');
  if (logits.rank < 1) throw new ShapeError(`${name}: logits must have a class axis, got a scalar`);
}

/**
 * −Σ labels·log softmax(logits) over the last (class) axis, per row: cross-entropy from logits with one-hot or
 * soft labels of the logits' shape. Stable for any finite logits (log-softmax subtracts the row maximum).
 * Result: the logits' shape without the class axis.
 */
export function softmaxCrossEntropy(labels: Tensor, logits: Tensor): Tensor {
  const name = 'softmaxCrossEntropy';
  return op(name, [labels, logits], {}, () => {
    checkLogits(name, logits);
    if (labels.dtype !== logits.dtype) {
      throw new DTypeError(
        `${name}: labels must have the logits' dtype ${logits.dtype}, got ${labels.dtype}`,
      );
    }
    if (!shapesEqual(labels.shape, logits.shape)) {
      throw new ShapeError(
        `${name}: labels ${fmtShape(labels.shape)} must have the logits' shape ${fmtShape(logits.shape)}`,
      );
    }
    const kernel = getBackend().fused?.softmaxCrossEntropy;
    if (kernel && mayFuse(name)) {
      const data = kernel(labels.info(), logits.info());
      if (data) return makeTensor(data, logits.shape.slice(0, -1), logits.dtype);
    }
    return neg(sum(mul(labels, logSoftmax(logits, -1)), -1));
  });
}

/**
 * −log softmax(logits)[label] per row: cross-entropy from logits with int32 class labels of the logits' shape
 * without the class axis, each in [0, classes). No one-hot matrix is built: the composed path selects each
 * row's log-probability, so a −Inf logit in another class cannot turn 0·(−Inf) into NaN.
 */
export function sparseSoftmaxCrossEntropy(labels: Tensor, logits: Tensor): Tensor {
  const name = 'sparseSoftmaxCrossEntropy';
  return op(name, [labels, logits], {}, () => {
    checkLogits(name, logits);
    if (labels.dtype !== 'int32') {
      throw new DTypeError(`${name}: labels must be int32 class indices, got ${labels.dtype}`);
    }
    const rows = logits.shape.slice(0, -1);
    if (!shapesEqual(labels.shape, rows)) {
      throw new ShapeError(
        `${name}: labels ${fmtShape(labels.shape)} must have the logits' shape without the class axis ` +
          `${fmtShape(rows)} (logits ${fmtShape(logits.shape)})`,
      );
    }
    const classes = logits.shape[logits.rank - 1]!;
    // Labels are data, a few hundred integers a step: reading them is what keeps the kernel in bounds.
    const values = labels.dataSync();
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v < 0 || v >= classes) {
        throw new ArgumentError(`${name}: label ${v} at position ${i} is out of range [0, ${classes})`);
      }
    }
    const kernel = getBackend().fused?.sparseSoftmaxCrossEntropy;
    if (kernel && mayFuse(name)) {
      const data = kernel(labels.info(), logits.info());
      if (data) return makeTensor(data, rows, logits.dtype);
    }
    const picked = equal(arange(0, classes, 1, 'int32'), expandDims(labels, -1));
    return neg(sum(where(picked, logSoftmax(logits, -1), 0), -1));
  });
}
