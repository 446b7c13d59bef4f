import { afterEach, describe, expect, it } from 'vitest';
import type { OpObserver, OpRecord } from './index';
import {
  add,
  getObserver,
  matmul,
  op,
  relu,
  setObserver,
  slice,
  softmax,
  sum,
  tensor,
  unobserved,
} from './index';

/** Records every op; `atomic` lists the names it wants as single records. */
function recorder(atomic: string[]): OpObserver & { records: OpRecord[] } {
  const records: OpRecord[] = [];
  return { records, isAtomic: (name) => atomic.includes(name), onOp: (r) => records.push(r) };
}

afterEach(() => {
  setObserver(undefined);
});

describe('op dispatcher and observer', () => {
  it('reports atomic ops with their inputs, attrs and outputs', () => {
    const o = recorder(['add', 'matmul', 'sum', 'slice']);
    setObserver(o);
    const a = tensor([[1, 2]]);
    const b = tensor([[3], [4]]);
    const y = matmul(a, b, { transposeB: false });
    const s = sum(y, 0, true);
    const z = slice(a, [0, -1], [null, null], [1, 1]);
    expect(o.records.map((r) => r.name)).toEqual(['matmul', 'sum', 'slice']);
    const [mm, sm, sl] = o.records as [OpRecord, OpRecord, OpRecord];
    expect(mm.inputs).toEqual([a, b]);
    expect(mm.outputs[0]).toBe(y);
    expect(mm.attrs).toEqual({ transposeA: false, transposeB: false });
    expect(sm.attrs).toEqual({ axis: 0, keepDims: true });
    expect(sl.attrs).toEqual({ begin: [0, -1], end: [null, null], step: [1, 1] });
    expect(sm.outputs[0]).toBe(s);
    expect(sl.outputs[0]).toBe(z);
  });

  it('traces through composed ops that are not atomic, reporting the primitives they use', () => {
    const o = recorder(['maximum', 'exp', 'sub', 'div', 'max', 'sum', 'reshape']);
    setObserver(o);
    relu(tensor([-1, 1]));
    expect(o.records.map((r) => r.name)).toEqual(['maximum']);
    o.records.length = 0;
    softmax(tensor([1, 2]));
    expect(o.records.map((r) => r.name)).toEqual(['max', 'sub', 'exp', 'sum', 'div']);
  });

  it('hides the internals of atomic ops and everything inside unobserved()', () => {
    const o = recorder(['softmax', 'exp', 'add']);
    setObserver(o);
    softmax(tensor([1, 2]));
    expect(o.records.map((r) => r.name)).toEqual(['softmax']);
    o.records.length = 0;
    const r = unobserved(() => add(tensor([1]), 1));
    expect(r.arraySync()).toEqual([2]);
    expect(o.records).toEqual([]);
  });

  it('reports nothing for an invalid call', () => {
    const o = recorder(['add', 'matmul']);
    setObserver(o);
    expect(() => add(tensor([1, 2]), tensor([1, 2, 3]))).toThrow();
    expect(() => matmul(tensor([[1, 2]]), tensor([[1, 2]]))).toThrow();
    expect(o.records).toEqual([]);
  });

  it('setObserver returns the previous observer; op() runs custom ops through the same hook', () => {
    const first = recorder(['double']);
    expect(setObserver(first)).toBeUndefined();
    expect(getObserver()).toBe(first);
    const x = tensor([1, 2]);
    const double = (t: typeof x) => op('double', [t], { factor: 2 }, () => add(t, t));
    const y = double(x);
    expect(y.arraySync()).toEqual([2, 4]);
    expect(first.records).toHaveLength(1);
    expect(first.records[0]!.attrs).toEqual({ factor: 2 });
    expect(setObserver(undefined)).toBe(first);
  });
});
