/**
 * Gradient rules of core-tensor's fused ops (`fused.matMul`, `fused.softmaxCrossEntropy`,
 * `fused.sparseSoftmaxCrossEntropy`). Each is recorded as one node, so the backend may run it as one kernel in
 * the forward pass; the rules below are composed from public ops (and so differentiable again). The optimizer
 * updates (`fused.sgdUpdate`, `fused.adamUpdate`) are never recorded and need no rule.
 */
import type { FusedActivation, Tensor } from '@backprop/core-tensor';
import {
  cast,
  expandDims,
  greater,
  logSoftmax,
  matmul,
  mul,
  neg,
  oneHot,
  softmax,
  square,
  sub,
  sum,
  where,
} from '@backprop/core-tensor';
import type { GradContext, GradRule } from './rules';

/** dL/d(pre-activation) from dL/dy and the output y: every fused activation's derivative is a function of y. */
function throughActivation(dy: Tensor, y: Tensor, activation: FusedActivation): Tensor {
  switch (activation) {
    case 'relu':
      return where(greater(y, 0), dy, 0);
    case 'sigmoid':
      return mul(dy, mul(y, sub(1, y)));
    case 'tanh':
      return mul(dy, sub(1, square(y)));
    default:
      return dy;
  }
}

/** dy with a trailing axis of 1, so a per-row gradient broadcasts over the class axis. */
const perRow = (dy: Tensor): Tensor => expandDims(dy, -1);

/** The fused ops' rules, keyed by op name (registered with the built-in table by gradients.ts). */
export const FUSED_GRADIENTS: Record<string, GradRule> = {
  // y = act(a·b + bias): g = act'·dy, then matmul's rule and bias's column sums.
  fusedMatMul: {
    save: { inputs: [0, 1], output: true },
    grad: (dy, c: GradContext) => {
      const g = throughActivation(dy, c.output!, c.attrs.activation as FusedActivation);
      const da = c.needsGrad[0] ? matmul(g, c.inputs[1]!, { transposeB: true }) : null;
      const db = c.needsGrad[1] ? matmul(c.inputs[0]!, g, { transposeA: true }) : null;
      return c.inputShapes.length === 3 ? [da, db, c.needsGrad[2] ? sum(g, 0) : null] : [da, db];
    },
  },
  // L = −Σ t·log p with p = softmax(x): dL/dx = (p·Σt − t)·dy, dL/dt = −log p·dy.
  softmaxCrossEntropy: {
    save: { inputs: [0, 1] },
    grad: (dy, c) => {
      const t = c.inputs[0]!;
      const x = c.inputs[1]!;
      const g = perRow(dy);
      return [
        c.needsGrad[0] ? mul(neg(logSoftmax(x, -1)), g) : null,
        c.needsGrad[1] ? mul(sub(mul(softmax(x, -1), sum(t, -1, true)), t), g) : null,
      ];
    },
  },
  // L = −log p[label]: dL/dx = (p − onehot(label))·dy; labels are indices (no gradient).
  sparseSoftmaxCrossEntropy: {
    save: { inputs: [0, 1] },
    grad: (dy, c) => {
      const x = c.inputs[1]!;
      const classes = x.shape[x.rank - 1]!;
      const target = cast(oneHot(c.inputs[0]!, classes), x.dtype);
      return [null, mul(sub(softmax(x, -1), target), perRow(dy))];
    },
  },
};
