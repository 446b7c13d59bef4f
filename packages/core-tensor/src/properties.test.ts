import fc from 'fast-check';
import { expect, it } from 'vitest';
import { ShapeError, add, broadcastShapes, concat, mul, reshape, split, tensor, transpose } from './index';
import { describeBackends } from './testing/assert';
import { numel, refBroadcastShape, refElementwise, refTranspose } from './testing/reference';

const RUNS = { numRuns: 60, seed: 20261125 };

const dim = fc.integer({ min: 0, max: 3 });
const shape = fc.array(dim, { maxLength: 4 });
/** A pair that usually broadcasts: b is a's suffix with some dims replaced by 1, or an unrelated shape. */
const shapePair = fc.oneof(
  fc
    .tuple(shape, fc.array(fc.boolean(), { maxLength: 4 }), fc.nat(4))
    .map(
      ([a, ones, drop]) => [a, a.slice(Math.min(drop, a.length)).map((d, i) => (ones[i] ? 1 : d))] as const,
    ),
  fc.tuple(shape, shape),
);
const valuesFor = (s: readonly number[]) =>
  Array.from({ length: numel(s) }, (_, i) => ((i * 7919) % 23) - 11);

describeBackends('properties', () => {
  it('broadcastShapes follows NumPy’s rule (right-aligned, equal or 1) and throws ShapeError otherwise', () => {
    fc.assert(
      fc.property(shapePair, ([a, b]) => {
        const ref = refBroadcastShape(a, b);
        if (ref === undefined) expect(() => broadcastShapes('add', a, b)).toThrow(ShapeError);
        else expect(broadcastShapes('add', a, b)).toEqual(ref);
      }),
      RUNS,
    );
  });

  it('add broadcasts to that shape, is commutative and matches the elementwise reference', () => {
    fc.assert(
      fc.property(shapePair, ([sa, sb]) => {
        fc.pre(refBroadcastShape(sa, sb) !== undefined);
        const a = tensor(valuesFor(sa), sa);
        const b = tensor(
          valuesFor(sb).map((v) => v * 0.5),
          sb,
        );
        const ab = add(a, b);
        const ba = add(b, a);
        const ref = refElementwise(
          [
            { values: a.dataSync(), shape: sa },
            { values: b.dataSync(), shape: sb },
          ],
          (x, y) => x + y,
        );
        expect(ab.shape).toEqual(ref.shape);
        expect(ba.shape).toEqual(ref.shape);
        expect(Array.from(ab.dataSync())).toEqual(ref.values);
        expect(Array.from(ba.dataSync())).toEqual(ref.values);
      }),
      RUNS,
    );
  });

  it('mul by a broadcast scalar-like tensor equals mul by the scalar', () => {
    fc.assert(
      fc.property(shape, fc.integer({ min: 0, max: 3 }), (s, extra) => {
        const x = tensor(valuesFor(s), s);
        const ones = new Array<number>(extra).fill(1);
        const y = mul(x, tensor([3], ones.length ? ones : []));
        expect(y.shape).toEqual(refBroadcastShape(s, ones));
        expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync(), (v) => v * 3));
      }),
      RUNS,
    );
  });

  it('reshape to any shape of the same size and back is the identity (with -1 inference)', () => {
    const factors = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(factors, fc.nat(), (f, k) => {
        const size = f.reduce((a, b) => a * b, 1);
        const x = tensor(valuesFor([size]), f);
        const other = [...f].reverse();
        const infer = other.map((d, i) => (i === k % other.length ? -1 : d));
        const y = reshape(x, infer);
        expect(y.shape).toEqual(other);
        const back = reshape(y, f);
        expect(back.shape).toEqual(f);
        expect(Array.from(back.dataSync())).toEqual(Array.from(x.dataSync()));
      }),
      RUNS,
    );
  });

  it('transpose matches the index reference and the inverse permutation undoes it', () => {
    const withPerm = shape.chain((s) =>
      fc.tuple(
        fc.constant(s),
        fc.shuffledSubarray([...s.keys()], { minLength: s.length, maxLength: s.length }),
      ),
    );
    fc.assert(
      fc.property(withPerm, ([s, perm]) => {
        const x = tensor(valuesFor(s), s);
        const y = transpose(x, perm);
        expect(Array.from(y.dataSync())).toEqual(refTranspose(x.dataSync(), s, perm));
        const inverse = perm.map((_, i) => perm.indexOf(i));
        const back = transpose(y, inverse);
        expect(back.shape).toEqual(s);
        expect(Array.from(back.dataSync())).toEqual(Array.from(x.dataSync()));
      }),
      RUNS,
    );
  });

  it('split then concat along any axis is the identity', () => {
    const nonEmpty = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(nonEmpty, fc.nat(), fc.nat(), (s, a, cut) => {
        const axis = a % s.length;
        const first = cut % (s[axis]! + 1);
        const x = tensor(valuesFor(s), s);
        const parts = split(x, [first, s[axis]! - first], axis);
        expect(parts[0]!.shape[axis]).toBe(first);
        expect(Array.from(concat(parts, axis).dataSync())).toEqual(Array.from(x.dataSync()));
      }),
      RUNS,
    );
  });
});
