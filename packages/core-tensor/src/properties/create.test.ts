import fc from 'fast-check';
import { it } from 'vitest';
import type { DType } from '../index';
import * as bp from '../index';
import { ArgumentError, DTypeError, ShapeError } from '../index';
import { describeBackends } from '../testing/assert';
import { numel } from '../testing/reference';
import { dtypeArb, expectOutcome, params, shapeArb, store } from './harness';

/** Shapes for factories: valid ones, and dims that are negative, fractional, NaN or infinite. */
const anyShape = fc.oneof(
  { weight: 3, arbitrary: shapeArb(7, 64) },
  {
    weight: 1,
    arbitrary: fc.array(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom(-1, 1.5, NaN, Infinity)), {
      maxLength: 4,
    }),
  },
);
const validShape = (s: readonly number[]) => s.every((d) => Number.isInteger(d) && d >= 0);
const anyDType = fc.oneof(
  { weight: 6, arbitrary: dtypeArb },
  { weight: 1, arbitrary: fc.constant('int8' as DType) },
);

describeBackends('property: factories', () => {
  it('zeros / ones / full / tensor: the shape and dtype asked for, or ShapeError / DTypeError naming the factory', () => {
    fc.assert(
      fc.property(anyShape, anyDType, fc.double({ min: -1e3, max: 1e3 }), (shape, dtype, value) => {
        const n = validShape(shape) ? numel(shape) : 0;
        for (const [name, call, v] of [
          ['zeros', () => bp.zeros(shape, dtype), 0],
          ['ones', () => bp.ones(shape, dtype), 1],
          ['full', () => bp.full(shape, value, dtype), value],
        ] as const) {
          if (!validShape(shape)) expectOutcome(name, call, { error: ShapeError });
          else if (dtype === ('int8' as DType)) expectOutcome(name, call, { error: DTypeError });
          else
            expectOutcome(name, call, { shape, dtype, values: new Array<number>(n).fill(store(v, dtype)) });
        }
        const data = Array.from({ length: n }, (_, i) => i - 2.5);
        const t = () => bp.tensor(data, shape, dtype);
        if (!validShape(shape)) return expectOutcome('tensor', t, { error: ShapeError });
        if (dtype === ('int8' as DType)) return expectOutcome('tensor', t, { error: DTypeError });
        expectOutcome('tensor', t, { shape, dtype, values: data.map((v) => store(v, dtype)) });
        expectOutcome('tensor', () => bp.tensor([...data, 1], shape), { error: ShapeError });
      }),
      params(),
    );
  });

  it('arange / linspace / eye: NumPy’s lengths and values; non-finite or zero steps and bad counts are typed errors', () => {
    const num = fc.oneof(fc.integer({ min: -6, max: 6 }), fc.constantFrom(0.5, -1.25, NaN, Infinity));
    fc.assert(
      fc.property(
        num,
        num,
        num,
        fc.oneof(fc.integer({ min: -1, max: 5 }), fc.constant(2.5)),
        (start, stop, step, count) => {
          const a = () => bp.arange(start, stop, step);
          if (step === 0 || !Number.isFinite(step)) expectOutcome('arange', a, { error: ArgumentError });
          else if (!Number.isFinite(start) || !Number.isFinite(stop))
            expectOutcome('arange', a, { error: ArgumentError });
          else {
            const values: number[] = [];
            for (let i = 0; step > 0 ? start + i * step < stop : start + i * step > stop; i++)
              values.push(start + i * step);
            const dtype: DType = [start, stop, step].every(Number.isInteger) ? 'int32' : 'float32';
            expectOutcome('arange', a, {
              shape: [values.length],
              dtype,
              values: values.map((v) => store(v, dtype)),
            });
          }
          const l = () => bp.linspace(start, stop, count, 'float64');
          if (!Number.isInteger(count) || count < 0) expectOutcome('linspace', l, { error: ArgumentError });
          else {
            const values = Array.from({ length: count }, (_, i) =>
              count === 1 ? start : i === count - 1 ? stop : start + (i * (stop - start)) / (count - 1),
            );
            expectOutcome('linspace', l, {
              shape: [count],
              dtype: 'float64',
              values,
              rtol: 1e-15,
              atol: 1e-15,
            });
          }
          const e = () => bp.eye(count, count + 1, Number.isInteger(step) ? step : 0);
          if (!Number.isInteger(count) || count < 0) return expectOutcome('eye', e, { error: ShapeError });
          const k = Number.isInteger(step) ? step : 0;
          const values = Array.from({ length: count * (count + 1) }, (_, i) =>
            i % (count + 1) === Math.floor(i / (count + 1)) + k ? 1 : 0,
          );
          expectOutcome('eye', e, { shape: [count, count + 1], dtype: 'float32', values });
        },
      ),
      params(),
    );
  });
});

describeBackends('property: random ops', () => {
  it('randomUniform / randomNormal / truncatedNormal / randomInt / permutation: shapes, ranges, seeds; typed errors', () => {
    const range = fc.tuple(fc.integer({ min: -5, max: 5 }), fc.integer({ min: -5, max: 5 }));
    fc.assert(
      fc.property(
        anyShape,
        fc.constantFrom<DType>('float32', 'float64', 'int32'),
        range,
        fc.integer(),
        (shape, dtype, [lo, hi], seed) => {
          const opts = { seed, dtype };
          const ok = validShape(shape);
          const uni = () => bp.randomUniform(shape, { ...opts, minval: lo, maxval: hi });
          if (!ok) expectOutcome('randomUniform', uni, { error: ShapeError });
          else if (!(lo < hi)) expectOutcome('randomUniform', uni, { error: ArgumentError });
          else if (dtype === 'int32') expectOutcome('randomUniform', uni, { error: DTypeError });
          else {
            const t = uni();
            const v = t.dataSync();
            expectOutcome('randomUniform', () => t, { shape, dtype, values: v });
            if (!v.every((x) => x >= lo && x < hi))
              throw new Error(`randomUniform left [${lo}, ${hi}): ${Array.from(v).join()}`);
            expectOutcome('randomUniform', uni, { shape, dtype, values: v }); // same seed, same numbers
          }
          for (const name of ['randomNormal', 'truncatedNormal'] as const) {
            const call = () => bp[name](shape, { ...opts, mean: lo, stddev: hi });
            if (!ok) expectOutcome(name, call, { error: ShapeError });
            else if (hi < 0) expectOutcome(name, call, { error: ArgumentError });
            else if (dtype === 'int32') expectOutcome(name, call, { error: DTypeError });
            else {
              const v = call().dataSync();
              expectOutcome(name, call, { shape, dtype, values: v });
              if (!v.every(Number.isFinite)) throw new Error(`${name} gave a non-finite sample`);
              if (name === 'truncatedNormal' && !v.every((x) => Math.abs(x - lo) <= 2 * hi * (1 + 1e-6)))
                throw new Error('truncatedNormal sample beyond two standard deviations');
            }
          }
          const ri = () => bp.randomInt(shape, lo, hi, { seed });
          if (!ok) expectOutcome('randomInt', ri, { error: ShapeError });
          else if (!(lo < hi)) expectOutcome('randomInt', ri, { error: ArgumentError });
          else {
            const v = ri().dataSync();
            if (!v.every((x) => x >= lo && x < hi)) throw new Error('randomInt outside [low, high)');
            expectOutcome('randomInt', ri, { shape, dtype: 'int32', values: v });
          }
          const p = () => bp.permutation(hi, { seed });
          if (hi < 0) return expectOutcome('permutation', p, { error: ArgumentError });
          const v = Array.from(p().dataSync());
          expectOutcome('permutation', p, { shape: [hi], dtype: 'int32', values: v });
          if ([...v].sort((a, b) => a - b).join() !== Array.from({ length: hi }, (_, i) => i).join())
            throw new Error('permutation is not a permutation');
        },
      ),
      params(),
    );
  });
});
