import { describe, expect, it } from 'vitest';
import type { Tensor } from '../index';
import * as bp from '../index';
import { tensor } from '../index';
import { describeBackends, expectClose, randomValues, rng } from '../testing/assert';
import { erfRef } from '../testing/reference';

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

// Each activation with its textbook float64 formula and the call that runs it.
const CASES: { name: string; ref: (x: number) => number; run: (t: Tensor) => Tensor }[] = [
  { name: 'relu', ref: (x) => (x > 0 ? x : Number.isNaN(x) ? NaN : 0), run: (t) => bp.relu(t) },
  { name: 'relu6', ref: (x) => (Number.isNaN(x) ? NaN : x < 0 ? 0 : x > 6 ? 6 : x), run: (t) => bp.relu6(t) },
  { name: 'leakyRelu (default 0.2)', ref: (x) => (x > 0 ? x : 0.2 * x), run: (t) => bp.leakyRelu(t) },
  { name: 'leakyRelu 0.01', ref: (x) => (x > 0 ? x : 0.01 * x), run: (t) => bp.leakyRelu(t, 0.01) },
  { name: 'elu', ref: (x) => (x > 0 ? x : Math.exp(x) - 1), run: (t) => bp.elu(t) },
  { name: 'elu alpha 0.5', ref: (x) => (x > 0 ? x : 0.5 * (Math.exp(x) - 1)), run: (t) => bp.elu(t, 0.5) },
  {
    name: 'selu',
    ref: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * (Math.exp(x) - 1)),
    run: (t) => bp.selu(t),
  },
  { name: 'gelu (erf)', ref: (x) => 0.5 * x * (1 + erfRef(x / Math.SQRT2)), run: (t) => bp.gelu(t) },
  {
    name: 'gelu (tanh)',
    ref: (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))),
    run: (t) => bp.gelu(t, true),
  },
  { name: 'swish', ref: (x) => x * sigmoid(x), run: (t) => bp.swish(t) },
  { name: 'swish beta 2', ref: (x) => x * sigmoid(2 * x), run: (t) => bp.swish(t, 2) },
  { name: 'silu', ref: (x) => x * sigmoid(x), run: (t) => bp.silu(t) },
  {
    name: 'clip',
    ref: (x) => (Number.isNaN(x) ? NaN : Math.min(Math.max(x, -0.5), 2)),
    run: (t) => bp.clip(t, -0.5, 2),
  },
];

// ±1e3 must saturate cleanly; NaN must propagate. (−Inf is left out for gelu/swish: x·0 there is NaN in every
// framework, PyTorch included.)
const EXTREMES = [-1e3, -50, -1e-8, 0, 1e-8, 50, 1e3, NaN];

describeBackends('activations', () => {
  describe.each(CASES)('$name', ({ ref, run }) => {
    const xs = [...EXTREMES, ...randomValues(rng(3), 64, -8, 8)];
    it('matches the float64 formula', () => {
      const x = tensor(xs, undefined, 'float64');
      const y = run(x);
      expect(y.dtype).toBe('float64');
      expectClose(y.dataSync(), xs.map(ref), { rtol: 1e-11, atol: 1e-13 });
    });

    it('matches in float32 within float32 rounding of its intermediate steps', () => {
      const x = tensor(xs);
      const y = run(x);
      expect(y.dtype).toBe('float32');
      expectClose(y.dataSync(), Array.from(x.dataSync(), ref), { rtol: 1e-5, atol: 1e-6 });
    });
  });

  it('saturating activations stay finite and exact at the ends', () => {
    const x = tensor([-Infinity, Infinity], undefined, 'float64');
    expect(Array.from(bp.relu(x).dataSync())).toEqual([0, Infinity]);
    expect(Array.from(bp.relu6(x).dataSync())).toEqual([0, 6]);
    expect(Array.from(bp.elu(x).dataSync())).toEqual([-1, Infinity]);
    expect(Array.from(bp.selu(x).dataSync())).toEqual([-SELU_SCALE * SELU_ALPHA, Infinity]);
    expect(Array.from(bp.clip(x, -1, 1).dataSync())).toEqual([-1, 1]);
    expect(Array.from(bp.leakyRelu(x).dataSync())).toEqual([-Infinity, Infinity]);
  });

  it('relu keeps int32 and leakyRelu of int32 becomes float32', () => {
    expect(bp.relu(tensor([-2, 3], undefined, 'int32')).dtype).toBe('int32');
    const y = bp.leakyRelu(tensor([-2, 3], undefined, 'int32'));
    expect(y.dtype).toBe('float32');
    expectClose(y.dataSync(), [Math.fround(-0.4), 3]);
  });

  it('is available as chainable methods', () => {
    const x = tensor([-1.5, 0.5, 7]);
    const same = (a: Tensor, b: Tensor) => expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    same(x.relu(), bp.relu(x));
    same(x.relu6(), bp.relu6(x));
    same(x.leakyRelu(0.1), bp.leakyRelu(x, 0.1));
    same(x.elu(2), bp.elu(x, 2));
    same(x.selu(), bp.selu(x));
    same(x.gelu(true), bp.gelu(x, true));
    same(x.gelu(), bp.gelu(x));
    same(x.swish(3), bp.swish(x, 3));
    same(x.silu(), bp.silu(x));
    same(x.clip(0, 1), bp.clip(x, 0, 1));
  });
});
