import { noGrad, tensor, variable } from 'backprop';

// A two-layer network: 2 inputs → 2 ReLU units → 1 output, squared error, one sample.
export function run() {
  const x = tensor([[1, 2]]);
  const y = tensor([[1]]);
  const W1 = variable(
    [
      [0.5, -1],
      [0.25, 0.5],
    ],
    { name: 'W1' },
  );
  const b1 = variable([0, -0.5], { name: 'b1' });
  const W2 = variable([[1], [-2]], { name: 'W2' });
  const b2 = variable([0.5], { name: 'b2' });
  const params = [W1, b1, W2, b2];
  const forward = () => x.matmul(W1).add(b1).relu().matmul(W2).add(b2).sub(y).square().mean();

  // Forward pass: compute the loss, recording every op.
  const loss = forward();
  // Backward pass: the chain rule from the loss back to every weight; results land in .grad.
  loss.backward();
  const grads = Object.fromEntries(params.map((p) => [p.name, p.grad!.arraySync()]));

  // One gradient-descent step, not recorded.
  noGrad(() => params.forEach((p) => p.assign(p.sub(p.grad!.mul(0.1)))));
  return { lossBefore: loss.item(), lossAfter: forward().item(), grads };
}
