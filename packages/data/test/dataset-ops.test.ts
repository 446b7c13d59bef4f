import { DTypeError, ShapeError, Tensor, memory, scope, tensor } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import { Dataset, digits } from '../src/index';
import { list } from './helpers';

const range = (n: number): Dataset<number> =>
  Dataset.fromGenerator(
    function* () {
      for (let i = 0; i < n; i++) yield i;
    },
    { size: n },
  );

/** The same 0…n−1 as in-memory data (the index path), read back as numbers. */
const memRange = (n: number): Dataset<Tensor> =>
  Dataset.fromArrays(Int32Array.from({ length: n }, (_, i) => i));
const numbers = async (ds: Dataset<Tensor>): Promise<number[]> =>
  (await ds.toArray()).map((t) => t.dataSync()[0]!);

describe('map and filter', () => {
  it('map applies sync and async functions in order and keeps the size', async () => {
    const ds = range(4).map((x) => x * 10);
    expect(ds.size).toBe(4);
    expect(await ds.toArray()).toEqual([0, 10, 20, 30]);
    expect(
      await range(3)
        .map(async (x) => Promise.resolve(x + 1))
        .toArray(),
    ).toEqual([1, 2, 3]);
  });

  it('filter keeps matching elements; the size becomes unknown', async () => {
    const ds = range(10).filter((x) => x % 3 === 0);
    expect(ds.size).toBeUndefined();
    expect(await ds.toArray()).toEqual([0, 3, 6, 9]);
  });

  it('map and filter work on in-memory data (per-sample tensors)', async () => {
    const ds = memRange(6)
      .filter((t) => t.dataSync()[0]! % 2 === 1)
      .map((t) => t.dataSync()[0]! * 2);
    expect(await ds.toArray()).toEqual([2, 6, 10]);
  });
});

describe('batch', () => {
  it('stacks numbers into float32 tensors; the last batch is smaller unless dropRemainder', async () => {
    const batches = await range(5).batch(2).toArray();
    expect(batches.map((b) => b.shape)).toEqual([[2], [2], [1]]);
    expect(batches.map((b) => list(b.dataSync()))).toEqual([[0, 1], [2, 3], [4]]);
    expect(batches[0]!.dtype).toBe('float32');
    expect(range(5).batch(2).size).toBe(3);
    const dropped = range(5).batch(2, { dropRemainder: true });
    expect(dropped.size).toBe(2);
    expect((await dropped.toArray()).map((b) => b.shape[0])).toEqual([2, 2]);
  });

  it('keeps the structure of records and tuples and stacks tensors, typed arrays and nested arrays', async () => {
    const ds = Dataset.fromGenerator(function* () {
      for (let i = 0; i < 3; i++) {
        yield {
          x: tensor([i, i + 1]),
          pair: [new Int32Array([i]), [[i], [-i]]] as const,
          flag: i % 2 === 0,
        };
      }
    }).batch(3);
    const [b] = await ds.toArray();
    expect(b!.x.shape).toEqual([3, 2]);
    expect(list(b!.x.dataSync())).toEqual([0, 1, 1, 2, 2, 3]);
    expect(b!.pair[0].dtype).toBe('int32');
    expect(b!.pair[0].shape).toEqual([3, 1]);
    expect(b!.pair[1].shape).toEqual([3, 2, 1]);
    expect(list(b!.pair[1].dataSync())).toEqual([0, -0, 1, -1, 2, -2]);
    expect(b!.flag.dtype).toBe('bool');
    expect(list(b!.flag.dataSync())).toEqual([1, 0, 1]);
  });

  it('elements of different shapes or dtypes are a typed error naming the element and the path', async () => {
    const shapes = Dataset.fromGenerator(() => [{ x: [1, 2] }, { x: [1, 2, 3] }]).batch(2);
    await expect(shapes.toArray()).rejects.toThrow(ShapeError);
    await expect(shapes.toArray()).rejects.toThrow(/element 1 at x has shape \[3\].*element 0 has \[2\]/);
    const dtypes = Dataset.fromGenerator(() => [tensor([1]), tensor([1], [1], 'int32')]).batch(2);
    await expect(dtypes.toArray()).rejects.toThrow(DTypeError);
    const missing = Dataset.fromGenerator(() => [{ a: 1, b: 2 }, { a: 1 }]).batch(2);
    await expect(missing.toArray()).rejects.toThrow(/no key 'b'/);
    await expect(
      Dataset.fromGenerator(() => ['s'])
        .batch(1)
        .toArray(),
    ).rejects.toThrow(/cannot batch string/);
  });

  it('in-memory batches equal the rows in order, with the right shapes and dtypes', async () => {
    const xs = Float32Array.from({ length: 10 * 3 }, (_, i) => i);
    const ys = Uint8Array.from({ length: 10 }, (_, i) => i);
    const batches = await Dataset.fromArrays({ xs, ys }, { xs: [3] })
      .batch(4)
      .toArray();
    expect(batches.map((b) => b.xs.shape)).toEqual([
      [4, 3],
      [4, 3],
      [2, 3],
    ]);
    expect(list(batches[2]!.xs.dataSync())).toEqual([24, 25, 26, 27, 28, 29]);
    expect(batches[1]!.ys.dtype).toBe('int32');
    expect(list(batches[1]!.ys.dataSync())).toEqual([4, 5, 6, 7]);
  });

  it('rejects a batch size below 1', () => {
    expect(() => range(3).batch(0)).toThrow(/batchSize/);
    expect(() => range(3).batch(1.5)).toThrow(/batchSize/);
  });
});

describe('in-memory batching makes no per-sample tensors', () => {
  it('each batch of {xs, ys} creates exactly two tensors, before and after a shuffle', async () => {
    const n = 1000;
    const xs = Float32Array.from({ length: n * 8 }, (_, i) => i);
    const ys = Int32Array.from({ length: n }, (_, i) => i);
    for (const ds of [
      Dataset.fromArrays({ xs, ys }, { xs: [8] }).batch(100),
      Dataset.fromArrays({ xs, ys }, { xs: [8] })
        .shuffle(n, 1)
        .take(700)
        .repeat(2)
        .batch(100),
    ]) {
      const held: Tensor[] = [];
      const before = memory().numTensors;
      let batches = 0;
      for await (const b of ds) {
        held.push(b.xs, b.ys);
        batches++;
        // Counted while every batch is still held, so the garbage collector cannot hide extra tensors.
        expect(memory().numTensors - before).toBe(2 * batches);
      }
      expect(batches).toBe(ds.size);
      held.forEach((t) => t.dispose());
    }
  });

  it('gathered rows after a shuffle match the samples their labels name', async () => {
    const n = 500;
    const xs = Float32Array.from({ length: n * 4 }, (_, i) => Math.floor(i / 4) * 10 + (i % 4));
    const ys = Int32Array.from({ length: n }, (_, i) => i);
    const seen = new Set<number>();
    for await (const b of Dataset.fromArrays({ xs, ys }, { xs: [4] })
      .shuffle(n, 3)
      .batch(64)) {
      const x = b.xs.dataSync();
      b.ys.dataSync().forEach((label, k) => {
        seen.add(label);
        expect(list(x.subarray(k * 4, k * 4 + 4))).toEqual([0, 1, 2, 3].map((j) => label * 10 + j));
      });
    }
    expect(seen.size).toBe(n);
  });
});

describe('take, skip, repeat, concatenate', () => {
  it.each([
    ['stream', range],
    ['in-memory', memRange],
  ] as const)('%s: take and skip cut the front and keep sizes', async (_name, make) => {
    const read = async (ds: Dataset<number> | Dataset<Tensor>): Promise<number[]> =>
      (await (ds as Dataset<unknown>).toArray()).map((x) =>
        x instanceof Tensor ? x.dataSync()[0]! : (x as number),
      );
    const ds = make(6) as Dataset<unknown>;
    expect(await read(ds.take(2) as Dataset<number>)).toEqual([0, 1]);
    expect(await read(ds.skip(4) as Dataset<number>)).toEqual([4, 5]);
    expect(await read(ds.skip(2).take(3) as Dataset<number>)).toEqual([2, 3, 4]);
    expect(await read(ds.take(0) as Dataset<number>)).toEqual([]);
    expect(await read(ds.skip(10) as Dataset<number>)).toEqual([]);
    expect([ds.take(2).size, ds.take(10).size, ds.skip(4).size, ds.skip(10).size]).toEqual([2, 6, 2, 0]);
    expect(await read(ds.repeat(2) as Dataset<number>)).toEqual([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5]);
    expect(ds.repeat(3).size).toBe(18);
    expect(ds.repeat().size).toBe(Infinity);
    expect(await read(ds.repeat().take(8) as Dataset<number>)).toEqual([0, 1, 2, 3, 4, 5, 0, 1]);
    expect(await read(ds.take(2).concatenate(ds.skip(5)) as Dataset<number>)).toEqual([0, 1, 5]);
    expect(ds.take(2).concatenate(ds.skip(5)).size).toBe(3);
  });

  it('repeat() of an empty dataset ends instead of hanging', async () => {
    expect(await range(0).repeat().toArray()).toEqual([]);
    expect(await numbers(memRange(0).repeat())).toEqual([]);
  });

  it('each repeat is a new pass upstream (the generator is called again)', async () => {
    let calls = 0;
    const ds = Dataset.fromGenerator(() => {
      calls++;
      return [1];
    });
    expect(await ds.repeat(3).toArray()).toEqual([1, 1, 1]);
    expect(calls).toBe(3);
  });

  it('concatenating in-memory data with a stream works and has the summed size', async () => {
    const ds = memRange(2)
      .map((t) => t.dataSync()[0]!)
      .concatenate(range(2));
    expect(await ds.toArray()).toEqual([0, 1, 0, 1]);
    expect(ds.size).toBe(4);
  });

  it('rejects negative or fractional counts', () => {
    expect(() => range(3).take(-1)).toThrow(/count/);
    expect(() => range(3).skip(0.5)).toThrow(/count/);
    expect(() => range(3).repeat(-2)).toThrow(/count/);
  });
});

describe('zip', () => {
  it('pairs elements as a record or tuple and ends with the shortest', async () => {
    const rec = Dataset.zip({ a: range(3), b: range(5).map((x) => x * 10) });
    expect(rec.size).toBe(3);
    expect(await rec.toArray()).toEqual([
      { a: 0, b: 0 },
      { a: 1, b: 10 },
      { a: 2, b: 20 },
    ]);
    const tup = Dataset.zip([range(2), memRange(2)]);
    const rows = await tup.toArray();
    expect(rows.map(([x, t]) => [x, t.dataSync()[0]])).toEqual([
      [0, 0],
      [1, 1],
    ]);
  });

  it('closes the longer sources when the shortest ends', async () => {
    let closed = false;
    const long = Dataset.fromGenerator(function* () {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        closed = true;
      }
    });
    expect(await Dataset.zip([range(2), long]).toArray()).toEqual([
      [0, 0],
      [1, 1],
    ]);
    expect(closed).toBe(true);
  });
});

describe('prefetch', () => {
  it('keeps order and size, and requests elements ahead of the consumer', async () => {
    const produced: number[] = [];
    const ds = Dataset.fromGenerator(
      async function* () {
        for (let i = 0; i < 6; i++) {
          await Promise.resolve();
          produced.push(i);
          yield i;
        }
      },
      { size: 6 },
    ).prefetch(3);
    expect(ds.size).toBe(6);
    const it = ds[Symbol.asyncIterator]();
    expect((await it.next()).value).toBe(0);
    // Give the prefetcher a few turns of the event loop: it should have produced more than we consumed.
    await new Promise((r) => setTimeout(r, 5));
    expect(produced.length).toBeGreaterThanOrEqual(3);
    const rest: number[] = [];
    for (let r = await it.next(); !r.done; r = await it.next()) rest.push(r.value);
    expect(rest).toEqual([1, 2, 3, 4, 5]);
  });

  it('passes errors through in order and closes the source on an early break', async () => {
    const failing = Dataset.fromGenerator(function* () {
      yield 1;
      throw new Error('boom');
    }).prefetch(4);
    const got: number[] = [];
    await expect(failing.forEachAsync((x) => void got.push(x))).rejects.toThrow('boom');
    expect(got).toEqual([1]);

    let closed = false;
    const endless = Dataset.fromGenerator(function* () {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        closed = true;
      }
    }).prefetch(2);
    for await (const x of endless) if (x === 3) break;
    expect(closed).toBe(true);
  });

  it('returns in-memory data unchanged (nothing to wait for)', () => {
    const ds = memRange(3);
    expect(ds.prefetch(2)).toBe(ds);
  });
});

describe('cache', () => {
  it('reads the source once and replays it; disposing replayed tensors does not hurt later passes', async () => {
    let calls = 0;
    const ds = Dataset.fromGenerator(function* () {
      calls++;
      for (let i = 0; i < 3; i++) yield { x: tensor([i, -i]), i };
    }).cache();
    for (let pass = 0; pass < 3; pass++) {
      const rows = await ds.toArray();
      expect(rows.map((r) => [r.i, ...list(r.x.dataSync())])).toEqual([
        [0, 0, -0],
        [1, 1, -1],
        [2, 2, -2],
      ]);
      rows.forEach((r) => r.x.dispose());
    }
    expect(calls).toBe(1);
  });

  it('an interrupted first pass is not kept', async () => {
    let calls = 0;
    const ds = Dataset.fromGenerator(function* () {
      calls++;
      yield* [1, 2, 3];
    }).cache();
    for await (const x of ds) if (x === 1) break;
    expect(await ds.toArray()).toEqual([1, 2, 3]);
    expect(await ds.toArray()).toEqual([1, 2, 3]);
    expect(calls).toBe(2);
  });
});

describe('split', () => {
  it.each([
    ['stream', () => range(100) as Dataset<unknown>],
    ['in-memory', () => memRange(100) as Dataset<unknown>],
  ] as const)(
    '%s: disjoint parts of the right sizes whose union is everything, in original order',
    async (_n, make) => {
      const read = async (ds: Dataset<unknown>): Promise<number[]> =>
        (await ds.toArray()).map((x) => (x instanceof Tensor ? x.dataSync()[0]! : (x as number)));
      const { train, validation } = make().split(0.2, { seed: 9 });
      expect([train.size, validation.size]).toEqual([80, 20]);
      const a = await read(train);
      const b = await read(validation);
      expect(a).toHaveLength(80);
      expect(b).toHaveLength(20);
      expect([...a, ...b].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
      expect(a).toEqual([...a].sort((x, y) => x - y));
      expect(b).not.toEqual(Array.from({ length: 20 }, (_, i) => 80 + i)); // random, not the tail
      // Same seed, same choice; every pass gives the same parts.
      expect(await read(make().split(0.2, { seed: 9 }).validation)).toEqual(b);
      expect(await read(validation)).toEqual(b);
      expect(await read(make().split(0.2, { seed: 10 }).validation)).not.toEqual(b);
    },
  );

  it('stream and in-memory data choose the same validation positions for a seed', async () => {
    const s = await range(50).split(0.3, { seed: 4 }).validation.toArray();
    const m = await numbers(memRange(50).split(0.3, { seed: 4 }).validation);
    expect(m).toEqual(s);
  });

  it('shuffle: false takes the last samples, like Keras validationSplit', async () => {
    const { train, validation } = range(10).split(0.3, { shuffle: false });
    expect(await validation.toArray()).toEqual([7, 8, 9]);
    expect(await train.toArray()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('needs a known finite size and a fraction in (0, 1)', () => {
    expect(() => Dataset.fromGenerator(() => [1]).split(0.5)).toThrow(/unknown/);
    expect(() => range(3).repeat().split(0.5)).toThrow(/infinite/);
    expect(() => range(3).split(1)).toThrow(/validationFraction/);
  });
});

describe('iteration', () => {
  it('every for-await is a fresh pass; forEachAsync awaits its callback', async () => {
    const ds = range(3);
    const seen: number[] = [];
    await ds.forEachAsync(async (x) => {
      await Promise.resolve();
      seen.push(x);
    });
    for await (const x of ds) seen.push(x);
    expect(seen).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it('toArray refuses an infinite dataset', async () => {
    await expect(range(2).repeat().toArray()).rejects.toThrow(/infinite/);
  });

  it('breaking out of a pass closes the source', async () => {
    let closed = false;
    const ds = Dataset.fromGenerator(function* () {
      try {
        yield* [1, 2, 3];
      } finally {
        closed = true;
      }
    })
      .map((x) => x + 1)
      .batch(1);
    for await (const _ of ds) break;
    expect(closed).toBe(true);
  });
});

describe('memory over many passes', () => {
  it('stays flat over ten passes when each step pulls its batch inside scope() (how a training loop does it)', async () => {
    const ds = Dataset.fromTensors(digits()).shuffle(1797, 0).batch(64);
    const start = memory();
    for (let epoch = 0; epoch < 10; epoch++) {
      const it = ds[Symbol.asyncIterator]();
      // The batch is made inside the scope (by next()), so the scope disposes it when the step ends.
      while (!(await scope(async () => (await it.next()).done ?? false)));
    }
    expect(memory().numTensors).toBeLessThanOrEqual(start.numTensors);
    expect(memory().numBytes).toBeLessThanOrEqual(start.numBytes);
  });
});
