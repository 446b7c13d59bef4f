import type { Tensor } from '@backprop/core-tensor';
import * as T from '@backprop/core-tensor';
import { ArgumentError, ShapeError, scope, tensor } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import { defineOp, grad, gradcheck, variable } from './index';
import { gradInfo } from './tape';
import { rand } from './testing';

// The straight-through estimator (Bengio et al., 2013): round in the forward pass, identity in the backward pass,
// so a quantized network can still be trained. round's own gradient is 0 almost everywhere.
const roundSTE = defineOp({
  name: 'test.roundSTE',
  forward: ([x]) => T.round(x!),
  backward: (dy) => [dy],
});

describe('defineOp', () => {
  it('a straight-through estimator: forward rounds, backward passes the gradient through', () => {
    const x = tensor([0.2, 1.7, -0.6]);
    expect(roundSTE(x).arraySync()).toEqual([0, 2, -1]);
    expect(
      grad((a: Tensor) =>
        roundSTE(a)
          .mul(tensor([1, 2, 3]))
          .sum(),
      )(x).arraySync(),
    ).toEqual([1, 2, 3]);
    expect(grad((a: Tensor) => T.round(a).sum())(x).arraySync()).toEqual([0, 0, 0]);
  });

  it('is recorded as one node, like a built-in op, and works with loss.backward()', () => {
    const w = variable([0.4, 0.6]);
    const y = roundSTE(w);
    expect(gradInfo(y)!.node!.name).toBe('test.roundSTE');
    expect(gradInfo(y)!.node!.parents[0]).toBe(gradInfo(w));
    y.square().sum().backward(); // d/dw round(w)² ≈ 2·round(w)
    expect(w.grad!.arraySync()).toEqual([0, 2]);
  });

  it('several inputs and attributes; the backward sees inputs, output and attrs', () => {
    const scaledMul = defineOp<{ scale: number }>({
      name: 'test.scaledMul',
      forward: ([a, b], { scale }) => T.mul(T.mul(a!, b!), scale),
      backward: (dy, { inputs: [a, b], attrs: { scale } }) => [
        T.mul(T.mul(dy, b!), scale),
        T.mul(T.mul(dy, a!), scale),
      ],
    });
    gradcheck((a, b) => scaledMul([a, b], { scale: 3 }), [rand([2, 3], 1), rand([3], 2)]);
  });

  it('a gradient may have the broadcast output shape: the engine sums it back', () => {
    const addOp = defineOp({
      name: 'test.add',
      forward: ([a, b]) => T.add(a!, b!),
      backward: (dy) => [dy, dy],
    });
    gradcheck((a, b) => addOp([a, b]), [rand([2, 3], 3), rand([1, 3], 4)]);
  });

  it('a backward written with tensor ops is itself differentiable', () => {
    const cube = defineOp({
      name: 'test.cube',
      forward: ([x]) => T.pow(x!, 3),
      backward: (dy, { inputs: [x] }) => [T.mul(dy, T.mul(T.square(x!), 3))],
    });
    const d2 = grad((x: Tensor) => grad((y: Tensor) => cube(y).sum())(x).sum())(tensor([1, 2]));
    expect(d2.arraySync()).toEqual([6, 12]);
  });

  it('null means no gradient for that input', () => {
    const scaleBy = defineOp({
      name: 'test.scaleBy',
      forward: ([x, s]) => T.mul(x!, s!),
      backward: (dy, { inputs: [, s] }) => [T.mul(dy, s!), null],
    });
    const [gx, gs] = grad((x: Tensor, s: Tensor) => scaleBy([x, s]).sum())(tensor([1, 2]), tensor(3));
    expect(gx!.arraySync()).toEqual([3, 3]);
    expect(gs!.item()).toBe(0);
  });

  it('a wrong gradient is caught by gradcheck', () => {
    const badSquare = defineOp({
      name: 'test.badSquare',
      forward: ([x]) => T.square(x!),
      backward: (dy, { inputs: [x] }) => [T.mul(dy, x!)], // should be 2x
    });
    expect(() => gradcheck((x) => badSquare(x), [rand([3], 5)])).toThrow(/disagree with finite differences/);
  });

  it('rejects taken names: built-in ops (with or without a rule) and ops already defined', () => {
    expect(() => defineOp({ name: 'matmul', forward: ([x]) => x!, backward: (dy) => [dy] })).toThrow(
      ArgumentError,
    );
    expect(() => defineOp({ name: 'gelu', forward: ([x]) => x!, backward: (dy) => [dy] })).toThrow(
      /is taken/,
    );
    expect(() => defineOp({ name: 'test.roundSTE', forward: ([x]) => x!, backward: (dy) => [dy] })).toThrow(
      /is taken/,
    );
  });

  it('rejects the name of every function core-tensor exports: a composite op (tile, stack, silu, …) is dispatched under its own name, and a rule there would silently replace its traced gradient', () => {
    const names = Object.keys(T).filter((k) => typeof (T as Record<string, unknown>)[k] === 'function');
    expect(names.length).toBeGreaterThan(50);
    for (const name of names)
      expect(() => defineOp({ name, forward: ([x]) => x!, backward: (dy) => [dy] }), name).toThrow(
        /is taken/,
      );
    // tile's gradient is still the traced one: each input element gets the sum over its copies
    expect(grad((a: Tensor) => T.tile(a, [3]).sum())(tensor([1, 2])).arraySync()).toEqual([3, 3]);
  });

  it('says clearly when backward returns the wrong number or shape of gradients', () => {
    const tooFew = defineOp({
      name: 'test.tooFew',
      forward: ([a, b]) => T.add(a!, b!),
      backward: (dy) => [dy],
    });
    expect(() => grad((a: Tensor) => tooFew([a, a]).sum())(tensor([1]))).toThrow(/expected 2, got 1/);
    const wrongShape = defineOp({
      name: 'test.wrongShape',
      forward: ([a]) => T.sum(a!),
      backward: (dy) => [T.reshape(dy, [1, 1])],
    });
    expect(() => grad((a: Tensor) => wrongShape(a))(tensor([1, 2, 3]))).toThrow(ShapeError);
    expect(() => grad((a: Tensor) => wrongShape(a))(tensor([1, 2, 3]))).toThrow(
      /gradient of shape \[1,1\] for input 0 of shape \[3\]/,
    );
  });

  it('says clearly when forward does not return a tensor', () => {
    const broken = defineOp({
      name: 'test.broken',
      forward: () => 1 as unknown as Tensor,
      backward: (dy) => [dy],
    });
    expect(() => broken(tensor([1]))).toThrow(/forward must return a Tensor/);
  });

  it('accepts plain arrays as inputs', () => {
    expect(roundSTE([1.2, 2.8]).arraySync()).toEqual([1, 3]);
  });
});

describe('defineOp save: what the backward pass keeps alive', () => {
  // Finds the node of `t` (its op must have been recorded) and returns what it saved.
  const savedOf = (t: Tensor): { inputs: (Tensor | undefined)[]; output: Tensor | undefined } =>
    gradInfo(t)!.node!.saved!;

  it('keeps every input and the output by default', () => {
    const a = variable([1, 2]);
    const b = variable([3, 4]);
    const plain = defineOp({
      name: 'test.save.default',
      forward: ([x, y]) => T.mul(x!, y!),
      backward: (dy, { inputs: [x, y] }) => [T.mul(dy, y!), T.mul(dy, x!)],
    });
    const y = plain([a, b]);
    expect(savedOf(y).inputs).toEqual([a, b]);
    expect(savedOf(y).output).toBe(y);
  });

  it('keeps only the declared inputs and output; backward sees undefined for the rest', () => {
    let seen: { inputs: (Tensor | undefined)[]; output: Tensor | undefined } | undefined;
    const scaleByFirst = defineOp({
      name: 'test.save.some',
      forward: ([s, x]) => T.mul(s!, x!),
      backward: (dy, saved) => {
        seen = { inputs: saved.inputs, output: saved.output };
        return [null, T.mul(dy, saved.inputs[0]!)];
      },
      save: { inputs: [0], output: false },
    });
    const s = tensor(3);
    const x = variable([1, 2]);
    const y = scaleByFirst([s, x]);
    expect(savedOf(y).inputs).toEqual([s, undefined]);
    expect(savedOf(y).output).toBeUndefined();
    y.sum().backward();
    expect(x.grad!.arraySync()).toEqual([3, 3]);
    expect(seen!.inputs[0]).toBe(s);
    expect(seen!.inputs[1]).toBeUndefined();
    expect(seen!.output).toBeUndefined();
  });

  it("'none' and output: true keep only the output (a derivative written with the result, like exp's)", () => {
    const myExp = defineOp({
      name: 'test.save.exp',
      forward: ([x]) => T.exp(x!),
      backward: (dy, { output }) => [T.mul(dy, output!)],
      save: { inputs: 'none', output: true },
    });
    const x = variable([0.5, -1]);
    const y = myExp(x);
    expect(savedOf(y).inputs).toEqual([undefined]);
    expect(savedOf(y).output).toBe(y);
    gradcheck((a) => myExp(a), [rand([2, 3], 7)]);
  });

  it('an input it does not keep is collectable by the garbage collector before backward() runs', async () => {
    const { setFlagsFromString } = await import('node:v8');
    const { runInNewContext } = await import('node:vm');
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const collected = async (ref: WeakRef<Tensor>): Promise<boolean> => {
      for (let i = 0; i < 5 && ref.deref(); i++) {
        await new Promise((r) => setTimeout(r, 0));
        gc();
      }
      return ref.deref() === undefined;
    };
    const w = variable([1, 2, 3]);
    const make = (save: 'all' | 'none'): { loss: Tensor; ref: WeakRef<Tensor> } => {
      const ste = defineOp({
        name: `test.save.gc.${save}`,
        forward: ([x]) => T.round(x!),
        backward: (dy) => [dy],
        save: { inputs: save, output: false },
      });
      const h = w.mul(1.7); // only the custom op holds it once make() returns
      return { loss: ste(h).sum(), ref: new WeakRef(h) };
    };
    const keeping = make('all');
    const releasing = make('none');
    expect(await collected(keeping.ref)).toBe(false); // saved: the live graph holds it
    expect(await collected(releasing.ref)).toBe(true); // not saved: gone before backward
    releasing.loss.backward();
    expect(w.grad!.arraySync()).toEqual([1.7, 1.7, 1.7].map(Math.fround));
    keeping.loss.backward(); // keeps `keeping` alive to here
  });

  it('an unsaved input may be disposed before backward(), which a saved one may not', () => {
    const w = variable([1, 2]);
    const ste = (save: 'all' | 'none') =>
      defineOp({
        name: `test.save.scope.${save}`,
        forward: ([x]) => T.round(x!),
        backward: (dy) => [dy],
        save: { inputs: save, output: false },
      });
    const lean = ste('none');
    const loss = scope(() => lean(w.add(0.5)).sum()); // the scope disposes w + 0.5 (add saves nothing)
    loss.backward();
    expect(w.grad!.arraySync()).toEqual([1, 1]);
    const greedy = ste('all');
    const loss2 = scope(() => greedy(w.add(0.5)).sum());
    expect(() => loss2.backward()).toThrow(/was disposed/);
  });

  it('rejects a malformed save, and an input index the call does not have', () => {
    const def = (save: unknown) => () =>
      defineOp({
        name: `test.save.bad.${JSON.stringify(save)}`,
        forward: ([x]) => x!,
        backward: (dy) => [dy],
        save: save as { inputs: 'all' },
      });
    expect(def({ inputs: 'some' })).toThrow(ArgumentError);
    expect(def({ inputs: [0, -1] })).toThrow(/array of input indices/);
    expect(def({ inputs: [0.5] })).toThrow(/array of input indices/);
    expect(def({ output: 'yes' })).toThrow(/save.output .* must be a boolean/);
    expect(def(3)).toThrow(/must be an object/);
    const firstOfTwo = defineOp({
      name: 'test.save.beyond',
      forward: ([x]) => x!,
      backward: (dy) => [dy],
      save: { inputs: [1] },
    });
    expect(() => firstOfTwo(tensor([1]))).toThrow(
      /save.inputs keeps input 1, but the op was called with 1 input/,
    );
  });
});
