import type { Tensor } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import { Dataset } from '../src/index';
import { chiSquareUniform } from './helpers';

const range = (n: number): Dataset<number> =>
  Dataset.fromGenerator(
    function* () {
      for (let i = 0; i < n; i++) yield i;
    },
    { size: n },
  );
const memRange = (n: number): Dataset<number> =>
  Dataset.fromArrays(Int32Array.from({ length: n }, (_, i) => i)).map((t) => t.dataSync()[0]!);
/** In-memory data read through batches, so the index path (not per-sample iteration) is what is measured. */
const memBatched = async (ds: Dataset<Tensor>): Promise<number[]> => {
  const out: number[] = [];
  for await (const b of ds.batch(7)) out.push(...b.dataSync());
  return out;
};
const memIndex = (n: number): Dataset<Tensor> =>
  Dataset.fromArrays(Int32Array.from({ length: n }, (_, i) => i));
const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
const iota = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('shuffle', () => {
  it('yields a permutation of the input, with the same size', async () => {
    const ds = range(100).shuffle(100, 1);
    expect(ds.size).toBe(100);
    const out = await ds.toArray();
    expect(out).not.toEqual(iota(100));
    expect(sorted(out)).toEqual(iota(100));
    expect(sorted(await memBatched(memIndex(100).shuffle(30, 1)))).toEqual(iota(100));
  });

  it('the same seed gives the same sequence of orders; another seed another', async () => {
    const a = range(50).shuffle(50, 42);
    const b = range(50).shuffle(50, 42);
    const first = [await a.toArray(), await a.toArray()];
    expect([await b.toArray(), await b.toArray()]).toEqual(first);
    expect(await range(50).shuffle(50, 43).toArray()).not.toEqual(first[0]);
  });

  it('reshuffles on every pass by default, and not when reshuffleEachIteration is false', async () => {
    const ds = range(50).shuffle(50, 7);
    const p1 = await ds.toArray();
    const p2 = await ds.toArray();
    expect(p2).not.toEqual(p1);
    const fixed = range(50).shuffle(50, 7, false);
    expect(await fixed.toArray()).toEqual(p1);
    expect(await fixed.toArray()).toEqual(p1);
  });

  it('reshuffles within repeat(): each repetition is a new order', async () => {
    const out = await range(20).shuffle(20, 5).repeat(2).toArray();
    const [e1, e2] = [out.slice(0, 20), out.slice(20)];
    expect(sorted(e1)).toEqual(iota(20));
    expect(sorted(e2)).toEqual(iota(20));
    expect(e2).not.toEqual(e1);
  });

  it('stream data and in-memory data (per sample and batched) get the same order for a seed', async () => {
    const s = await range(64).shuffle(16, 3).toArray();
    expect(await memRange(64).shuffle(16, 3).toArray()).toEqual(s);
    expect(await memBatched(memIndex(64).shuffle(16, 3))).toEqual(s);
  });

  it('a buffer of 1 keeps the order; a small buffer only moves elements a bounded distance back', async () => {
    expect(await range(30).shuffle(1, 0).toArray()).toEqual(iota(30));
    const out = await range(1000).shuffle(10, 0).toArray();
    // An element can only leave once it entered the buffer: position p holds an element ≤ p + bufferSize − 1.
    out.forEach((x, p) => expect(x).toBeLessThanOrEqual(p + 9));
  });

  it('with no seed, two datasets shuffle differently', async () => {
    expect(await range(50).shuffle(50).toArray()).not.toEqual(await range(50).shuffle(50).toArray());
  });

  it('rejects a buffer size below 1', () => {
    expect(() => range(3).shuffle(0)).toThrow(/bufferSize/);
  });

  /**
   * Uniformity: with a full buffer every element must land in every position with probability 1/n. Shuffle 0…4
   * for 10 000 passes (reshuffling each pass) and count where each element lands: 25 cells of 2 000 expected.
   * The summed chi-square has (n−1)² = 16 degrees of freedom; we compare it with the 20-dof critical value
   * 45.31 (0.1 % level), which is conservative. All 120 permutations must also be equally likely: 119 dof,
   * 0.1 % critical value ≈ 172.5 (Wilson–Hilferty). The seed is fixed, so the test is deterministic; a correct
   * shuffle passes for all but about 1 seed in 1000 (a biased one fails by a wide margin, see the next test).
   */
  it.each([
    ['stream', (n: number) => range(n)],
    ['in-memory', (n: number) => memRange(n)],
  ] as const)(
    '%s: positions and whole permutations are uniform (chi-square, 0.1 %% level)',
    async (_name, make) => {
      const n = 5;
      const passes = 10_000;
      const ds = make(n).shuffle(n, 2024);
      const cells = new Array<number>(n * n).fill(0);
      const perms = new Map<string, number>();
      for (let p = 0; p < passes; p++) {
        const out = await ds.toArray();
        out.forEach((x, pos) => cells[x * n + pos]!++);
        const key = out.join('');
        perms.set(key, (perms.get(key) ?? 0) + 1);
      }
      let chi = 0;
      for (let x = 0; x < n; x++) chi += chiSquareUniform(cells.slice(x * n, x * n + n));
      expect(chi).toBeLessThan(45.31);
      expect(perms.size).toBe(120);
      expect(chiSquareUniform([...perms.values()])).toBeLessThan(172.5);
    },
  );

  it('the uniformity test detects a biased shuffle (guards the test itself)', () => {
    // Naive "swap each i with any j in [0, n)" is known to be biased: 3125 equally likely paths onto 120 orders.
    const n = 5;
    const perms = new Map<string, number>();
    let state = 12345;
    const rand = (k: number): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return Math.floor((state / 2 ** 32) * k);
    };
    for (let p = 0; p < 10_000; p++) {
      const a = iota(n);
      for (let i = 0; i < n; i++) {
        const j = rand(n);
        [a[i], a[j]] = [a[j]!, a[i]!];
      }
      const key = a.join('');
      perms.set(key, (perms.get(key) ?? 0) + 1);
    }
    expect(chiSquareUniform([...perms.values()])).toBeGreaterThan(172.5);
  });
});
