import { ArgumentError } from './errors';

/**
 * A seeded pseudo-random generator that yields the same numbers on every platform.
 *
 * Algorithm: xoshiro128** (Blackman & Vigna, 2018) on four 32-bit words. Seeding: the integer part of the seed is
 * split into its low and high 32 bits; state word i is fmix32(lo + (i+1)·0x9e3779b9) (MurmurHash3's finalizer on a
 * Weyl sequence), xor-ed, when the high word is non-zero, with fmix32(hi + (i+1)·0x6a09e667), so negative seeds
 * and seeds ≥ 2³² get streams of their own. Only 32-bit integer arithmetic (`Math.imul`, shifts) is used, so the
 * integer stream is bit-identical in every JavaScript engine. Uniform floats take 53 bits from two draws
 * (`(a>>>5)·2²⁶ + (b>>>6)) / 2⁵³`. Normals use the Box–Muller transform, which calls Math.log, Math.sqrt,
 * Math.cos and Math.sin: V8 (Node, Chromium) computes these with the same fdlibm port on every platform; other
 * engines may differ in the last bit.
 */
export class Generator {
  #s = new Uint32Array(4);
  #spare: number | undefined;

  /** A generator seeded with the integer part of `seed` (any finite number; negative seeds are fine). */
  constructor(seed: number) {
    if (!Number.isFinite(seed))
      throw new ArgumentError(`Generator: seed must be a finite number, got ${seed}`);
    const whole = Math.trunc(seed);
    const lo = whole >>> 0;
    // Xor-ing the high word into the low one would make −1 collide with 0 and −2 with 1; mixing it separately
    // keeps every seed in [0, 2³²) on its original stream and gives the others streams of their own.
    const hi = Math.floor(whole / 4294967296) >>> 0;
    let x = lo;
    let y = hi;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let w = fmix32(x);
      if (hi !== 0) {
        y = (y + 0x6a09e667) >>> 0;
        w = (w ^ fmix32(y)) >>> 0;
      }
      this.#s[i] = w;
    }
    if (this.#s.every((v) => v === 0)) this.#s[0] = 1;
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.#s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** A float in [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** A standard normal sample (Box–Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.#spare !== undefined) {
      const v = this.#spare;
      this.#spare = undefined;
      return v;
    }
    const u1 = 1 - this.uniform(); // (0, 1]: log never sees 0
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.#spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /** An integer in [low, high), without modulo bias. */
  int(low: number, high: number): number {
    const range = high - low;
    if (!Number.isInteger(low) || !Number.isInteger(high) || range <= 0 || range > 4294967296) {
      throw new ArgumentError(
        `Generator.int: need integers low < high with high − low ≤ 2³², got [${low}, ${high})`,
      );
    }
    const limit = 4294967296 - (4294967296 % range);
    let v: number;
    do v = this.nextUint32();
    while (v >= limit);
    return low + (v % range);
  }

  /** The full state (four words and the pending Box–Muller sample, NaN if none), for saving and exact resume. */
  getState(): number[] {
    return [...this.#s, this.#spare ?? NaN];
  }

  /** Restores a state from `getState()`; the stream continues exactly where it was saved. */
  setState(state: readonly number[]): void {
    if (state.length !== 5)
      throw new ArgumentError(`Generator.setState: expected 5 numbers, got ${state.length}`);
    for (let i = 0; i < 4; i++) this.#s[i] = state[i]! >>> 0;
    this.#spare = Number.isNaN(state[4]) ? undefined : state[4];
  }
}

/** MurmurHash3's 32-bit finalizer: a bijection that spreads every input bit over the output. */
function fmix32(z: number): number {
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

let globalGenerator = new Generator(Math.floor(Math.random() * 4294967296));

/** Seeds the generator used by random ops that get neither `seed` nor `generator`. */
export function setSeed(seed: number): void {
  globalGenerator = new Generator(seed);
}

/** The generator random ops use when given neither `seed` nor `generator`. */
export function getGlobalGenerator(): Generator {
  return globalGenerator;
}

/** Options of every random op: a `seed` for a fresh generator, or a `generator` to draw from. */
export interface RandomOptions {
  /** Draw from a fresh `new Generator(seed)`: the same seed gives the same tensor. */
  seed?: number;
  /** Draw from (and advance) this generator; takes precedence over `seed`. */
  generator?: Generator;
}

/** The generator a random op draws from: `generator`, else a fresh one from `seed`, else the global one. */
export function resolveGenerator(o: RandomOptions): Generator {
  if (o.generator) return o.generator;
  if (o.seed !== undefined) return new Generator(o.seed);
  return globalGenerator;
}
