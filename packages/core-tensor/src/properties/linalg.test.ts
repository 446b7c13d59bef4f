import fc from 'fast-check';
import { it } from 'vitest';
import type { DType } from '../index';
import * as bp from '../index';
import { DTypeError, ShapeError } from '../index';
import { describeBackends } from '../testing/assert';
import { ravel, refBroadcastShape } from '../testing/reference';
import type { Spec } from './harness';
import { dtypeArb, expectOutcome, indices, make, params, promote, specArb, wrapInto } from './harness';

const dim = fc.integer({ min: 0, max: 3 });
const batch = fc.array(fc.integer({ min: 1, max: 2 }), { maxLength: 2 });
/** Operand shapes for matmul: batch dims (broadcasting or not), matrices whose inner dims usually agree, or vectors. */
const operands = fc
  .tuple(
    batch,
    batch,
    dim,
    dim,
    dim,
    fc.boolean(),
    fc.boolean(),
    fc.nat(9),
    fc.nat(9),
    fc.boolean(),
    fc.boolean(),
  )
  .chain(([ba, bb, m, k, n, ta, tb, va, vb, mismatch, zeroRank]) => {
    const kb = mismatch ? k + 1 : k;
    const a = va === 0 ? [k] : [...ba, ...(ta ? [k, m] : [m, k])];
    const b = vb === 0 ? [kb] : [...bb, ...(tb ? [n, kb] : [kb, n])];
    const sa = zeroRank && va === 1 ? [] : a;
    return fc.tuple(
      specArb(fc.constant(sa), dtypeArb, false),
      specArb(fc.constant(b), dtypeArb, false),
      fc.constant({ ta: ta && sa.length >= 2, tb: tb && b.length >= 2 }),
    );
  });

/** Textbook matmul over the last two axes with batch broadcasting (1-D operands as row / column vectors). */
function refMatmul(
  a: Spec,
  b: Spec,
  ta: boolean,
  tb: boolean,
): { shape: number[]; values: number[] } | 'shape' {
  const A = a.shape.length === 1 ? [1, a.shape[0]!] : a.shape;
  const B = b.shape.length === 1 ? [b.shape[0]!, 1] : b.shape;
  const ra = A.length;
  const rb = B.length;
  const [M, K] = ta ? [A[ra - 1]!, A[ra - 2]!] : [A[ra - 2]!, A[ra - 1]!];
  const [K2, N] = tb ? [B[rb - 1]!, B[rb - 2]!] : [B[rb - 2]!, B[rb - 1]!];
  if (K !== K2) return 'shape';
  const bs = refBroadcastShape(A.slice(0, -2), B.slice(0, -2));
  if (!bs) return 'shape';
  const values: number[] = [];
  for (const bi of indices(bs)) {
    const pick = (shape: readonly number[], lead: number[]) =>
      lead.slice(lead.length - (shape.length - 2)).map((v, d) => (shape[d] === 1 ? 0 : v));
    const ia = pick(A, bi);
    const ib = pick(B, bi);
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) {
          const x = a.values[ravel([...ia, ...(ta ? [k, i] : [i, k])], A)]!;
          const y = b.values[ravel([...ib, ...(tb ? [j, k] : [k, j])], B)]!;
          s += x * y;
        }
        values.push(s);
      }
  }
  let shape = [...bs, M, N];
  if (a.shape.length === 1 && b.shape.length === 1) shape = [];
  else if (a.shape.length === 1) shape = [...bs, N];
  else if (b.shape.length === 1) shape = [...bs, M];
  return { shape, values };
}

describeBackends('property: linear algebra', () => {
  it('matmul: batch broadcasting, transposes and vector operands against the triple loop; typed errors', () => {
    fc.assert(
      fc.property(operands, ([a, b, { ta, tb }]) => {
        const call = () => bp.matmul(make(a), make(b), { transposeA: ta, transposeB: tb });
        if (a.shape.length === 0 || b.shape.length === 0)
          return expectOutcome('matmul', call, { error: ShapeError });
        if (a.dtype === 'bool' || b.dtype === 'bool')
          return expectOutcome('matmul', call, { error: DTypeError });
        const ref = refMatmul(a, b, ta, tb);
        if (ref === 'shape') return expectOutcome('matmul', call, { error: ShapeError });
        const dtype: DType = promote(a.dtype, b.dtype);
        const tol =
          dtype === 'float32'
            ? { rtol: 1e-5, atol: 1e-4 }
            : dtype === 'float64'
              ? { rtol: 1e-12, atol: 1e-11 }
              : {};
        expectOutcome(
          'matmul',
          call,
          { shape: ref.shape, dtype, values: ref.values.map((v) => wrapInto(v, dtype)), ...tol },
          `${JSON.stringify(a.shape)}${ta ? 'ᵀ' : ''} · ${JSON.stringify(b.shape)}${tb ? 'ᵀ' : ''}`,
        );
      }),
      params(),
    );
  });

  it('dot (rank 1 or 2) and outer (vectors): results of the reference, typed errors otherwise', () => {
    const arb = fc.tuple(
      specArb(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }), dtypeArb, false),
      specArb(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }), dtypeArb, false),
    );
    fc.assert(
      fc.property(arb, ([a, b]) => {
        const ra = a.shape.length;
        const rb = b.shape.length;
        const d = () => bp.dot(make(a), make(b));
        if (ra < 1 || ra > 2 || rb < 1 || rb > 2) expectOutcome('dot', d, { error: ShapeError });
        else if (a.dtype === 'bool' || b.dtype === 'bool') expectOutcome('dot', d, { error: DTypeError });
        else if (a.shape[ra - 1] !== b.shape[0]) expectOutcome('dot', d, { error: ShapeError });
        else {
          const ref = refMatmul(a, b, false, false) as { shape: number[]; values: number[] };
          const dtype = promote(a.dtype, b.dtype);
          expectOutcome('dot', d, {
            shape: ref.shape,
            dtype,
            values: ref.values.map((v) => wrapInto(v, dtype)),
            rtol: 1e-5,
            atol: 1e-4,
          });
        }
        const o = () => bp.outer(make(a), make(b));
        if (ra !== 1 || rb !== 1) return expectOutcome('outer', o, { error: ShapeError });
        let dtype = promote(a.dtype, b.dtype);
        if (dtype === 'bool') dtype = 'int32';
        const values = a.values.flatMap((x) => b.values.map((y) => wrapInto(x * y, dtype)));
        expectOutcome('outer', o, { shape: [a.shape[0]!, b.shape[0]!], dtype, values });
      }),
      params(),
    );
  });
});
