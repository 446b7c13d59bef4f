import type { Tensor } from '@backprop/core-tensor';
import * as T from '@backprop/core-tensor';
import { tensor } from '@backprop/core-tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grad, gradcheck } from './index';
import { FC, rand, randAway, shapeArb } from './testing';

type Draw = (shape: readonly number[], seed: number) => Tensor;
const any: Draw = (s, seed) => rand(s, seed, -2, 2);
const positive: Draw = (s, seed) => rand(s, seed, 0.2, 2);
const awayFromZero: Draw = (s, seed) => randAway(s, seed);
// Keeps x a little off the integers (floor/ceil) and the half-integers (round), where those ops jump.
const offGrid: Draw = (s, seed) => T.add(T.floor(rand(s, seed, -3, 3)), rand(s, seed + 1, 0.1, 0.4));

// One row per elementwise op of core-tensor: the op, and where its inputs are drawn (its smooth domain).
const UNARY: [string, (x: Tensor) => Tensor, Draw][] = [
  ['neg', T.neg, any],
  ['abs', T.abs, awayFromZero],
  ['exp', T.exp, any],
  ['expm1', T.expm1, any],
  ['log', T.log, positive],
  ['log1p', T.log1p, (s, seed) => rand(s, seed, -0.5, 2)],
  ['sqrt', T.sqrt, positive],
  ['rsqrt', T.rsqrt, positive],
  ['reciprocal', T.reciprocal, awayFromZero],
  ['square', T.square, any],
  ['sin', T.sin, any],
  ['cos', T.cos, any],
  ['tanh', T.tanh, any],
  ['sigmoid', T.sigmoid, any],
  ['softplus', T.softplus, any],
  ['erf', T.erf, any],
  ['sign (zero gradient)', T.sign, awayFromZero],
  ['floor (zero gradient)', T.floor, offGrid],
  ['ceil (zero gradient)', T.ceil, offGrid],
  ['round (zero gradient)', T.round, offGrid],
  // activations
  ['relu', T.relu, awayFromZero],
  ['relu6', T.relu6, (s, seed) => T.mul(randAway(s, seed), 5)],
  ['leakyRelu', (x) => T.leakyRelu(x, 0.1), awayFromZero],
  ['elu', (x) => T.elu(x, 0.7), awayFromZero],
  ['selu', T.selu, awayFromZero],
  ['gelu (erf)', (x) => T.gelu(x), any],
  ['gelu (tanh approximation)', (x) => T.gelu(x, true), any],
  ['swish', (x) => T.swish(x, 1.5), any],
  ['silu', T.silu, any],
  ['clip', (x) => T.clip(x, -0.5, 0.7), (s, seed) => T.add(randAway(s, seed, 0.1, 1), 0.1)],
];

describe('gradients of elementwise ops of one input (gradcheck over random shapes)', () => {
  it.each(UNARY)('%s', (_, f, draw) => {
    fc.assert(
      fc.property(shapeArb(), fc.nat(1000), (shape, seed) => {
        expect(gradcheck(f, [draw(shape, seed)]).ok).toBe(true);
      }),
      FC,
    );
  });
});

describe('gradients at the edges of the domain', () => {
  it('relu passes the gradient where x > 0 and blocks it elsewhere (0 at the kink, as PyTorch)', () => {
    const g = grad((x: Tensor) => T.relu(x).sum())(tensor([-1, 0, 2]));
    expect(g.arraySync()).toEqual([0, 0, 1]);
  });

  it('clip passes the gradient inside [min, max], bounds included (as PyTorch), and blocks it outside', () => {
    const g = grad((x: Tensor) => T.clip(x, 0, 1).sum())(tensor([-0.5, 0, 0.5, 1, 1.5]));
    expect(g.arraySync()).toEqual([0, 1, 1, 1, 0]);
  });

  it('relu6 is flat above 6', () => {
    const g = grad((x: Tensor) => T.relu6(x).sum())(tensor([-1, 3, 7]));
    expect(g.arraySync()).toEqual([0, 1, 0]);
  });
});

describe('cast', () => {
  it('passes the gradient through a float32 → float64 cast and returns it as float32', () => {
    const x = tensor([1, 2, 3]);
    const g = grad((a: Tensor) => T.cast(a, 'float64').square().sum())(x);
    expect(g.dtype).toBe('float32');
    expect(g.arraySync()).toEqual([2, 4, 6]);
  });

  it('stops the gradient at a cast to int32 (no gradient through integers)', () => {
    const g = grad((a: Tensor) => T.cast(T.cast(a, 'int32'), 'float32').mul(a).sum())(tensor([1.5, 2.5]));
    // d/da (trunc(a)·a) = trunc(a): only the float path carries a gradient
    expect(g.arraySync()).toEqual([1, 2]);
  });
});
