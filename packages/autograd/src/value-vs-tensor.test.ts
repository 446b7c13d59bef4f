import type { Tensor } from '@backprop/core-tensor';
import * as T from '@backprop/core-tensor';
import { tensor } from '@backprop/core-tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { valueAndGrad, value } from './index';
import type { Value } from './index';

// A random expression over three inputs a, b, c, evaluated by both engines. Operations whose domain is limited
// (log, div, fractional pow) get an argument that is positive by construction, so every drawn expression is
// finite and smooth: the two engines must then agree on the value and on all three gradients.
type Expr =
  | { op: 'leaf'; i: 0 | 1 | 2 }
  | { op: 'const'; c: number }
  | { op: 'add' | 'sub' | 'mul' | 'max'; l: Expr; r: Expr }
  | { op: 'div'; l: Expr; r: Expr } // l / (r² + 0.5)
  | { op: 'pow'; l: Expr; k: 2 | 3 } // integer power: defined everywhere
  | { op: 'sqrt'; l: Expr } // (l² + 0.5)^0.5
  | { op: 'log'; l: Expr } // log(l² + 0.5)
  | { op: 'neg' | 'tanh' | 'relu' | 'leakyRelu' | 'sigmoid'; l: Expr }
  | { op: 'exp'; l: Expr }; // exp(tanh(l)): bounded, so nested exps cannot overflow

const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', maxDepth: 5, withCrossShrink: true },
    fc.record({ op: fc.constant('leaf' as const), i: fc.constantFrom(0 as const, 1 as const, 2 as const) }),
    fc.record({ op: fc.constant('const' as const), c: fc.double({ min: -2, max: 2, noNaN: true }) }),
    fc.record({
      op: fc.constantFrom('add' as const, 'sub' as const, 'mul' as const, 'div' as const, 'max' as const),
      l: tie('e'),
      r: tie('e'),
    }),
    fc.record({ op: fc.constant('pow' as const), l: tie('e'), k: fc.constantFrom(2 as const, 3 as const) }),
    fc.record({
      op: fc.constantFrom(
        'sqrt' as const,
        'log' as const,
        'neg' as const,
        'tanh' as const,
        'relu' as const,
        'leakyRelu' as const,
        'sigmoid' as const,
        'exp' as const,
      ),
      l: tie('e'),
    }),
  ),
})).e;

/** The same expression in the scalar engine. */
function toValue(e: Expr, x: Value[]): Value {
  switch (e.op) {
    case 'leaf':
      return x[e.i]!;
    case 'const':
      return value(e.c);
    case 'add':
      return toValue(e.l, x).add(toValue(e.r, x));
    case 'sub':
      return toValue(e.l, x).sub(toValue(e.r, x));
    case 'mul':
      return toValue(e.l, x).mul(toValue(e.r, x));
    case 'max':
      return toValue(e.l, x).max(toValue(e.r, x));
    case 'div':
      return toValue(e.l, x).div(toValue(e.r, x).pow(2).add(0.5));
    case 'pow':
      return toValue(e.l, x).pow(e.k);
    case 'sqrt':
      return toValue(e.l, x).pow(2).add(0.5).pow(0.5);
    case 'log':
      return toValue(e.l, x).pow(2).add(0.5).log();
    case 'exp':
      return toValue(e.l, x).tanh().exp();
    case 'neg':
      return toValue(e.l, x).neg();
    case 'tanh':
      return toValue(e.l, x).tanh();
    case 'relu':
      return toValue(e.l, x).relu();
    case 'leakyRelu':
      return toValue(e.l, x).leakyRelu();
    case 'sigmoid':
      return toValue(e.l, x).sigmoid();
  }
}

/** The same expression in the tensor engine (float64 scalars). */
function toTensor(e: Expr, x: Tensor[]): Tensor {
  switch (e.op) {
    case 'leaf':
      return x[e.i]!;
    case 'const':
      return tensor(e.c, [], 'float64');
    case 'add':
      return T.add(toTensor(e.l, x), toTensor(e.r, x));
    case 'sub':
      return T.sub(toTensor(e.l, x), toTensor(e.r, x));
    case 'mul':
      return T.mul(toTensor(e.l, x), toTensor(e.r, x));
    case 'max':
      return T.maximum(toTensor(e.l, x), toTensor(e.r, x));
    case 'div':
      return T.div(toTensor(e.l, x), T.add(T.pow(toTensor(e.r, x), 2), 0.5));
    case 'pow':
      return T.pow(toTensor(e.l, x), e.k);
    case 'sqrt':
      return T.pow(T.add(T.pow(toTensor(e.l, x), 2), 0.5), 0.5);
    case 'log':
      return T.log(T.add(T.pow(toTensor(e.l, x), 2), 0.5));
    case 'exp':
      return T.exp(T.tanh(toTensor(e.l, x)));
    case 'neg':
      return T.neg(toTensor(e.l, x));
    case 'tanh':
      return T.tanh(toTensor(e.l, x));
    case 'relu':
      return T.relu(toTensor(e.l, x));
    case 'leakyRelu':
      return T.leakyRelu(toTensor(e.l, x));
    case 'sigmoid':
      return T.sigmoid(toTensor(e.l, x));
  }
}

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 + 1e-9 * Math.abs(b);

describe('the Value engine and the tensor engine agree', () => {
  it('on the value and every gradient of random expressions (fast-check, seeded)', () => {
    const input = fc.double({ min: -1.5, max: 1.5, noNaN: true });
    fc.assert(
      fc.property(exprArb, fc.tuple(input, input, input), (e, xs) => {
        const leaves = xs.map((v, i) => value(v, 'abc'[i]));
        const out = toValue(e, leaves);
        out.backward();
        const { value: v, grads } = valueAndGrad((a: Tensor, b: Tensor, c: Tensor) => toTensor(e, [a, b, c]))(
          ...(xs.map((x) => tensor(x, [], 'float64')) as [Tensor, Tensor, Tensor]),
        );
        expect(close(v.item(), out.data), `value ${v.item()} vs ${out.data}`).toBe(true);
        grads.forEach((g, i) => {
          expect(close(g.item(), leaves[i]!.grad), `d/d${'abc'[i]}: ${g.item()} vs ${leaves[i]!.grad}`).toBe(
            true,
          );
        });
      }),
      { seed: 5, numRuns: 300 },
    );
  });
});
