import { ShapeError, Tensor, ArgumentError, tensor } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import { Dataset, DataError } from '../src/index';
import { list } from './helpers';

describe('Dataset.fromArrays', () => {
  it('splits typed-array columns into rows of the given shape, one tensor per column per sample', async () => {
    const xs = Float32Array.from({ length: 12 }, (_, i) => i);
    const ys = Int32Array.from([7, 8, 9]);
    const ds = Dataset.fromArrays({ xs, ys }, { xs: [2, 2] });
    expect(ds.size).toBe(3);
    const items = await ds.toArray();
    expect(items).toHaveLength(3);
    expect(items[1]!.xs).toBeInstanceOf(Tensor);
    expect(items[1]!.xs.shape).toEqual([2, 2]);
    expect(list(items[1]!.xs.dataSync())).toEqual([4, 5, 6, 7]);
    expect(items[2]!.ys.shape).toEqual([]);
    expect(items[2]!.ys.dtype).toBe('int32');
    expect(items[2]!.ys.dataSync()[0]).toBe(9);
  });

  it('defaults: Float32Array → float32, Float64Array → float64, bytes and other integers → int32, JS arrays → float32', async () => {
    const ds = Dataset.fromArrays({
      a: new Float32Array([1]),
      b: new Float64Array([1]),
      c: new Uint8Array([200]),
      d: new Int16Array([-3]),
      e: [1.5],
    });
    const [x] = await ds.toArray();
    expect([x!.a.dtype, x!.b.dtype, x!.c.dtype, x!.d.dtype, x!.e.dtype]).toEqual([
      'float32',
      'float64',
      'int32',
      'int32',
      'float32',
    ]);
    expect(x!.c.dataSync()[0]).toBe(200);
    expect(x!.d.dataSync()[0]).toBe(-3);
  });

  it('a spec can set the dtype (bytes to bool, ints to float32)', async () => {
    const ds = Dataset.fromArrays(
      { m: new Uint8Array([0, 5]), y: new Int32Array([1, 2]) },
      { m: { dtype: 'bool' }, y: { dtype: 'float32' } },
    );
    const rows = await ds.toArray();
    expect(rows.map((r) => r.m.dtype)).toEqual(['bool', 'bool']);
    expect(rows.map((r) => r.m.dataSync()[0])).toEqual([0, 1]);
    expect(rows[1]!.y.dtype).toBe('float32');
  });

  it('takes nested JS arrays and infers the row shape', async () => {
    const ds = Dataset.fromArrays([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(ds.size).toBe(3);
    const rows = await ds.toArray();
    expect(rows[2]!.shape).toEqual([2]);
    expect(list(rows[2]!.dataSync())).toEqual([5, 6]);
  });

  it('a single typed array without a shape is a column of scalars', async () => {
    const rows = await Dataset.fromArrays(new Float64Array([0.5, 1.5])).toArray();
    expect(rows.map((r) => [r.shape.length, r.dtype, r.dataSync()[0]])).toEqual([
      [0, 'float64', 0.5],
      [0, 'float64', 1.5],
    ]);
  });

  it('columns that disagree on the sample count are a ShapeError naming both', () => {
    expect(() => Dataset.fromArrays({ xs: new Float32Array(6), ys: new Int32Array(4) }, { xs: [2] })).toThrow(
      /'xs' has 3, 'ys' has 4/,
    );
    expect(() => Dataset.fromArrays({ xs: new Float32Array(7) }, { xs: [2] })).toThrow(ShapeError);
    expect(() => Dataset.fromArrays({ xs: new Float32Array(7) }, { xs: [2] })).toThrow(/not a multiple/);
  });

  it('rejects ragged nested arrays and specs for unknown columns', () => {
    expect(() => Dataset.fromArrays([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => Dataset.fromArrays({ xs: [1, 2] }, { ys: [1] } as never)).toThrow(ArgumentError);
  });
});

describe('Dataset.fromTensors', () => {
  it('slices a record along axis 0 and copies the values, so the source tensors may be disposed', async () => {
    const xs = tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const ys = tensor([0, 1, 2], [3], 'int32');
    const ds = Dataset.fromTensors({ xs, ys });
    xs.dispose();
    ys.dispose();
    const rows = await ds.toArray();
    expect(rows.map((r) => list(r.xs.dataSync()))).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(rows.map((r) => r.ys.dataSync()[0])).toEqual([0, 1, 2]);
  });

  it('a tuple gives tuples and a single tensor gives tensors', async () => {
    const a = tensor([1, 2]);
    const pairs = await Dataset.fromTensors([a, tensor([3, 4])]).toArray();
    expect(pairs.map(([x, y]) => [x.dataSync()[0], y.dataSync()[0]])).toEqual([
      [1, 3],
      [2, 4],
    ]);
    const singles = await Dataset.fromTensors(a).toArray();
    expect(singles.map((t) => t.dataSync()[0])).toEqual([1, 2]);
  });

  it('a scalar tensor has no sample axis', () => {
    expect(() => Dataset.fromTensors(tensor(3))).toThrow(/scalar/);
  });
});

describe('Dataset.fromGenerator', () => {
  it('calls the function once per pass (sync generators)', async () => {
    let calls = 0;
    const ds = Dataset.fromGenerator(function* () {
      calls++;
      for (let i = 0; i < 3; i++) yield i;
    });
    expect(await ds.toArray()).toEqual([0, 1, 2]);
    expect(await ds.toArray()).toEqual([0, 1, 2]);
    expect(calls).toBe(2);
    expect(ds.size).toBeUndefined();
  });

  it('accepts async generators, plain arrays, and a known size', async () => {
    const ds = Dataset.fromGenerator(
      async function* () {
        await Promise.resolve();
        yield 'a';
        yield 'b';
      },
      { size: 2 },
    );
    expect(ds.size).toBe(2);
    expect(await ds.toArray()).toEqual(['a', 'b']);
    expect(await Dataset.fromGenerator(() => [1, 2]).toArray()).toEqual([1, 2]);
  });

  it('rejects a function that returns no iterator when a pass starts', async () => {
    const ds = Dataset.fromGenerator(() => 5 as never);
    await expect(ds.toArray()).rejects.toThrow(/iterator/);
  });

  it('propagates errors thrown by the generator', async () => {
    const ds = Dataset.fromGenerator(function* () {
      yield 1;
      throw new Error('source broke');
    });
    await expect(ds.toArray()).rejects.toThrow('source broke');
  });
});

describe('Dataset.fromAsyncIterable', () => {
  it('re-iterates a re-iterable source on every pass', async () => {
    const source = {
      async *[Symbol.asyncIterator]() {
        yield* [1, 2, 3];
        await Promise.resolve();
      },
    };
    const ds = Dataset.fromAsyncIterable(source, { size: 3 });
    expect(await ds.toArray()).toEqual([1, 2, 3]);
    expect(await ds.toArray()).toEqual([1, 2, 3]);
  });

  it('a one-shot generator object can be read once; the second pass is a DataError saying what to do', async () => {
    async function* gen(): AsyncGenerator<number> {
      yield 1;
      await Promise.resolve();
    }
    const ds = Dataset.fromAsyncIterable(gen());
    expect(await ds.toArray()).toEqual([1]);
    await expect(ds.toArray()).rejects.toThrow(DataError);
    await expect(ds.toArray()).rejects.toThrow(/fromGenerator/);
  });

  it('accepts sync iterables such as arrays and Sets', async () => {
    expect(await Dataset.fromAsyncIterable(new Set([3, 1])).toArray()).toEqual([3, 1]);
  });
});
