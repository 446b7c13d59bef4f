import type { Tensor } from '@backprop/core-tensor';
import * as T from '@backprop/core-tensor';
import { ArgumentError, StateError, scope, tensor } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import { unbroadcast, variable } from './index';
import { gradInfo } from './tape';

describe('loss.backward()', () => {
  it('computes dL/dw of a linear model by the chain rule', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    const w = variable(tensor([[0.5], [-1]]));
    const loss = x.matmul(w).square().mean();
    loss.backward();
    // L = mean((xw)²) → dL/dw = xᵀ · (2·xw / 2) = xᵀ · [-1.5, -2.5]
    expect(loss.item()).toBeCloseTo(4.25, 6);
    expect(w.grad!.arraySync()).toEqual([[-9], [-13]]);
  });

  it('a value used twice receives both contributions (the multivariate chain rule sums over paths)', () => {
    const w = variable([2, 3]);
    w.mul(w).sum().backward(); // d(w²)/dw = 2w: one w from each operand
    expect(w.grad!.arraySync()).toEqual([4, 6]);
  });

  it('an intermediate used on paths of different lengths gets all of them before it propagates', () => {
    const w = variable(0.5);
    const h = T.exp(w);
    const loss = h.add(h.mul(h).sin()).add(h.mul(3)); // L = h + sin(h²) + 3h
    loss.backward();
    const hv = Math.exp(0.5);
    expect(w.grad!.item()).toBeCloseTo((1 + Math.cos(hv * hv) * 2 * hv + 3) * hv, 5);
  });

  it('gradients accumulate into .grad over backward() calls until zeroGrad()', () => {
    const w = variable([1, 2]);
    const step = (): void =>
      w
        .mul(tensor([3, 4]))
        .sum()
        .backward();
    step();
    step();
    expect(w.grad!.arraySync()).toEqual([6, 8]);
    w.zeroGrad();
    expect(w.grad).toBeNull();
    step();
    expect(w.grad!.arraySync()).toEqual([3, 4]);
  });

  it('a second backward() over a freed graph is a clear error and changes no gradient', () => {
    const w = variable([1, 2]);
    const loss = w.square().sum();
    loss.backward();
    expect(() => loss.backward()).toThrow(StateError);
    expect(() => loss.backward()).toThrow(/already freed.*retainGraph/);
    expect(w.grad!.arraySync()).toEqual([2, 4]);
  });

  it('retainGraph keeps the graph for a second backward(), which accumulates as asked', () => {
    const w = variable([1, 2]);
    const loss = w.square().sum();
    loss.backward(undefined, { retainGraph: true });
    loss.backward();
    expect(w.grad!.arraySync()).toEqual([4, 8]);
    expect(() => loss.backward()).toThrow(/already freed/);
  });

  it('backward() of a non-scalar without an upstream gradient is a clear error', () => {
    const w = variable([1, 2]);
    expect(() => w.mul(2).backward()).toThrow(ArgumentError);
    expect(() => w.mul(2).backward()).toThrow(/shape \[2\].*needs a scalar.*sum\(\) or mean\(\)/);
  });

  it('backward(upstream) of a non-scalar computes the vector-Jacobian product', () => {
    const w = variable([1, 2]);
    w.square().backward(tensor([10, 100]));
    expect(w.grad!.arraySync()).toEqual([20, 400]);
    expect(() => w.square().backward(tensor([1, 2, 3]))).toThrow(
      /grad has shape \[3\], the tensor has \[2\]/,
    );
  });

  it('backward() of a tensor that depends on no Variable says why', () => {
    expect(() => tensor([1, 2]).sum().backward()).toThrow(/does not depend on any trainable Variable/);
    const w = variable([1]);
    expect(() =>
      T.exp(tensor([1]))
        .mul(2)
        .add(T.sum(w).mul(0).cast('int32'))
        .sum()
        .backward(),
    ).toThrow(/does not depend/);
  });

  it('backward() of a Variable itself gives ones', () => {
    const w = variable(3);
    w.backward();
    expect(w.grad!.item()).toBe(1);
  });

  it('fills .grad only for trainable variables that the loss depends on', () => {
    const w = variable([1, 2]);
    const frozen = variable([5, 5], { trainable: false });
    const unused = variable([0]);
    w.mul(frozen).sum().backward();
    expect(w.grad!.arraySync()).toEqual([5, 5]);
    expect(frozen.grad).toBeNull();
    expect(unused.grad).toBeNull();
  });

  it('gives each variable a gradient in its own dtype', () => {
    const w64 = variable([1, 2], { dtype: 'float64' });
    const w32 = variable([3, 4]);
    w64.mul(w32).sum().backward();
    expect(w64.grad!.dtype).toBe('float64');
    expect(w32.grad!.dtype).toBe('float32');
  });

  it('zeroGrad() of one variable never disposes another’s gradient, even when backward shared one tensor', () => {
    const a = variable([1, 2]);
    const b = variable([3, 4]);
    a.add(b).sum().backward(); // add passes the same upstream tensor to both inputs
    a.zeroGrad();
    expect(b.grad!.arraySync()).toEqual([1, 1]);
  });

  it('zeroGrad() never disposes the upstream gradient the caller passed in', () => {
    const w = variable([1, 2]);
    const up = tensor([1, 1]);
    w.backward(up);
    w.zeroGrad();
    expect(up.arraySync()).toEqual([1, 1]);
  });

  it('walks a very deep graph without overflowing the call stack', () => {
    const w = variable(1);
    let y: Tensor = w;
    for (let i = 0; i < 20_000; i++) y = y.add(1);
    y.backward();
    expect(w.grad!.item()).toBe(1);
  });
});

describe('saved tensors', () => {
  const savedOf = (t: Tensor): unknown[] => {
    const out: unknown[] = [];
    const stack = [gradInfo(t)?.node];
    while (stack.length > 0) {
      const n = stack.pop();
      if (!n) continue;
      out.push(n.saved);
      for (const p of n.parents) stack.push(p?.node);
    }
    return out;
  };

  it('are released after backward(): every node on the path drops what it saved', () => {
    const w = variable([[1, 2]]);
    const loss = T.tanh(w.matmul(tensor([[1], [2]])))
      .exp()
      .sum();
    expect(savedOf(loss).every((s) => s !== undefined)).toBe(true);
    loss.backward();
    const after = savedOf(loss);
    expect(after.length).toBe(4);
    expect(after.every((s) => s === undefined)).toBe(true);
  });

  it('are kept when retainGraph is asked for', () => {
    const w = variable([1, 2]);
    const loss = w.exp().sum();
    loss.backward(undefined, { retainGraph: true });
    expect(savedOf(loss).every((s) => s !== undefined)).toBe(true);
  });

  it('become collectable by the garbage collector once backward() has run', async () => {
    const { setFlagsFromString } = await import('node:v8');
    const { runInNewContext } = await import('node:vm');
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const w = variable([1, 2, 3]);
    const make = (): { loss: Tensor; ref: WeakRef<Tensor> } => {
      const h = w.exp(); // saved by exp as its output, and by mul as an input; nothing else holds it
      return { loss: h.mul(h).sum(), ref: new WeakRef(h) };
    };
    const collected = async (ref: WeakRef<Tensor>): Promise<boolean> => {
      for (let i = 0; i < 5 && ref.deref(); i++) {
        await new Promise((r) => setTimeout(r, 0));
        gc();
      }
      return ref.deref() === undefined;
    };
    const kept = make();
    expect(await collected(kept.ref)).toBe(false); // the graph of the live loss holds it
    kept.loss.backward();
    expect(await collected(kept.ref)).toBe(true); // the loss is still alive, the saved tensor is not
    expect(kept.loss.item()).toBeCloseTo(Math.exp(2) + Math.exp(4) + Math.exp(6), 3);
  });

  it('a saved tensor disposed before backward() gives a clear error', () => {
    const w = variable([1, 2]);
    const loss = scope(() => w.exp().square().sum()); // the scope disposes exp's output, which square saved
    expect(() => loss.backward()).toThrow(/saved for the backward pass .* was disposed.*same scope/);
  });

  it('assigning a variable between forward and backward is a clear error, not a wrong gradient', () => {
    const w = variable([1, 2], { name: 'w' });
    const loss = w.mul(w).sum();
    w.assign(tensor([10, 10]));
    expect(() => loss.backward()).toThrow(/variable "w" was assigned a new value after mul used it/);
    expect(w.grad).toBeNull();
  });
});

describe('unbroadcast', () => {
  it('sums a gradient over the axes broadcasting added or stretched, back to the input shape', () => {
    const g = T.ones([2, 3, 4]);
    expect(unbroadcast(g, [3, 1]).arraySync()).toEqual([[8], [8], [8]]);
    expect(unbroadcast(g, [4]).arraySync()).toEqual([6, 6, 6, 6]);
    expect(unbroadcast(g, [1, 1, 1]).arraySync()).toEqual([[[24]]]);
    expect(unbroadcast(g, []).item()).toBe(24);
  });

  it('returns the gradient itself when the shapes already match', () => {
    const g = T.ones([2, 3]);
    expect(unbroadcast(g, [2, 3])).toBe(g);
  });
});
