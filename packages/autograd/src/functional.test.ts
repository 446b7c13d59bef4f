import type { Tensor } from '@backprop/core-tensor';
import * as T from '@backprop/core-tensor';
import { ArgumentError, tensor } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import { grad, noGrad, valueAndGrad, variable, variableGrads } from './index';
import { gradInfo } from './tape';

const a = tensor([1, 2]);
const b = tensor([3, 4]);

describe('grad and valueAndGrad', () => {
  it('one tensor in, one gradient out', () => {
    expect(grad((x: Tensor) => x.square().sum())(a).arraySync()).toEqual([2, 4]);
  });

  it('several tensors in, an array of gradients out (same order)', () => {
    const [ga, gb] = grad((x: Tensor, y: Tensor) => x.mul(y).sum())(a, b);
    expect([ga!.arraySync(), gb!.arraySync()]).toEqual([
      [3, 4],
      [1, 2],
    ]);
  });

  it('an array of tensors in, an array of gradients out', () => {
    const gs = grad((xs: Tensor[]) => xs[0]!.mul(xs[1]!).sum())([a, b]);
    expect(gs.map((g) => g.arraySync())).toEqual([
      [3, 4],
      [1, 2],
    ]);
  });

  it('an object of tensors in, an object of gradients out (same keys)', () => {
    const g = grad((p: { w: Tensor; b: Tensor }) => p.w.mul(3).add(p.b).sum())({ w: a, b });
    expect(Object.keys(g)).toEqual(['w', 'b']);
    expect([g.w.arraySync(), g.b.arraySync()]).toEqual([
      [3, 3],
      [1, 1],
    ]);
  });

  it('valueAndGrad returns the value too', () => {
    const { value, grads } = valueAndGrad((x: Tensor) => x.square().sum())(a);
    expect(value.item()).toBe(5);
    expect(grads.arraySync()).toEqual([2, 4]);
  });

  it('an argument f does not use gets a zero gradient', () => {
    const [, gb] = grad((x: Tensor, _y: Tensor) => x.sum())(a, b);
    expect(gb!.arraySync()).toEqual([0, 0]);
  });

  it('a constant f gives zero gradients', () => {
    expect(grad((_x: Tensor) => tensor(3))(a).arraySync()).toEqual([0, 0]);
  });

  it('the identity of a scalar has gradient 1', () => {
    expect(grad((x: Tensor) => x)(tensor(2)).item()).toBe(1);
  });

  it('f must return a scalar tensor', () => {
    expect(() => grad((x: Tensor) => x.square())(a)).toThrow(ArgumentError);
    expect(() => grad((x: Tensor) => x.square())(a)).toThrow(
      /must return a scalar .*shape \[2\].*sum\(\) or mean\(\)/,
    );
    expect(() => grad((() => 3) as unknown as (x: Tensor) => Tensor)(a)).toThrow(/must return a Tensor/);
  });

  it('arguments must be tensors', () => {
    expect(() => grad((x: Tensor) => x.sum())(3 as unknown as Tensor)).toThrow(/argument 0 must be a Tensor/);
  });

  it('does not touch the .grad of Variables f uses', () => {
    const w = variable([1, 1]);
    grad((x: Tensor) => x.mul(w).sum())(a);
    expect(w.grad).toBeNull();
  });

  it('leaves the arguments usable and without history', () => {
    const x = tensor([1, 2]);
    grad((t: Tensor) => t.exp().sum())(x);
    expect(grad((t: Tensor) => t.exp().sum())(x).arraySync()).toEqual(Array.from(T.exp(x).dataSync()));
  });
});

describe('variableGrads', () => {
  it('returns the value and a Map from each variable used to its gradient, leaving .grad alone', () => {
    const w = variable([1, 2]);
    const bias = variable(0.5);
    const unused = variable([9]);
    const { value, grads } = variableGrads(() =>
      w
        .mul(tensor([3, 4]))
        .sum()
        .add(bias),
    );
    expect(value.item()).toBe(11.5);
    expect([...grads.keys()].sort((p, q) => p.name.localeCompare(q.name))).toEqual(
      [w, bias].sort((p, q) => p.name.localeCompare(q.name)),
    );
    expect(grads.get(w)!.arraySync()).toEqual([3, 4]);
    expect(grads.get(bias)!.item()).toBe(1);
    expect(grads.has(unused)).toBe(false);
    expect(w.grad).toBeNull();
  });

  it('with an explicit list: exactly those variables, zeros for the unused ones', () => {
    const w = variable([1, 2]);
    const v = variable([5]);
    const unused = variable([7, 7]);
    const { grads } = variableGrads(() => w.mul(v).sum(), [w, unused]);
    expect([...grads.keys()]).toEqual([w, unused]);
    expect(grads.get(w)!.arraySync()).toEqual([5, 5]);
    expect(grads.get(unused)!.arraySync()).toEqual([0, 0]);
  });
});

describe('grad inside noGrad', () => {
  it('still computes the gradient that was asked for, and records nothing for anything outside', () => {
    const w = variable([1, 2]);
    const g = noGrad(() => grad((x: Tensor) => x.mul(w).square().sum())(tensor([3, 4])));
    expect(g.arraySync()).toEqual([2 * 3 * 1, 2 * 8 * 2]);
    expect(gradInfo(g)).toBeUndefined();
    expect(w.grad).toBeNull();
  });

  it('noGrad inside f cuts the gradient of what it computes', () => {
    const g = grad((x: Tensor) => x.mul(noGrad(() => x.mul(2))).sum())(tensor([1, 2]));
    expect(g.arraySync()).toEqual([2, 4]); // d/dx (x · const) where const = 2x
  });
});
