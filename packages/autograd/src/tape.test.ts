import type { Tensor } from '@backprop/core-tensor';
import * as T from '@backprop/core-tensor';
import { tensor } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import { grad, gradcheck, isRecording, noGrad, variable } from './index';
import type { Node } from './tape';
import { gradInfo } from './tape';
import { rand } from './testing';

/** Every node recorded behind `t`, outputs first. */
function nodesOf(t: Tensor): Node[] {
  const out: Node[] = [];
  const seen = new Set<Node>();
  const stack = [gradInfo(t)?.node];
  while (stack.length > 0) {
    const n = stack.pop();
    if (!n || seen.has(n)) continue;
    seen.add(n);
    out.push(n);
    for (const p of n.parents) stack.push(p?.node);
  }
  return out;
}

describe('recording', () => {
  it('records an op with a gradient rule as one node whose parents are its inputs', () => {
    const w = variable([1, -2, 3]);
    const y = T.relu(w);
    const nodes = nodesOf(y);
    expect(nodes.map((n) => n.name)).toEqual(['relu']);
    expect(nodes[0]!.parents[0]).toBe(gradInfo(w));
  });

  it('records nothing for tensors that do not depend on anything being differentiated', () => {
    const y = T.exp(tensor([1, 2]));
    expect(gradInfo(y)).toBeUndefined();
  });

  it('records nothing inside noGrad, and isRecording says so', () => {
    const w = variable([1, 2]);
    expect(isRecording()).toBe(true);
    const y = noGrad(() => {
      expect(isRecording()).toBe(false);
      return w.mul(2);
    });
    expect(isRecording()).toBe(true);
    expect(gradInfo(y)).toBeUndefined();
  });

  it('noGrad restores recording when its function throws', () => {
    expect(() =>
      noGrad(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(isRecording()).toBe(true);
  });

  it.each([
    ['gelu', (x: Tensor) => T.gelu(x)],
    ['gelu (tanh)', (x: Tensor) => T.gelu(x, true)],
    ['variance', (x: Tensor) => T.variance(x, 0)],
    ['swish', (x: Tensor) => T.swish(x, 2)],
    ['mean', (x: Tensor) => T.mean(x)],
  ])('traces %s, a composite op without a rule, through the primitives it calls', (name, f) => {
    const w = variable(rand([3, 2], 1).cast('float32'));
    const nodes = nodesOf(f(w));
    expect(nodes.length).toBeGreaterThan(1);
    expect(nodes.map((n) => n.name)).not.toContain(name.split(' ')[0]);
    // and the traced graph differentiates correctly
    gradcheck(f, [rand([3, 2], 2)]);
  });

  it('keeps alive only what each rule declares', () => {
    const a = variable([1, 2]);
    const b = variable([3, 4]);
    const saved = (t: Tensor): Node['saved'] => gradInfo(t)!.node!.saved;
    expect(saved(T.add(a, b))).toEqual({ inputs: [undefined, undefined], output: undefined });
    const e = T.exp(a);
    expect(saved(e)).toEqual({ inputs: [undefined], output: e });
    expect(saved(T.mul(a, b))!.inputs).toEqual([a, b]);
    expect(saved(T.log(a))).toEqual({ inputs: [a], output: undefined });
    const s = T.sum(a);
    expect(saved(s)).toEqual({ inputs: [undefined], output: undefined });
  });

  it('an op returning its input unchanged keeps the input’s history', () => {
    const w = variable([1, 2]);
    const y = T.exp(w);
    expect(T.reshape(y, [2])).toBe(y);
    expect(gradInfo(T.cast(y, 'float32'))).toBe(gradInfo(y));
  });
});

describe('integer and bool values get no gradient', () => {
  it('grad returns null for an int32 argument and a gradient for the float one', () => {
    const [gx, gi] = grad((x: Tensor, i: Tensor) => T.gather(x, i).sum())(
      tensor([1, 2, 3]),
      tensor([2, 2], undefined, 'int32'),
    );
    expect(gx!.arraySync()).toEqual([0, 0, 2]);
    expect(gi).toBeNull();
  });

  it('grad returns null for a bool argument', () => {
    const [gm, gx] = grad((m: Tensor, x: Tensor) => T.where(m, x, 0).sum())(
      tensor([true, false]),
      tensor([1, 2]),
    );
    expect(gm).toBeNull();
    expect(gx!.arraySync()).toEqual([1, 0]);
  });

  it('ops with an int or bool result are not recorded', () => {
    const w = variable([1, 5, 3]);
    expect(gradInfo(T.argmax(w))).toBeUndefined();
    expect(gradInfo(T.greater(w, 2))).toBeUndefined();
    expect(gradInfo(T.cast(w, 'int32'))).toBeUndefined();
  });

  it('only float variables can be trainable', () => {
    expect(() => variable(tensor([1, 2], undefined, 'int32'))).toThrow(/only float32\/float64/);
    const frozen = variable(tensor([1, 2], undefined, 'int32'), { trainable: false });
    expect(gradInfo(frozen)).toBeUndefined();
  });
});
