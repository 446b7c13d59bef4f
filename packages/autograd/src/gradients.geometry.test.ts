import type { Conv2DOptions, Padding, Pool2DOptions } from '@backprop/core-tensor';
import * as T from '@backprop/core-tensor';
import { tensor } from '@backprop/core-tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gradcheck } from './index';
import { dimsArb, oneAxisArb, permArb, sliceArb } from './testing.arbitraries';
import { FC, broadcastPairArb, distinct, rand } from './testing';

// Movement, indexing, convolution and pooling over random ranks, axes and geometries; the fixed-shape tests
// (gradients.movement/conv.test.ts) name the individual cases. Sizes stay small for gradcheck's sake.
const RUNS = { ...FC, numRuns: 16 } as const;
const seedArb = fc.nat(1000);
const normalize = (axis: number, rank: number): number => (axis < 0 ? axis + rank : axis);

describe('movement ops over random shapes (gradcheck)', () => {
  it('transpose (default reversal and random permutations) and permute', () => {
    const arb = dimsArb(0, 4, 1, 2).chain((shape) =>
      fc.tuple(fc.constant(shape), fc.option(permArb(shape.length), { nil: undefined }), seedArb),
    );
    fc.assert(
      fc.property(arb, ([shape, perm, seed]) => {
        const x = rand(shape, seed);
        expect(gradcheck((a) => T.transpose(a, perm), [x]).ok).toBe(true);
        if (perm) expect(gradcheck((a) => T.permute(a, perm), [x]).ok).toBe(true);
      }),
      RUNS,
    );
  });

  it('slice with random bounds (negative, null, out of range) and steps (negative, > 1)', () => {
    const arb = dimsArb(1, 3, 1, 4).chain((shape) =>
      fc.tuple(fc.constant(shape), sliceArb(shape), fc.nat(shape.length), seedArb),
    );
    fc.assert(
      fc.property(arb, ([shape, { begin, end, step }, keep, seed]) => {
        // trailing axes left out of `begin` are taken whole
        const b = begin.slice(0, Math.max(1, keep));
        expect(
          gradcheck(
            (a) => T.slice(a, b, end.slice(0, b.length), step.slice(0, b.length)),
            [rand(shape, seed)],
          ).ok,
        ).toBe(true);
      }),
      { ...RUNS, numRuns: 30 },
    );
  });

  it('pad with random widths per side and a random value', () => {
    const arb = dimsArb(0, 3).chain((shape) =>
      fc.tuple(
        fc.constant(shape),
        fc.array(fc.tuple(fc.nat(2), fc.nat(2)), { minLength: shape.length, maxLength: shape.length }),
        fc.constantFrom(0, -1.5, 3),
        seedArb,
      ),
    );
    fc.assert(
      fc.property(arb, ([shape, paddings, value, seed]) => {
        expect(gradcheck((a) => T.pad(a, paddings, value), [rand(shape, seed)]).ok).toBe(true);
      }),
      RUNS,
    );
  });

  it('concat of 1–3 tensors of different lengths along a random axis', () => {
    const arb = dimsArb(1, 3).chain((shape) =>
      fc.tuple(
        fc.constant(shape),
        oneAxisArb(shape.length),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
        seedArb,
      ),
    );
    fc.assert(
      fc.property(arb, ([shape, axis, lengths, seed]) => {
        const ax = normalize(axis, shape.length);
        const parts = lengths.map((n, i) =>
          rand(
            shape.map((d, k) => (k === ax ? n : d)),
            seed + i,
          ),
        );
        expect(gradcheck((...xs) => T.concat(xs, axis), parts).ok).toBe(true);
      }),
      RUNS,
    );
  });

  it('stack of 1–3 tensors along a random new axis', () => {
    const arb = dimsArb(0, 3).chain((shape) =>
      fc.tuple(
        fc.constant(shape),
        fc.integer({ min: -shape.length - 1, max: shape.length }),
        fc.integer({ min: 1, max: 3 }),
        seedArb,
      ),
    );
    fc.assert(
      fc.property(arb, ([shape, axis, n, seed]) => {
        const parts = Array.from({ length: n }, (_, i) => rand(shape, seed + i));
        expect(gradcheck((...xs) => T.stack(xs, axis), parts).ok).toBe(true);
      }),
      RUNS,
    );
  });

  it('split into random sizes (zero-sized parts included) or equal parts; each part weighted differently', () => {
    const arb = dimsArb(1, 3, 1, 4).chain((shape) =>
      oneAxisArb(shape.length).chain((axis) => {
        const n = shape[normalize(axis, shape.length)]!;
        const divisors = Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);
        const sizes = fc.oneof(
          fc.constantFrom(...divisors),
          // cut points in [0, n] give part sizes that add up to n
          fc
            .array(fc.integer({ min: 0, max: n }), { maxLength: 3 })
            .map((cuts) => [0, ...[...cuts].sort((p, q) => p - q), n])
            .map((c) => c.slice(1).map((v, i) => v - c[i]!)),
        );
        return fc.tuple(fc.constant(shape), fc.constant(axis), sizes, seedArb);
      }),
    );
    fc.assert(
      fc.property(arb, ([shape, axis, sizes, seed]) => {
        const f = (a: T.Tensor): T.Tensor =>
          T.concat(
            T.split(a, sizes, axis).map((p, i) => p.mul(i + 1)),
            axis,
          );
        expect(gradcheck(f, [rand(shape, seed)]).ok).toBe(true);
      }),
      RUNS,
    );
  });

  it('broadcastTo a random target shape sums the copies back', () => {
    fc.assert(
      fc.property(broadcastPairArb(), seedArb, ([a, b], seed) => {
        const target = T.broadcastShapes('test', a, b);
        expect(gradcheck((x) => T.broadcastTo(x, target), [rand(a, seed)]).ok).toBe(true);
      }),
      RUNS,
    );
  });

  it('tile with random repetitions (0 included)', () => {
    const arb = dimsArb(0, 3, 1, 2).chain((shape) =>
      fc.tuple(
        fc.constant(shape),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: shape.length, maxLength: shape.length }),
        seedArb,
      ),
    );
    fc.assert(
      fc.property(arb, ([shape, reps, seed]) => {
        expect(gradcheck((a) => T.tile(a, reps), [rand(shape, seed)]).ok).toBe(true);
      }),
      RUNS,
    );
  });
});

// Indices of any rank 0–2, drawn with repetitions so that gather's gradient has to accumulate.
const indicesArb = (n: number): fc.Arbitrary<{ shape: number[]; values: number[] }> =>
  dimsArb(0, 2).chain((shape) =>
    fc
      .array(fc.integer({ min: 0, max: n - 1 }), {
        minLength: shape.reduce((p, d) => p * d, 1),
        maxLength: shape.reduce((p, d) => p * d, 1),
      })
      .map((values) => ({ shape, values })),
  );

describe('gather and scatterAdd over random shapes, axes and indices (gradcheck)', () => {
  const arb = dimsArb(1, 3).chain((shape) =>
    oneAxisArb(shape.length).chain((axis) =>
      fc.tuple(
        fc.constant(shape),
        fc.constant(axis),
        indicesArb(shape[normalize(axis, shape.length)]!),
        seedArb,
      ),
    ),
  );

  it('gather', () => {
    fc.assert(
      fc.property(arb, ([shape, axis, idx, seed]) => {
        const indices = tensor(idx.values, idx.shape, 'int32');
        const report = gradcheck((a, i) => T.gather(a, i, axis), [rand(shape, seed), indices]);
        expect(report.ok).toBe(true);
        expect(report.inputs[1]!.skipped).toBe(true);
      }),
      RUNS,
    );
  });

  it('scatterAdd, in its updates', () => {
    fc.assert(
      fc.property(arb, ([shape, axis, idx, seed]) => {
        const ax = normalize(axis, shape.length);
        const indices = tensor(idx.values, idx.shape, 'int32');
        const updates = rand([...shape.slice(0, ax), ...idx.shape, ...shape.slice(ax + 1)], seed);
        expect(gradcheck((u) => T.scatterAdd(u, indices, axis, shape), [updates]).ok).toBe(true);
      }),
      RUNS,
    );
  });
});

const paddingArb = (maxPad: number): fc.Arbitrary<Padding> =>
  fc.oneof(
    fc.constant('valid' as const),
    fc.constant('same' as const),
    fc.tuple(fc.nat(maxPad), fc.nat(maxPad), fc.nat(maxPad), fc.nat(maxPad)).map(([t, b, l, r]): Padding => [
      [t, b],
      [l, r],
    ]),
  );
const pairArb = (max: number) => fc.tuple(fc.integer({ min: 1, max }), fc.integer({ min: 1, max }));

describe('conv2d and pooling over random geometries (gradcheck)', () => {
  it('conv2d and its gradient ops: random batch, size, channels, kernel, strides, dilations and padding', () => {
    const arb = fc.record({
      n: fc.integer({ min: 1, max: 2 }),
      c: fc.integer({ min: 1, max: 2 }),
      f: fc.integer({ min: 1, max: 2 }),
      kernel: pairArb(3),
      strides: pairArb(2),
      dilations: pairArb(2),
      extra: fc.tuple(fc.nat(2), fc.nat(2)),
      padding: paddingArb(2),
      seed: seedArb,
    });
    fc.assert(
      fc.property(arb, ({ n, c, f, kernel, strides, dilations, extra, padding, seed }) => {
        // the input is at least as large as the dilated kernel, so every padding gives an output
        const [h, w] = [0, 1].map((i) => (kernel[i]! - 1) * dilations[i]! + 1 + extra[i]!);
        const options: Conv2DOptions = { strides, dilations, padding };
        const x = rand([n, h!, w!, c], seed);
        const k = rand([kernel[0], kernel[1], c, f], seed + 1);
        expect(gradcheck((a, b) => T.conv2d(a, b, options), [x, k]).ok).toBe(true);
        // its gradient ops have gradients too (conv2d is twice differentiable)
        const dy = rand(T.conv2d(x, k, options).shape, seed + 2);
        expect(gradcheck((d, b) => T.conv2dBackpropInput(d, b, x.shape, options), [dy, k]).ok).toBe(true);
        expect(gradcheck((a, d) => T.conv2dBackpropFilter(a, d, k.shape, options), [x, dy]).ok).toBe(true);
      }),
      { ...RUNS, numRuns: 24 },
    );
  });

  const poolArb = fc.record({
    n: fc.integer({ min: 1, max: 2 }),
    c: fc.integer({ min: 1, max: 2 }),
    poolSize: pairArb(3),
    strides: pairArb(3),
    extra: fc.tuple(fc.nat(2), fc.nat(2)),
    padding: paddingArb(2),
    seed: seedArb,
  });
  // Explicit pads must be smaller than the window (each window needs a real cell): clamp them to poolSize − 1.
  const poolOptions = (
    poolSize: [number, number],
    strides: [number, number],
    padding: Padding,
  ): Pool2DOptions => ({
    poolSize,
    strides,
    padding:
      typeof padding === 'string'
        ? padding
        : [
            [Math.min(padding[0][0], poolSize[0] - 1), Math.min(padding[0][1], poolSize[0] - 1)],
            [Math.min(padding[1][0], poolSize[1] - 1), Math.min(padding[1][1], poolSize[1] - 1)],
          ],
  });

  it.each([
    ['maxPool2d', T.maxPool2d, distinct],
    ['avgPool2d', T.avgPool2d, rand],
  ] as const)('%s: random window, strides and padding', (_, pool, draw) => {
    fc.assert(
      fc.property(poolArb, ({ n, c, poolSize, strides, extra, padding, seed }) => {
        const options = poolOptions(poolSize, strides, padding);
        const x = draw([n, poolSize[0] + extra[0], poolSize[1] + extra[1], c], seed);
        expect(gradcheck((a) => pool(a, options), [x]).ok).toBe(true);
        if (pool === T.avgPool2d) {
          // average pooling is linear, and its gradient op has a gradient too
          const dy = rand(pool(x, options).shape, seed + 1);
          expect(gradcheck((d) => T.avgPool2dBackprop(d, x, options), [dy]).ok).toBe(true);
        }
      }),
      { ...RUNS, numRuns: 24 },
    );
  });
});
