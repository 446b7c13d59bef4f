import { ArgumentError } from './errors';

/**
 * A seeded pseudo-random generator that yields the same numbers on every platform.
 *
 * Algorithm: xoshiro128** (Blackman & Vigna, 2018) on four 32-bit words. Seeding: the integer part of the seed is
 * split into its low and high 32 bits; state word i is fmix32(lo + (i+1)·0x9e3779b9) (MurmurHash3's finalizer on a
 * Weyl sequence), xor-ed, when the high word is non-zero, with fmix32(hi + (i+1)·0x6a09e667), so negative seeds
 * and seeds ≥ 2³² get streams of their own. Only 32-bit integer arithmetic (`Math.imul`, shifts) is used, so the
 * integer stream is bit-identical in every JavaScript engine. Uniform floats take 53 bits from two draws
 * (`(a>>>5)·2²⁶ + (b>>>6)) / 2⁵³`.
 *
 * Normals use Marsaglia's polar method: u, v = 2·uniform − 1 until 0 < s = u² + v² < 1, then u·m and v·m with
 * m = √(−2·ln s / s) (v·m is kept for the next call). ln is {@link exactLog}, computed here from +, −, ×, ÷ and
 * the exponent bits only — not Math.log, whose last bit ECMAScript leaves to the engine — and √ is IEEE 754's
 * correctly rounded square root. Every step is therefore an operation IEEE 754 defines exactly (JavaScript never
 * fuses a multiply-add), so normal samples, like the integer stream, are bit-identical in every engine.
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

  /** A standard normal sample (Marsaglia's polar method; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.#spare !== undefined) {
      const v = this.#spare;
      this.#spare = undefined;
      return v;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * exactLog(s)) / s);
    this.#spare = v * m;
    return u * m;
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

  /** The full state (four words and the pending normal sample, NaN if none), for saving and exact resume. */
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

// ln 2 split so that e·LN2_HI is exact for every binary exponent e (LN2_HI has its low 32 bits zero).
const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;
// 1/23, 1/21, …, 1/3: the series 2·atanh(f) = 2·(f + f³/3 + f⁵/5 + …) for Horner's rule, highest term first.
const ATANH_COEFFS = Array.from({ length: 11 }, (_, k) => 1 / (2 * (11 - k) + 1));
const bits = new DataView(new ArrayBuffer(8));

/**
 * @internal Natural logarithm of a positive finite float64 from +, −, ×, ÷ and the exponent bits only, so its
 * result is the same bits in every JavaScript engine (Math.log may differ in the last bit between engines).
 * x = 2ᵉ·m with m in [√½, √2); ln m = 2·atanh(f), f = (m − 1)/(m + 1), |f| ≤ 0.172, by its odd series to f²³
 * (truncation < 2⁻⁵⁸ relative); ln x = e·ln 2 + ln m with ln 2 in two parts. Within 2 ulp of the true value (the tests compare it with Math.log).
 */
export function exactLog(x: number): number {
  if (!(x > 0) || x === Infinity) return x === 0 ? -Infinity : x === Infinity ? Infinity : NaN;
  let e = 0;
  // Subnormals: scale into the normal range first (×2⁵⁴ is exact).
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984;
    e = -54;
  }
  bits.setFloat64(0, x);
  const hi = bits.getUint32(0);
  e += ((hi >>> 20) & 0x7ff) - 1023;
  bits.setUint32(0, (hi & 0x000fffff) | 0x3ff00000); // the same mantissa with exponent 0: m in [1, 2)
  let m = bits.getFloat64(0);
  if (m > Math.SQRT2) {
    m /= 2;
    e += 1;
  }
  const f = (m - 1) / (m + 1);
  const f2 = f * f;
  let p = 0;
  for (const c of ATANH_COEFFS) p = p * f2 + c;
  // p = 1/3 + f²/5 + … + f²⁰/23, so ln m = 2f + 2f·f²·p: the leading term exact, the rest a small correction.
  const lnm = 2 * f + 2 * f * f2 * p;
  return e * LN2_HI + (lnm + e * LN2_LO);
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
