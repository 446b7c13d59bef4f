import type { Tensor } from '@backprop/core-tensor';
import { memory, tensor } from '@backprop/core-tensor';
import { variable } from '@backprop/autograd';
import { describe, expect, it } from 'vitest';
import { Adadelta } from './adadelta';
import { Adagrad } from './adagrad';
import { Adam } from './adam';
import { Adamax } from './adamax';
import { AdamW } from './adamw';
import { Nadam } from './nadam';
import type { Optimizer } from './optimizer';
import { RMSprop } from './rmsprop';
import { exponentialDecay } from './schedules/decay';
import { SGD } from './sgd';

function snapshot(): [number, number] {
  const m = memory();
  return [m.numTensors, m.numBytes];
}

describe('memory stays flat', () => {
  it('over 1000 Adam steps (with clipping, weight decay and a schedule)', () => {
    const vars = [variable([[1, 2, 3]], { name: 'k' }), variable([0.5], { name: 'b' })];
    const grads: Tensor[] = [tensor([[0.1, -0.2, 0.3]]), tensor([0.05])];
    const opt = new Adam({
      learningRate: exponentialDecay({ initialLearningRate: 0.01, decaySteps: 100, decayRate: 0.9 }),
      globalClipnorm: 0.1,
      weightDecay: 0.01,
      amsgrad: true,
    });
    const pairs = vars.map((v, i) => [grads[i]!, v] as const);
    opt.applyGradients(pairs); // the first step creates the slots
    const before = snapshot();
    for (let i = 0; i < 1000; i++) opt.applyGradients(pairs);
    expect(snapshot()).toEqual(before);
    expect(opt.iterations).toBe(1001);
  });

  it('for every optimizer, through minimize', () => {
    const makers: (() => Optimizer)[] = [
      () => new SGD({ momentum: 0.9, clipnorm: 1 }),
      () => new RMSprop({ centered: true, momentum: 0.5, clipvalue: 1 }),
      () => new AdamW(),
      () => new Adagrad(),
      () => new Adadelta(),
      () => new Adamax(),
      () => new Nadam(),
    ];
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    const y = tensor([[1], [2]]);
    for (const make of makers) {
      const w = variable([[0.1], [0.2]]);
      const opt = make();
      const loss = () => x.matmul(w).sub(y).square().mean();
      opt.minimize(loss).dispose();
      const before = snapshot();
      for (let i = 0; i < 100; i++) opt.minimize(loss).dispose();
      expect(snapshot(), opt.className).toEqual(before);
    }
  });
});
