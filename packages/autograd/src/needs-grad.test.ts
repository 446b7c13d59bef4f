/**
 * A backward pass computes only the gradients someone wants: the data fed into the first layer is not a
 * trainable leaf, so dL/dx (a whole matrix product or input convolution per step) must not be computed.
 */
import type { Backend } from '@backprop/core-tensor';
import * as T from '@backprop/core-tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { grad, valueAndGrad, variable } from './index';

const calls = { matmul: 0, conv2dBackpropInput: 0, conv2dBackpropFilter: 0 };
let previous = 'js';

function useCountingBackend(): void {
  previous = T.getBackendName();
  const base = T.createJsBackend();
  const counting: Backend = {
    ...base,
    name: 'counting-js',
    // no fused kernels: every product goes through the primitives counted here
    fused: undefined,
    matmul: (...args) => {
      calls.matmul++;
      return base.matmul(...args);
    },
    conv2dBackpropInput: (...args) => {
      calls.conv2dBackpropInput++;
      return base.conv2dBackpropInput(...args);
    },
    conv2dBackpropFilter: (...args) => {
      calls.conv2dBackpropFilter++;
      return base.conv2dBackpropFilter(...args);
    },
  };
  T.registerBackend('counting-js', () => counting);
  T.setBackend('counting-js');
  calls.matmul = calls.conv2dBackpropInput = calls.conv2dBackpropFilter = 0;
}

afterEach(() => T.setBackend(previous));

describe('gradients nobody asked for are not computed', () => {
  it('matmul(x, W) with x a constant: backward runs one product (dW = xᵀ·dy), not two', () => {
    useCountingBackend();
    const x = T.randomNormal([4, 3], { seed: 1 });
    const w = variable(T.randomNormal([3, 2], { seed: 2 }));
    const { value } = valueAndGrad(() => T.matmul(x, w).square().sum())();
    expect(value.size).toBe(1);
    expect(calls.matmul).toBe(1); // the forward product
    calls.matmul = 0;
    const loss = T.matmul(x, w).square().sum();
    calls.matmul = 0;
    loss.backward();
    expect(calls.matmul).toBe(1);
    expect(w.grad!.shape).toEqual([3, 2]);
  });

  it('asking for both inputs computes both products, with the right values', () => {
    useCountingBackend();
    const a = T.tensor([
      [1, 2],
      [3, 4],
    ]);
    const b = T.tensor([
      [5, 6],
      [7, 8],
    ]);
    const f = (p: T.Tensor, q: T.Tensor): T.Tensor => T.matmul(p, q).sum();
    const [ga, gb] = grad(f)(a, b);
    // d/da sum(a·b) = 1·bᵀ, d/db = aᵀ·1
    expect(Array.from(ga!.dataSync())).toEqual([11, 15, 11, 15]);
    expect(Array.from(gb!.dataSync())).toEqual([4, 4, 6, 6]);
    expect(calls.matmul).toBe(3);
  });

  it('conv2d(x, w) with x a constant: only the filter gradient is computed', () => {
    useCountingBackend();
    const x = T.randomNormal([1, 5, 5, 2], { seed: 3 });
    const w = variable(T.randomNormal([3, 3, 2, 4], { seed: 4 }));
    const loss = T.conv2d(x, w, { padding: 'same' }).sum();
    loss.backward();
    expect(calls.conv2dBackpropFilter).toBe(1);
    expect(calls.conv2dBackpropInput).toBe(0);
    expect(w.grad!.shape).toEqual([3, 3, 2, 4]);
  });
});
