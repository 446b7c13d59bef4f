import { GradcheckError, defineOp, gradcheck, matmul, mul, randomNormal, square, tensor } from 'backprop';
import type { Tensor } from 'backprop';

export function run() {
  // The chain rule by hand: f(x) = sin(x²) has f'(x) = cos(x²) · 2x.
  const x = 0.7;
  const byChainRule = Math.cos(x * x) * 2 * x;
  const byFiniteDifference = (Math.sin((x + 1e-6) ** 2) - Math.sin((x - 1e-6) ** 2)) / 2e-6;

  // gradcheck does the same for a whole network: backprop vs central differences, element by element.
  const twoLayer = (X: Tensor, W1: Tensor, W2: Tensor) => matmul(matmul(X, W1).tanh(), W2).square().mean();
  const report = gradcheck(twoLayer, [
    randomNormal([4, 3], { seed: 1 }),
    randomNormal([3, 5], { seed: 2 }),
    randomNormal([5, 1], { seed: 3 }),
  ]);

  // A broken chain rule is caught: the derivative of x² written as x instead of 2x.
  const badSquare = defineOp({
    name: 'docsBadSquare',
    forward: ([a]) => square(a!),
    backward: (dy, { inputs: [a] }) => [mul(dy, a!)],
  });
  let caught = '';
  try {
    gradcheck((a) => badSquare(a).sum(), [tensor([1, 2, 3])]);
  } catch (e) {
    if (!(e instanceof GradcheckError)) throw e;
    caught = e.message;
  }
  return { byChainRule, byFiniteDifference, ok: report.ok, maxError: report.inputs[0]!.maxAbsError, caught };
}
