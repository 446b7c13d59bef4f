import type { Tensor } from '@backprop/core-tensor';
import * as T from '@backprop/core-tensor';
import { memory, scope } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import type { Variable } from './index';
import { noGrad, variable, variableGrads, zeroGrad } from './index';
import { rand } from './testing';

// A 4-8-1 MLP on a fixed batch: the smallest model with every kind of step a training loop takes.
function mlp(): { params: Variable[]; loss: () => Tensor } {
  const x = rand([16, 4], 1).cast('float32');
  const y = T.sum(x, 1, true).sin();
  const w1 = variable(rand([4, 8], 2).mul(0.5).cast('float32'), { name: 'w1' });
  const b1 = variable(T.zeros([8]), { name: 'b1' });
  const w2 = variable(rand([8, 1], 3).mul(0.5).cast('float32'), { name: 'w2' });
  const b2 = variable(T.zeros([1]), { name: 'b2' });
  const loss = (): Tensor => T.relu(x.matmul(w1).add(b1)).matmul(w2).add(b2).sub(y).square().mean();
  return { params: [w1, b1, w2, b2], loss };
}

const STEPS = 10_000;

describe('memory over a long training run', () => {
  it(`${STEPS} steps of loss.backward() + SGD inside scope(): live tensors and bytes exactly flat`, () => {
    const { params, loss } = mlp();
    const step = (): number =>
      scope(() => {
        zeroGrad(params);
        const l = loss();
        l.backward();
        noGrad(() => {
          for (const p of params) p.assign(p.sub(p.grad!.mul(0.05)));
        });
        return l.item();
      });
    const first = step();
    const base = memory();
    let last = first;
    for (let i = 1; i < STEPS; i++) {
      last = step();
      if (i % 1000 === 0) {
        expect(memory().numTensors).toBe(base.numTensors);
        expect(memory().numBytes).toBe(base.numBytes);
      }
    }
    expect(memory()).toEqual(base);
    expect(last).toBeLessThan(first / 4); // and it learned, so the steps were real
  }, 60_000);

  it('the functional style (variableGrads) is flat too', () => {
    const { params, loss } = mlp();
    const step = (): void =>
      scope(() => {
        const { grads } = variableGrads(loss, params);
        noGrad(() => {
          for (const [p, g] of grads) p.assign(p.sub(g.mul(0.05)));
        });
      });
    step();
    const base = memory();
    for (let i = 0; i < 1000; i++) step();
    expect(memory()).toEqual(base);
  });
});
