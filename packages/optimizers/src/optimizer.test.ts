import type { Tensor } from '@backprop/core-tensor';
import { ArgumentError, DTypeError, ShapeError, tensor } from '@backprop/core-tensor';
import { variable } from '@backprop/autograd';
import { describe, expect, it } from 'vitest';
import { Adam } from './adam';
import { piecewiseConstant } from './schedules/decay';
import { SGD } from './sgd';

const values = (t: Tensor): number[] => Array.from(t.dataSync());

describe('Optimizer.applyGradients', () => {
  it('counts iterations and evaluates a schedule at iterations (0 for the first update)', () => {
    const w = variable(tensor([1], undefined, 'float64'));
    const lr = piecewiseConstant({ boundaries: [0, 1], values: [0.5, 0.25, 0.125] });
    const opt = new SGD({ learningRate: lr });
    const g = tensor([1], undefined, 'float64');
    const rates: number[] = [];
    for (let i = 0; i < 4; i++) {
      rates.push(opt.currentLearningRate());
      opt.applyGradients([[g, w]]);
    }
    expect(opt.iterations).toBe(4);
    expect(rates).toEqual([0.5, 0.25, 0.125, 0.125]);
    expect(w.item()).toBeCloseTo(1 - 0.5 - 0.25 - 0.125 - 0.125, 12);
  });

  it('lets callbacks change the learning rate between steps, and validates it', () => {
    const w = variable(tensor([0], undefined, 'float64'));
    const opt = new SGD({ learningRate: 0.1 });
    opt.applyGradients([[tensor([1], undefined, 'float64'), w]]);
    opt.learningRate = 0.01;
    opt.applyGradients([[tensor([1], undefined, 'float64'), w]]);
    expect(w.item()).toBeCloseTo(-0.11, 12);
    expect(() => (opt.learningRate = -1)).toThrow(ArgumentError);
    expect(() => (opt.learningRate = Number.NaN)).toThrow(/learningRate must be a finite number/);
  });

  it('skips null gradients, and refuses a call where every gradient is null', () => {
    const a = variable([1, 2], { name: 'a' });
    const b = variable([3], { name: 'b' });
    const opt = new Adam({ learningRate: 0.1 });
    opt.applyGradients([
      [tensor([1, 1]), a],
      [null, b],
    ]);
    expect(values(b)).toEqual([3]);
    expect(Object.keys(opt.getState().slots)).toEqual(['a']);
    expect(() => opt.applyGradients([[null, b]])).toThrow(/no gradient for any variable \("b"\)/);
  });

  it('does nothing for an empty list (a model without trainable weights)', () => {
    const opt = new SGD();
    opt.applyGradients([]);
    expect(opt.iterations).toBe(0);
  });

  it('checks shapes, dtypes and duplicates, naming the variable', () => {
    const w = variable([1, 2, 3], { name: 'kernel' });
    const opt = new SGD();
    expect(() => opt.applyGradients([[tensor([1, 2]), w]])).toThrow(ShapeError);
    expect(() => opt.applyGradients([[tensor([1, 2]), w]])).toThrow(/gradient for "kernel" has shape \[2\]/);
    expect(() =>
      opt.applyGradients([
        [tensor([1, 2, 3]), w],
        [tensor([1, 2, 3]), w],
      ]),
    ).toThrow(/"kernel" appears more than once/);
    const counter = variable(tensor([1], undefined, 'int32'), { trainable: false, name: 'count' });
    expect(() => opt.applyGradients([[tensor([1], undefined, 'int32'), counter]])).toThrow(DTypeError);
  });

  it('casts the gradient to the variable’s dtype and computes in it', () => {
    const w = variable(tensor([1], undefined, 'float64'));
    new SGD({ learningRate: 0.1 }).applyGradients([[tensor([0.3]), w]]); // float32 gradient
    expect(w.dtype).toBe('float64');
    expect(w.item()).toBeCloseTo(1 - 0.1 * Math.fround(0.3), 15);
  });

  it('keeps each variable’s slots apart', () => {
    const a = variable(tensor([0], undefined, 'float64'));
    const b = variable(tensor([0], undefined, 'float64'));
    const opt = new SGD({ learningRate: 1, momentum: 0.5 });
    opt.applyGradients([[tensor([1], undefined, 'float64'), a]]);
    opt.applyGradients([[tensor([1], undefined, 'float64'), b]]);
    // a: v = −1; b's first step must not see a's velocity.
    expect(b.item()).toBe(-1);
    opt.applyGradients([[tensor([0], undefined, 'float64'), a]]);
    expect(a.item()).toBe(-1.5);
  });
});

describe('weight decay', () => {
  it('is decoupled: w ← w − lr·wd·w, then the optimizer’s own step', () => {
    const w = variable(tensor([2, -4], undefined, 'float64'));
    const opt = new SGD({ learningRate: 0.1, weightDecay: 0.5 });
    opt.applyGradients([[tensor([1, 1], undefined, 'float64'), w]]);
    expect(values(w)).toEqual([2 - 0.1 * 0.5 * 2 - 0.1, -4 - 0.1 * 0.5 * -4 - 0.1]);
  });

  it('skips excluded variables, by object or by name', () => {
    const kernel = variable(tensor([1], undefined, 'float64'), { name: 'dense/kernel' });
    const bias = variable(tensor([1], undefined, 'float64'), { name: 'dense/bias' });
    const gamma = variable(tensor([1], undefined, 'float64'), { name: 'bn/gamma' });
    const opt = new SGD({ learningRate: 0.1, weightDecay: 1 });
    opt.excludeFromWeightDecay({ variables: [gamma], names: ['bias'] });
    const zero = tensor([0], undefined, 'float64');
    opt.applyGradients([
      [zero, kernel],
      [zero, bias],
      [zero, gamma],
    ]);
    expect([kernel.item(), bias.item(), gamma.item()]).toEqual([0.9, 1, 1]);
  });

  it('rejects a negative weight decay', () => {
    expect(() => new Adam({ weightDecay: -0.1 })).toThrow(ArgumentError);
  });
});

describe('Optimizer.minimize', () => {
  it('computes the gradients, applies them and returns the loss value', () => {
    const w = variable(tensor([3], undefined, 'float64'));
    const opt = new SGD({ learningRate: 0.25 });
    const loss = opt.minimize(() => w.square().sum()); // d/dw w² = 2w = 6
    expect(loss.item()).toBe(9);
    expect(w.item()).toBe(3 - 0.25 * 6);
    expect(opt.iterations).toBe(1);
  });

  it('updates only the variables it is given, and skips those the loss does not reach', () => {
    const a = variable(tensor([1], undefined, 'float64'), { name: 'a' });
    const b = variable(tensor([1], undefined, 'float64'), { name: 'b' });
    const unused = variable(tensor([1], undefined, 'float64'), { name: 'unused' });
    const opt = new Adam({ learningRate: 0.1 });
    opt.minimize(() => a.mul(b).sum(), [a, unused]);
    expect(a.item()).not.toBe(1);
    expect(b.item()).toBe(1);
    expect(unused.item()).toBe(1);
    expect(Object.keys(opt.getState().slots)).toEqual(['a']); // no slots (no Adam step) for the unreached one
  });

  it('updates every variable the loss reaches when none are given', () => {
    const a = variable(tensor([1], undefined, 'float64'));
    const b = variable(tensor([2], undefined, 'float64'));
    new SGD({ learningRate: 0.5 }).minimize(() => a.mul(b).sum());
    expect([a.item(), b.item()]).toEqual([1 - 0.5 * 2, 2 - 0.5 * 1]);
  });

  it('refuses a loss that is not a scalar', () => {
    const a = variable([1, 2]);
    expect(() => new SGD().minimize(() => a.mul(2))).toThrow(/scalar/);
  });
});

describe('Optimizer.step (PyTorch style)', () => {
  it('applies each variable’s .grad, skips variables without one, and leaves .grad alone', () => {
    const a = variable(tensor([1], undefined, 'float64'));
    const b = variable(tensor([5], undefined, 'float64'));
    a.square().sum().backward();
    const opt = new SGD({ learningRate: 0.1 });
    opt.step([a, b]);
    expect(a.item()).toBeCloseTo(0.8, 15);
    expect(b.item()).toBe(5);
    expect(a.grad?.item()).toBe(2); // zeroGrad is the caller's job, as in PyTorch
    expect(opt.iterations).toBe(1);
    opt.step([b]); // nothing has a gradient: no step
    expect(opt.iterations).toBe(1);
  });
});

describe('clipping options', () => {
  it('allow only one of clipnorm, clipvalue and globalClipnorm', () => {
    expect(() => new SGD({ clipnorm: 1, globalClipnorm: 1 })).toThrow(/at most one of clipnorm/);
    expect(() => new SGD({ clipnorm: 1, clipvalue: 1 })).toThrow(ArgumentError);
    expect(() => new SGD({ clipnorm: 0 })).toThrow(/clipnorm must be a finite number > 0/);
    expect(new SGD({ clipnorm: null, clipvalue: 2 }).clipvalue).toBe(2);
  });
});
