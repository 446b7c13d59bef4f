import { DTypeError, ShapeError, StateError, tensor, zeros } from '@backprop/core-tensor';
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
import { cosineDecay } from './schedules/cosine';
import { SGD } from './sgd';
import { makeVariables, runSteps } from './testing/trajectory';

// Options that give each optimizer all of its slots, plus a schedule, so every piece of state must come back.
const makers: [string, () => Optimizer][] = [
  ['SGD', () => new SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true })],
  ['RMSprop', () => new RMSprop({ learningRate: 0.01, momentum: 0.5, centered: true })],
  [
    'Adam',
    () =>
      new Adam({ learningRate: cosineDecay({ initialLearningRate: 0.05, decaySteps: 8 }), amsgrad: true }),
  ],
  ['AdamW', () => new AdamW({ learningRate: 0.02, weightDecay: 0.1 })],
  ['Adagrad', () => new Adagrad({ learningRate: 0.1 })],
  ['Adadelta', () => new Adadelta({ learningRate: 1 })],
  ['Adamax', () => new Adamax({ learningRate: 0.02 })],
  ['Nadam', () => new Nadam({ learningRate: 0.02 })],
];

describe('getState / setState: exact resume', () => {
  for (const [name, make] of makers) {
    it(`${name}: a restored optimizer continues bit-identically to an uninterrupted one (float32)`, () => {
      const uninterrupted = runSteps(make(), makeVariables('float32', 'w'), 0, 8).slice(4);

      const first = make();
      const firstVars = makeVariables('float32', 'w');
      runSteps(first, firstVars, 0, 4);
      const saved = first.getState();
      expect(saved.iterations).toBe(4);
      const weights = firstVars.map((v) => v.dataSync());

      // A new process: new optimizer, new variables with the same names holding the saved weights.
      const second = make();
      const secondVars = makeVariables('float32', 'w');
      secondVars.forEach((v, k) => v.assign(tensor(weights[k]!, [...v.shape], 'float32')));
      second.setState(saved);
      expect(second.iterations).toBe(4);
      expect(runSteps(second, secondVars, 4, 8)).toEqual(uninterrupted);
    });
  }

  it('returns copies: later steps neither change nor dispose a saved state', () => {
    const opt = new Adam({ learningRate: 0.1 });
    const vars = makeVariables('float32');
    runSteps(opt, vars, 0, 2);
    const saved = opt.getState();
    const m = saved.slots.w0!.momentum!;
    const before = [...m.dataSync()];
    runSteps(opt, vars, 2, 5);
    expect(m.isDisposed).toBe(false);
    expect([...m.dataSync()]).toEqual(before);
    expect(Object.keys(saved.slots.w0!)).toEqual(['momentum', 'velocity']);
  });

  it('copies on restore too: the caller may dispose the state it passed in', () => {
    const a = new SGD({ learningRate: 0.1, momentum: 0.9 });
    const vars = makeVariables('float64');
    runSteps(a, vars, 0, 2);
    const saved = a.getState();
    const b = new SGD({ learningRate: 0.1, momentum: 0.9 });
    b.setState(saved);
    Object.values(saved.slots).forEach((r) => Object.values(r).forEach((t) => t.dispose()));
    expect(() => runSteps(b, makeVariables('float64'), 2, 4)).not.toThrow();
  });

  it('replaces the whole state: variables missing from it start over with fresh slots', () => {
    const opt = new SGD({ learningRate: 1, momentum: 0.5 });
    const w = variable(tensor([0], undefined, 'float64'), { name: 'solo' });
    opt.applyGradients([[tensor([1], undefined, 'float64'), w]]);
    opt.setState({ iterations: 0, slots: {} });
    opt.applyGradients([[tensor([1], undefined, 'float64'), w]]);
    expect(w.item()).toBe(-2); // a fresh velocity: −1 again, not −1.5
    expect(opt.iterations).toBe(1);
  });

  it('checks slots against variables it already knows: missing slot, shape, dtype', () => {
    const opt = new Adam();
    const w = variable(zeros([2]), { name: 'k' });
    opt.applyGradients([[tensor([1, 1]), w]]);
    const good = opt.getState();
    expect(() => opt.setState({ iterations: 1, slots: { k: { momentum: zeros([2]) } } })).toThrow(StateError);
    expect(() =>
      opt.setState({ iterations: 1, slots: { k: { momentum: zeros([3]), velocity: zeros([3]) } } }),
    ).toThrow(ShapeError);
    expect(() =>
      opt.setState({
        iterations: 1,
        slots: { k: { momentum: zeros([2], 'float64'), velocity: zeros([2], 'float64') } },
      }),
    ).toThrow(DTypeError);
    expect(() => opt.setState({ ...good, iterations: -1 })).toThrow(/iterations must be an integer ≥ 0/);
  });

  it('checks restored slots of a not-yet-seen variable at its first update', () => {
    const opt = new Adam();
    opt.setState({ iterations: 3, slots: { later: { momentum: zeros([5]), velocity: zeros([5]) } } });
    const later = variable(zeros([2]), { name: 'later' });
    expect(() => opt.applyGradients([[tensor([1, 1]), later]])).toThrow(
      /slot 'momentum' of "later" has shape \[5\]/,
    );
  });

  it('keeps restored slots of variables not seen yet in getState', () => {
    const opt = new Adagrad();
    opt.setState({ iterations: 2, slots: { pending: { accumulator: tensor([7]) } } });
    expect([...opt.getState().slots.pending!.accumulator!.dataSync()]).toEqual([7]);
  });

  it('refuses to key state by a name two variables share', () => {
    const opt = new Adagrad();
    const a = variable([1], { name: 'same' });
    const b = variable([1], { name: 'same' });
    opt.applyGradients([
      [tensor([1]), a],
      [tensor([1]), b],
    ]);
    expect(() => opt.getState()).toThrow(/two variables are named "same"/);
  });
});
