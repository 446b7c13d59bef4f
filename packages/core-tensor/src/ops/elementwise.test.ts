import { describe, expect, it } from 'vitest';
import type { DType, Tensor } from '../index';
import * as bp from '../index';
import { scalar, tensor } from '../index';
import { describeBackends, expectClose, randomValues, rng, tolFor } from '../testing/assert';
import { erfRef, refElementwise } from '../testing/reference';

/** Round half to even, spelled out. */
function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

const UNARY: Record<string, (x: number) => number> = {
  neg: (x) => -x,
  abs: (x) => (x < 0 ? -x : x === 0 ? 0 : x),
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN),
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  reciprocal: (x) => 1 / x,
  square: (x) => x * x,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  softplus: (x) => (x > 30 ? x + Math.exp(-x) : Math.log1p(Math.exp(x))),
  erf: erfRef,
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfEven,
};

/** Looser bounds where the reference itself is only that good (Simpson's erf). */
const UNARY_TOL: Record<string, { rtol: number; atol: number }> = { erf: { rtol: 1e-11, atol: 1e-12 } };

const SPECIAL = [
  0,
  -0,
  0.5,
  -0.5,
  1.5,
  -1.5,
  2.5,
  -2.5,
  1e3,
  -1e3,
  1e-30,
  30.5,
  -30.5,
  NaN,
  Infinity,
  -Infinity,
];

/** What storing a float64 result in `dtype` gives: the reference is rounded like the output. */
const storeAs = (dtype: DType, v: number) => (dtype === 'float32' ? Math.fround(v) : v);

type UnaryFn = (x: Tensor) => Tensor;
type BinaryFn = (a: Tensor | number, b: Tensor | number) => Tensor;
const unaryFn = (name: string) => (bp as unknown as Record<string, UnaryFn>)[name]!;
const binaryFn = (name: string) => (bp as unknown as Record<string, BinaryFn>)[name]!;

describeBackends('elementwise', () => {
  describe.each(['float32', 'float64'] as const)('unary ops in %s', (dtype) => {
    const next = rng(7);
    const xs = [...SPECIAL, ...randomValues(next, 40, -6, 6)];
    it.each(Object.keys(UNARY))('%s matches Math on random, special and ±Inf/NaN inputs', (name) => {
      const x = tensor(xs, undefined, dtype);
      const y = unaryFn(name)(x);
      expect(y.dtype).toBe(dtype);
      expect(y.shape).toEqual(x.shape);
      const inputs = Array.from(x.dataSync());
      const tol = dtype === 'float64' ? (UNARY_TOL[name] ?? tolFor(dtype)) : tolFor(dtype);
      expectClose(
        y.dataSync(),
        inputs.map((v) => storeAs(dtype, UNARY[name]!(v))),
        tol,
        name,
      );
    });
  });

  it('sigmoid and tanh saturate at ±1e3 without NaN; softplus is exact for large |x|', () => {
    const x = tensor([-1e3, -80, 80, 1e3], undefined, 'float64');
    expectClose(bp.sigmoid(x).dataSync(), [0, 1 / (1 + Math.exp(80)), 1, 1], { rtol: 1e-15, atol: 0 });
    expect(Array.from(bp.tanh(x).dataSync())).toEqual([-1, -1, 1, 1]);
    expectClose(bp.softplus(x).dataSync(), [0, Math.exp(-80), 80, 1e3], { rtol: 1e-15, atol: 0 });
    expect(Array.from(bp.sigmoid(tensor([-1e3, 1e3])).dataSync())).toEqual([0, 1]);
  });

  it('isNaN, isFinite and logicalNot give bool tensors', () => {
    const x = tensor([0, 1, NaN, Infinity, -Infinity]);
    expect(bp.isNaN(x).dtype).toBe('bool');
    expect(bp.isNaN(x).arraySync()).toEqual([false, false, true, false, false]);
    expect(bp.isFinite(x).arraySync()).toEqual([true, true, false, false, false]);
    expect(bp.logicalNot(tensor([true, false])).arraySync()).toEqual([false, true]);
    expect(bp.isFinite(tensor([1, 2], undefined, 'int32')).arraySync()).toEqual([true, true]);
  });

  it('transcendental ops on int32/bool compute in float32; sign/abs/neg/square keep int32', () => {
    const i = tensor([-2, 0, 3], undefined, 'int32');
    expect(bp.exp(i).dtype).toBe('float32');
    expectClose(
      bp.exp(i).dataSync(),
      [-2, 0, 3].map((v) => Math.fround(Math.exp(v))),
    );
    expect(bp.sqrt(tensor([true, false])).dtype).toBe('float32');
    for (const name of ['neg', 'abs', 'sign', 'square']) {
      const y = unaryFn(name)(i);
      expect(y.dtype, name).toBe('int32');
      expect(Array.from(y.dataSync()), name).toEqual([-2, 0, 3].map((v) => UNARY[name]!(v) + 0));
    }
    expect(bp.neg(tensor([true, false])).dtype).toBe('int32');
  });

  const BINARY: Record<string, (a: number, b: number) => number> = {
    add: (a, b) => a + b,
    sub: (a, b) => a - b,
    mul: (a, b) => a * b,
    div: (a, b) => a / b,
    pow: (a, b) => a ** b,
    maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : a > b ? a : b),
    minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : a < b ? a : b),
    mod: (a, b) => a - b * Math.floor(a / b),
    atan2: Math.atan2,
  };

  // Pairs that exercise every broadcasting case: equal shapes, rank extension, size-1 on either side, scalars,
  // and size-0 dimensions (which broadcast against 1 and give empty results).
  const SHAPES: [number[], number[]][] = [
    [
      [2, 3],
      [2, 3],
    ],
    [[2, 3], [3]],
    [
      [2, 1],
      [1, 3],
    ],
    [[], [2, 3]],
    [[], []],
    [
      [4, 1, 3],
      [2, 1],
    ],
    [[3, 1, 1], [1]],
    [
      [0, 3],
      [1, 3],
    ],
    [
      [2, 0],
      [2, 1],
    ],
    [[1], [0]],
    [
      [2, 1, 2, 1],
      [3, 1, 2],
    ],
  ];

  describe.each(['float32', 'float64'] as const)('binary ops in %s', (dtype) => {
    it.each(Object.keys(BINARY))('%s broadcasts like NumPy in both argument orders', (name) => {
      const next = rng(11);
      for (const [sa, sb] of SHAPES) {
        for (const [s1, s2] of [
          [sa, sb],
          [sb, sa],
        ] as const) {
          const n1 = s1.reduce((n, d) => n * d, 1);
          const n2 = s2.reduce((n, d) => n * d, 1);
          const lo = name === 'pow' ? 0.1 : -3;
          const a = tensor(randomValues(next, n1, lo, 3), s1, dtype);
          const b = tensor(randomValues(next, n2, name === 'pow' ? -2 : -3, 3), s2, dtype);
          const y = binaryFn(name)(a, b);
          const ref = refElementwise(
            [
              { values: a.dataSync(), shape: s1 },
              { values: b.dataSync(), shape: s2 },
            ],
            BINARY[name]!,
          );
          const label = `${name} ${JSON.stringify(s1)} ${JSON.stringify(s2)}`;
          expect(y.shape, label).toEqual(ref.shape);
          expect(y.dtype).toBe(dtype);
          const tol = name === 'mod' ? { rtol: 1e-5, atol: 1e-6 } : tolFor(dtype);
          expectClose(
            y.dataSync(),
            ref.values.map((v) => storeAs(dtype, v)),
            tol,
            label,
          );
        }
      }
    });

    it('propagates NaN and follows IEEE for ±Inf', () => {
      const a = tensor([NaN, 1, Infinity, Infinity, -Infinity, 0, 0], undefined, dtype);
      const b = tensor([1, NaN, Infinity, -Infinity, 2, 0, -0], undefined, dtype);
      for (const name of ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'pow']) {
        const ref = Array.from(a.dataSync(), (v, i) => BINARY[name]!(v, b.dataSync()[i]!));
        expectClose(binaryFn(name)(a, b).dataSync(), ref, {}, name);
      }
    });
  });

  it('mod has the sign of the divisor and int32 arithmetic stays int32', () => {
    const a = tensor([-7, 7, -7, 7, 6], undefined, 'int32');
    const b = tensor([3, -3, -3, 3, 3], undefined, 'int32');
    expect(Array.from(bp.mod(a, b).dataSync())).toEqual([2, -2, -1, 1, 0]);
    expect(bp.mod(a, b).dtype).toBe('int32');
    expect(Array.from(bp.mod(tensor([-7.5, 7.5]), 2).dataSync())).toEqual([0.5, 1.5]);
    expect(Array.from(bp.pow(tensor([2, 3], undefined, 'int32'), 3).dataSync())).toEqual([8, 27]);
    expect(bp.add(a, b).dtype).toBe('int32');
  });

  it('promotes dtypes: bool < int32 < float32 < float64, integer division gives float32', () => {
    const i = tensor([1, 2], undefined, 'int32');
    const f = tensor([0.5, 0.25]);
    const d = tensor([1, 1], undefined, 'float64');
    const t = tensor([true, false]);
    expect(bp.add(i, f).dtype).toBe('float32');
    expect(bp.add(f, d).dtype).toBe('float64');
    expect(bp.add(t, t).dtype).toBe('int32');
    expect(Array.from(bp.add(t, t).dataSync())).toEqual([2, 0]);
    expect(bp.div(i, tensor([2, 4], undefined, 'int32')).dtype).toBe('float32');
    expect(Array.from(bp.div(i, tensor([2, 4], undefined, 'int32')).dataSync())).toEqual([0.5, 0.5]);
  });

  it('plain numbers are weak: they adopt the tensor dtype unless that would lose the value', () => {
    const d = tensor([1], undefined, 'float64');
    const i = tensor([1], undefined, 'int32');
    expect(bp.add(d, 0.1).dtype).toBe('float64');
    expect(bp.add(d, 0.1).dataSync()[0]).toBe(1.1);
    expect(bp.add(0.1, d).dtype).toBe('float64');
    expect(bp.add(i, 2).dtype).toBe('int32');
    expect(bp.add(i, 2.5).dtype).toBe('float32');
    expect(Array.from(bp.add(i, 2.5).dataSync())).toEqual([3.5]);
    expect(bp.add(i, 3e9).dtype).toBe('float32');
    expect(bp.add(i, 3e9).dataSync()[0]).toBe(Math.fround(3e9 + 1));
    expect(bp.mul(tensor([true]), 3).dtype).toBe('float32');
  });

  describe('comparisons and logic', () => {
    const CMP: Record<string, (a: number, b: number) => boolean> = {
      equal: (a, b) => a === b,
      notEqual: (a, b) => a !== b,
      less: (a, b) => a < b,
      lessEqual: (a, b) => a <= b,
      greater: (a, b) => a > b,
      greaterEqual: (a, b) => a >= b,
    };
    it.each(Object.keys(CMP))(
      '%s gives bool with broadcasting, NaN compares false (notEqual true)',
      (name) => {
        const a = tensor([[1], [2], [NaN]]);
        const b = tensor([2, 1, NaN, Infinity]);
        const y = binaryFn(name)(a, b);
        expect(y.dtype).toBe('bool');
        expect(y.shape).toEqual([3, 4]);
        const ref = refElementwise(
          [
            { values: a.dataSync(), shape: [3, 1] },
            { values: b.dataSync(), shape: [4] },
          ],
          (p, q) => (CMP[name]!(p, q) ? 1 : 0),
        );
        expect(Array.from(y.dataSync())).toEqual(ref.values);
      },
    );

    it('compares across dtypes after promotion and against weak scalars', () => {
      expect(bp.equal(tensor([1, 2], undefined, 'int32'), tensor([1, 2.5])).arraySync()).toEqual([
        true,
        false,
      ]);
      expect(bp.equal(tensor([0.1]), 0.1).arraySync()).toEqual([true]);
      expect(bp.greater(tensor([1, 2, 3], undefined, 'int32'), 1.5).arraySync()).toEqual([false, true, true]);
    });

    it('logicalAnd / logicalOr broadcast bool tensors', () => {
      const a = tensor([[true], [false]]);
      const b = tensor([true, false]);
      expect(bp.logicalAnd(a, b).arraySync()).toEqual([
        [true, false],
        [false, false],
      ]);
      expect(bp.logicalOr(a, b).arraySync()).toEqual([
        [true, true],
        [true, false],
      ]);
    });

    it('where selects with three-way broadcasting and promotes the branches', () => {
      const cond = tensor([[true], [false]]);
      const y = bp.where(cond, tensor([1, 2, 3], undefined, 'int32'), scalar(0.5));
      expect(y.dtype).toBe('float32');
      expect(y.arraySync()).toEqual([
        [1, 2, 3],
        [0.5, 0.5, 0.5],
      ]);
      expect(bp.where(tensor(true), 1, 0).arraySync()).toBe(1);
      expect(bp.where(tensor([], [0], 'bool'), 1, tensor([5])).shape).toEqual([0]);
    });
  });

  describe('cast', () => {
    it('float → int32 truncates toward zero, saturates and maps NaN to 0', () => {
      const x = tensor([1.9, -1.9, 0.5, -0.5, 3e9, -3e9, NaN, Infinity, -Infinity], undefined, 'float64');
      expect(Array.from(bp.cast(x, 'int32').dataSync())).toEqual([
        1, -1, 0, 0, 2147483647, -2147483648, 0, 2147483647, -2147483648,
      ]);
    });

    it('anything → bool is x ≠ 0 (NaN is true); bool → number is 0/1; float64 → float32 rounds to nearest', () => {
      expect(bp.cast(tensor([0, -0, 2, NaN]), 'bool').arraySync()).toEqual([false, false, true, true]);
      expect(Array.from(bp.cast(tensor([true, false]), 'float64').dataSync())).toEqual([1, 0]);
      expect(bp.cast(tensor([0.1], undefined, 'float64'), 'float32').dataSync()[0]).toBe(Math.fround(0.1));
      expect(bp.cast(tensor([2 ** 31 - 1], undefined, 'int32'), 'float32').dataSync()[0]).toBe(2 ** 31);
    });

    it('returns the same tensor when the dtype already matches', () => {
      const x = tensor([1]);
      expect(bp.cast(x, 'float32')).toBe(x);
    });
  });

  it('every elementwise op is also a chainable method', () => {
    const x = tensor([0.3, -1.2, 2]);
    const y = tensor([1.5, 0.5, -2]);
    for (const name of Object.keys(UNARY)) {
      const method = (x as unknown as Record<string, () => Tensor>)[name]!.bind(x);
      expect(Array.from(method().dataSync()), name).toEqual(Array.from(unaryFn(name)(x).dataSync()));
    }
    for (const name of [
      ...Object.keys(BINARY),
      'equal',
      'notEqual',
      'less',
      'lessEqual',
      'greater',
      'greaterEqual',
    ]) {
      const method = (x as unknown as Record<string, (o: Tensor) => Tensor>)[name]!.bind(x);
      expect(Array.from(method(y).dataSync()), name).toEqual(Array.from(binaryFn(name)(x, y).dataSync()));
    }
    expect(x.isNaN().dtype).toBe('bool');
    expect(x.isFinite().dtype).toBe('bool');
    expect(x.cast('int32').dtype).toBe('int32');
    expect(
      tensor([1, 2])
        .where(tensor([true, false]), 0)
        .arraySync(),
    ).toEqual([1, 0]);
    expect(
      tensor([true])
        .logicalAnd(tensor([false]))
        .arraySync(),
    ).toEqual([false]);
    expect(
      tensor([true])
        .logicalOr(tensor([false]))
        .arraySync(),
    ).toEqual([true]);
    expect(tensor([true]).logicalNot().arraySync()).toEqual([false]);
  });
});
