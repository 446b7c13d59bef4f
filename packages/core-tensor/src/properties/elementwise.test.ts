import fc from 'fast-check';
import { it } from 'vitest';
import type { DType, Tensor, TensorLike } from '../index';
import * as bp from '../index';
import { DTypeError, ShapeError } from '../index';
import { describeBackends } from '../testing/assert';
import { refBroadcastShape, refElementwise } from '../testing/reference';
import type { Expected, Spec } from './harness';
import {
  RUNS,
  dtypeArb,
  elementArb,
  expectOutcome,
  isFloat,
  make,
  params,
  promote,
  shapeArb,
  specArb,
  store,
  weakDType,
  wrapInto,
} from './harness';

/** Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7): independent of the backend's series, good enough at atol 3e-7. */
function erfAS(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return Math.sign(x) * y;
}

type Kind = 'exact' | 'approx' | 'bool';
// Unary ops: reference in float64, and whether the result is exact after rounding to the output dtype.
const UNARY: Record<string, [(x: number) => number, Kind, boolean]> = {
  // name: [reference, precision, float-only (integers compute in float32)]
  neg: [(x) => -x, 'exact', false],
  abs: [Math.abs, 'exact', false],
  sign: [(x) => (Number.isNaN(x) ? NaN : x > 0 ? 1 : x < 0 ? -1 : 0), 'exact', false],
  square: [(x) => x * x, 'exact', false],
  floor: [Math.floor, 'exact', false],
  ceil: [Math.ceil, 'exact', false],
  round: [
    (x) => (Number.isFinite(x) ? (x - Math.floor(x) === 0.5 ? 2 * Math.round(x / 2) : Math.round(x)) : x),
    'exact',
    false,
  ],
  sqrt: [Math.sqrt, 'exact', true],
  reciprocal: [(x) => 1 / x, 'exact', true],
  rsqrt: [(x) => 1 / Math.sqrt(x), 'approx', true],
  exp: [Math.exp, 'approx', true],
  expm1: [Math.expm1, 'approx', true],
  log: [Math.log, 'approx', true],
  log1p: [Math.log1p, 'approx', true],
  sin: [Math.sin, 'approx', true],
  cos: [Math.cos, 'approx', true],
  tanh: [Math.tanh, 'approx', true],
  sigmoid: [(x) => 1 / (1 + Math.exp(-x)), 'approx', true],
  softplus: [(x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))), 'approx', true],
  erf: [erfAS, 'approx', true],
  isNaN: [(x) => (Number.isNaN(x) ? 1 : 0), 'bool', false],
  isFinite: [(x) => (Number.isFinite(x) ? 1 : 0), 'bool', false],
  logicalNot: [(x) => (x === 0 ? 1 : 0), 'bool', false],
};

function tolerance(kind: Kind, dtype: DType, name: string): { rtol: number; atol: number } {
  if (name === 'erf') return { rtol: 0, atol: 3e-7 };
  if (kind !== 'approx') return { rtol: 0, atol: 0 };
  // float32 kernels may use their own approximations (the wasm backend does): a few ulp of float32.
  return dtype === 'float64' ? { rtol: 1e-13, atol: 1e-300 } : { rtol: 4e-6, atol: 1e-37 };
}

/** sin/cos of huge arguments are ill-conditioned: any float32 kernel is "right" only to its own range reduction. */
const trigSafe = (name: string, s: Spec): Spec =>
  name === 'sin' || name === 'cos'
    ? { ...s, values: s.values.map((v) => (Math.abs(v) > 1e4 ? store(0.5, s.dtype) : v)) }
    : s;

describeBackends('property: unary elementwise ops', () => {
  for (const [name, [f, kind, floatOnly]] of Object.entries(UNARY)) {
    it(`${name}: shape kept, dtype by the promotion rule, values match the float64 reference`, () => {
      fc.assert(
        fc.property(specArb(), (raw) => {
          const s = trigSafe(name, raw);
          const out: DType =
            kind === 'bool'
              ? 'bool'
              : floatOnly
                ? isFloat(s.dtype)
                  ? s.dtype
                  : 'float32'
                : s.dtype === 'bool'
                  ? 'int32'
                  : s.dtype;
          // Integer inputs of float-only ops are computed in float32, so the reference reads them rounded.
          const input = floatOnly && !isFloat(s.dtype) ? s.values.map(Math.fround) : s.values;
          const values = input.map((v) => wrapInto(f(v), out));
          const fn = (bp as unknown as Record<string, (x: Tensor) => Tensor>)[name]!;
          expectOutcome(name, () => fn(make(s)), {
            shape: s.shape,
            dtype: out,
            values,
            ...tolerance(kind, out, name),
          });
        }),
        params(),
      );
    });
  }
});

const BINARY: Record<string, [(a: number, b: number) => number, Kind]> = {
  add: [(a, b) => a + b, 'exact'],
  sub: [(a, b) => a - b, 'exact'],
  mul: [(a, b) => a * b, 'exact'],
  div: [(a, b) => a / b, 'exact'],
  maximum: [(a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)), 'exact'],
  minimum: [(a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)), 'exact'],
  mod: [
    (a, b) => {
      const r = a % b;
      return r !== 0 && r < 0 !== b < 0 ? r + b : r;
    },
    'exact',
  ],
  pow: [Math.pow, 'approx'],
  atan2: [Math.atan2, 'approx'],
};

/** Two shapes that broadcast most of the time: b is a suffix of a with some dims set to 1, or unrelated. */
const shapePair = fc.oneof(
  fc
    .tuple(shapeArb(6, 32), fc.array(fc.boolean(), { maxLength: 6 }), fc.nat(6))
    .map(
      ([a, ones, drop]) => [a, a.slice(Math.min(drop, a.length)).map((d, i) => (ones[i] ? 1 : d))] as const,
    ),
  fc.tuple(shapeArb(4, 16), shapeArb(4, 16)),
);

/** An operand: a tensor, or (a quarter of the time) a plain JS number that takes the other side's dtype. */
type Operand = Spec | { scalar: number };
const operandPair = shapePair.chain(([sa, sb]) =>
  fc.tuple(
    specArb(fc.constant([...sa]), dtypeArb),
    fc.oneof(
      { weight: 3, arbitrary: specArb(fc.constant([...sb]), dtypeArb) },
      {
        weight: 1,
        arbitrary: fc
          .oneof(elementArb('float32'), elementArb('int32'), fc.constantFrom(0.5, -2.5))
          .map((v) => ({ scalar: v })),
      },
    ),
  ),
);

function resolve(a: Spec, b: Operand): [Spec, Spec] {
  if (!('scalar' in b)) return [a, b];
  const dtype = weakDType(b.scalar, a.dtype);
  return [a, { shape: [], dtype, values: [store(b.scalar, dtype)] }];
}
const asDType = (s: Spec, dtype: DType): Spec => ({ ...s, values: s.values.map((v) => store(v, dtype)) });
const asArg = (o: Operand): TensorLike => ('scalar' in o ? o.scalar : make(o));

describeBackends('property: binary elementwise ops', () => {
  for (const [name, [f, kind]] of Object.entries(BINARY)) {
    it(`${name}: NumPy broadcasting, dtype promotion and values against the reference (or ShapeError)`, () => {
      fc.assert(
        fc.property(operandPair, ([a, b]) => {
          const [x, y] = resolve(a, b);
          const fn = (bp as unknown as Record<string, (p: TensorLike, q: TensorLike) => Tensor>)[name]!;
          const call = () => fn(make(a), asArg(b));
          const shape = refBroadcastShape(x.shape, y.shape);
          if (!shape) return expectOutcome(name, call, { error: ShapeError });
          let dtype = promote(x.dtype, y.dtype);
          if (dtype === 'bool') dtype = 'int32';
          if ((name === 'div' || name === 'atan2') && !isFloat(dtype)) dtype = 'float32';
          const intOp =
            dtype === 'int32' && name === 'pow' ? (p: number, q: number) => Math.trunc(Math.pow(p, q)) : f;
          // Both operands are cast to the result dtype first (an int32 next to a float32 is rounded to float32).
          const ref = refElementwise([asDType(x, dtype), asDType(y, dtype)], intOp).values.map((v) =>
            wrapInto(v, dtype),
          );
          const want: Expected = { shape, dtype, values: ref, ...tolerance(kind, dtype, name) };
          expectOutcome(
            name,
            call,
            want,
            `${JSON.stringify(x.shape)} ${x.dtype} · ${JSON.stringify(y.shape)} ${y.dtype}`,
          );
        }),
        params(),
      );
    });
  }
});

const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  equal: (a, b) => a === b,
  notEqual: (a, b) => a !== b,
  less: (a, b) => a < b,
  lessEqual: (a, b) => a <= b,
  greater: (a, b) => a > b,
  greaterEqual: (a, b) => a >= b,
  logicalAnd: (a, b) => a !== 0 && b !== 0,
  logicalOr: (a, b) => a !== 0 || b !== 0,
};

describeBackends('property: comparisons, logic and where', () => {
  for (const [name, f] of Object.entries(COMPARE)) {
    it(`${name}: bool result of the broadcast shape (logic ops: DTypeError unless both are bool)`, () => {
      fc.assert(
        fc.property(operandPair, ([a, b]) => {
          const [x, y] = resolve(a, b);
          const fn = (bp as unknown as Record<string, (p: TensorLike, q: TensorLike) => Tensor>)[name]!;
          const call = () => fn(make(a), asArg(b));
          const shape = refBroadcastShape(x.shape, y.shape);
          if (!shape) return expectOutcome(name, call, { error: ShapeError });
          if (name.startsWith('logical') && (x.dtype !== 'bool' || y.dtype !== 'bool'))
            return expectOutcome(name, call, { error: DTypeError });
          // Both sides are compared in their common dtype, so a float32 and a float64 compare as float64.
          const common = promote(x.dtype, y.dtype);
          const ref = refElementwise([asDType(x, common), asDType(y, common)], (p, q) =>
            f(p, q) ? 1 : 0,
          ).values;
          expectOutcome(name, call, { shape, dtype: 'bool', values: ref });
        }),
        params(),
      );
    });
  }

  it('where: three-way broadcasting; cond must be bool; picks a or b', () => {
    const triple = fc
      .tuple(shapeArb(4, 24), fc.nat(3), fc.nat(3), fc.boolean())
      .chain(([s, da, db, boolCond]) =>
        fc.tuple(
          specArb(
            fc.constant(s.slice(Math.min(da, s.length))),
            fc.constant<DType>(boolCond ? 'bool' : 'float32'),
          ),
          specArb(fc.constant(s), dtypeArb),
          specArb(fc.constant(s.slice(Math.min(db, s.length))), dtypeArb),
        ),
      );
    fc.assert(
      fc.property(triple, ([c, a, b]) => {
        const call = () => bp.where(make(c), make(a), make(b));
        if (c.dtype !== 'bool') return expectOutcome('where', call, { error: DTypeError });
        const shape = refBroadcastShape(c.shape, a.shape, b.shape)!;
        const dtype = promote(a.dtype, b.dtype);
        const ref = refElementwise([c, asDType(a, dtype), asDType(b, dtype)], (k, p, q) =>
          k ? p : q,
        ).values;
        expectOutcome('where', call, { shape, dtype, values: ref });
      }),
      params(),
    );
  });

  it('cast: every dtype to every dtype with the documented rounding; unknown dtypes are a DTypeError', () => {
    const target = fc.oneof(
      { weight: 8, arbitrary: dtypeArb },
      { weight: 1, arbitrary: fc.constantFrom('uint8', 'float16', '') as unknown as fc.Arbitrary<DType> },
    );
    fc.assert(
      fc.property(specArb(), target, (s, to) => {
        const call = () => bp.cast(make(s), to);
        if (!['float32', 'float64', 'int32', 'bool'].includes(to))
          return expectOutcome('cast', call, { error: DTypeError });
        expectOutcome('cast', call, { shape: s.shape, dtype: to, values: s.values.map((v) => store(v, to)) });
      }),
      params(RUNS * 2),
    );
  });
});
