/**
 * A small seeded PRNG for shuffling, splitting and the synthetic data sets, written here rather than borrowed from
 * `Math.random` so that a seed gives the same sequence in every engine and on every platform.
 *
 * - Generator: xoshiro128** (Blackman & Vigna, 2018; https://prng.di.unimi.it/xoshiro128starstar.c): 128 bits of
 *   state, period 2^128 − 1, passes BigCrush; only 32-bit integer arithmetic (`Math.imul`, shifts), so it is
 *   bit-exact everywhere.
 * - Seeding: the four state words are the first four outputs of splitmix32 (the 32-bit variant with the
 *   Hash Prospector mixing constants 0x21f0aaad, 0x735a2d97) started at the seed, the usual way to
 *   spread a small seed over a large state (it never yields the all-zero state in practice and decorrelates
 *   neighbouring seeds).
 * - Normals: Box–Muller. `Math.log`/`Math.cos`/`Math.sin` are not required to be correctly rounded by ECMAScript;
 *   V8 and SpiderMonkey both use fdlibm, so normals match across Node, Chrome and Firefox; another engine may differ
 *   in the last bit.
 */

/** splitmix32: one step of the seeding generator; returns the new state and the output word. */
function splitmix32(state: number): [next: number, out: number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return [next, (z ^ (z >>> 15)) >>> 0];
}

/**
 * Folds several numbers (a user seed, an epoch counter, a stream id) into one 32-bit seed. Seeds may be any
 * finite number; integers up to 2^53 stay distinct because the high word is mixed in too.
 */
export function mixSeeds(...parts: number[]): number {
  let h = 0x6a09e667;
  for (const p of parts) {
    if (!Number.isFinite(p)) throw new RangeError(`seed must be a finite number, got ${p}`);
    const n = Math.trunc(p);
    const lo = n >>> 0;
    const hi = Math.floor(n / 4294967296) >>> 0;
    h = splitmix32(h ^ lo)[1];
    h = splitmix32(h ^ hi)[1];
  }
  return h >>> 0;
}

/** A seed for callers that gave none: fresh per call, from `Math.random`. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 4294967296);
}

/**
 * Deterministic random numbers: xoshiro128** seeded by splitmix32 (see the file comment for why).
 * @example
 * const rng = new Rng(42);
 * rng.random();      // float in [0, 1)
 * rng.int(10);       // integer in [0, 10)
 * rng.normal(0, 1);  // standard normal
 */
export class Rng {
  #s0: number;
  #s1: number;
  #s2: number;
  #s3: number;
  #spare: number | undefined;

  /** @param seed any finite number; the same seed always gives the same sequence. */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`Rng: seed must be a finite number, got ${seed}`);
    // Seeds that fit 32 bits seed splitmix32 directly (so they match the reference C code); larger ones are folded.
    let state = Number.isInteger(seed) && seed >= 0 && seed < 4294967296 ? seed | 0 : mixSeeds(seed) | 0;
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [next, out] = splitmix32(state);
      state = next;
      words.push(out | 0);
    }
    [this.#s0, this.#s1, this.#s2, this.#s3] = words as [number, number, number, number];
  }

  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const s1 = this.#s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.#s2 ^= this.#s0;
    this.#s3 ^= s1;
    this.#s1 ^= this.#s2;
    this.#s0 ^= this.#s3;
    this.#s2 ^= t;
    this.#s3 = rotl(this.#s3, 11);
    return result;
  }

  /** A float in [0, 1) with 53 random bits (two draws), so every double in the range can come up. */
  random(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A float in [low, high). */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.random();
  }

  /**
   * An integer in [0, n), exactly uniform: draws above the largest multiple of n are rejected instead of folded
   * with `%`, which would favour small values.
   */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 4294967296) {
      throw new RangeError(`Rng.int: n must be an integer in [1, 2^32], got ${n}`);
    }
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const r = this.nextUint32();
      if (r < limit) return r % n;
    }
  }

  /** A normal deviate (Box–Muller; the second value of each pair is kept for the next call). */
  normal(mean = 0, std = 1): number {
    if (this.#spare !== undefined) {
      const z = this.#spare;
      this.#spare = undefined;
      return mean + std * z;
    }
    // 1 − u keeps the argument of log in (0, 1], never 0.
    const r = Math.sqrt(-2 * Math.log(1 - this.random()));
    const theta = 2 * Math.PI * this.random();
    this.#spare = r * Math.sin(theta);
    return mean + std * r * Math.cos(theta);
  }

  /** Shuffles `array` in place (Fisher–Yates) and returns it. */
  shuffle<A extends { length: number; [i: number]: unknown }>(array: A): A {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  /** A uniformly random permutation of 0…n−1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
