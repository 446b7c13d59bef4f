import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { Tensor } from '../index';
import * as bp from '../index';
import { ArgumentError, BackpropError } from '../index';
import { describeBackends } from '../testing/assert';
import type { Spec } from './harness';
import { dtypeArb, expectOutcome, floatDTypeArb, make, params, specArb } from './harness';

const sig = (x: number) => 1 / (1 + Math.exp(-x));
const erf = (x: number) => {
  // Abramowitz–Stegun 7.1.26, |error| < 1.5e-7 (independent of the backend's series).
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const p = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t;
  return Math.sign(x) * (1 - p * Math.exp(-x * x));
};
const SELU = [1.6732632423543772, 1.0507009873554805] as const;

// name: [call with a parameter p, float64 reference, a bad parameter or undefined when it takes none]
const ACTIVATIONS: Record<
  string,
  [(t: Tensor, p: number) => Tensor, (x: number, p: number) => number, unknown]
> = {
  relu: [(t) => bp.relu(t), (x) => (Number.isNaN(x) ? NaN : Math.max(x, 0)), undefined],
  relu6: [(t) => bp.relu6(t), (x) => (Number.isNaN(x) ? NaN : Math.min(Math.max(x, 0), 6)), undefined],
  leakyRelu: [(t, p) => bp.leakyRelu(t, p), (x, p) => (x > 0 ? x : p * x), 'a'],
  elu: [(t, p) => bp.elu(t, p), (x, p) => (x > 0 ? x : p * Math.expm1(x)), NaN],
  selu: [(t) => bp.selu(t), (x) => SELU[1] * (x > 0 ? x : SELU[0] * Math.expm1(x)), undefined],
  gelu: [
    (t) => bp.gelu(t),
    (x) => (Number.isFinite(x) ? 0.5 * x * (1 + erf(x / Math.SQRT2)) : x > 0 ? x : Number.isNaN(x) ? x : 0),
    undefined,
  ],
  swish: [
    (t, p) => bp.swish(t, p),
    (x, p) => (Number.isFinite(x) ? x * sig(p * x) : x > 0 ? x : Number.isNaN(x) ? x : 0),
    Infinity,
  ],
  silu: [
    (t) => bp.silu(t),
    (x) => (Number.isFinite(x) ? x * sig(x) : x > 0 ? x : Number.isNaN(x) ? x : 0),
    undefined,
  ],
  clip: [(t, p) => bp.clip(t, -p, p), (x, p) => (Number.isNaN(x) ? NaN : Math.min(Math.max(x, -p), p)), NaN],
};
// At −∞, gelu, swish and silu take their limit 0 (computed as written they would be −∞·0 = NaN).

describeBackends('property: activations', () => {
  for (const [name, [run, ref, bad]] of Object.entries(ACTIVATIONS)) {
    it(`${name}: float inputs match the reference; other dtypes give a same-shaped tensor or a typed error`, () => {
      const param = fc.double({ min: 0.05, max: 3, noNaN: true });
      fc.assert(
        fc.property(
          specArb(undefined, floatDTypeArb),
          specArb(undefined, dtypeArb, false),
          param,
          (f: Spec, other: Spec, p) => {
            const values = f.values.map((v) => (f.dtype === 'float32' ? Math.fround(ref(v, p)) : ref(v, p)));
            const tol =
              f.dtype === 'float32'
                ? { rtol: 2e-5, atol: 4e-7 }
                : { rtol: 1e-12, atol: name === 'gelu' ? 3e-7 : 1e-14 };
            expectOutcome(name, () => run(make(f), p), { shape: f.shape, dtype: f.dtype, values, ...tol });
            try {
              const out = run(make(other), p);
              expect(out.shape).toEqual(other.shape);
            } catch (e) {
              expect(e, `${name} on ${other.dtype}`).toBeInstanceOf(BackpropError);
            }
            if (bad !== undefined)
              expectOutcome(name, () => run(make(f), bad as number), { error: ArgumentError });
          },
        ),
        params(),
      );
    });
  }
});
