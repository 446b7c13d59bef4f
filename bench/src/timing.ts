/** Deterministic inputs in [-1, 1) (an LCG: the benchmark must not depend on the library under test). */
export function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2147483648 - 1;
  }
  return out;
}

/** The middle element (upper median for even lengths); NaN for none. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

/**
 * Seconds per call of each function, one sample per round. Each round runs one batch of every function in turn,
 * and rounds repeat until `budget` seconds have passed (at least `minBatches` rounds), so all see the same machine
 * load: sample i of every function comes from the same round, a second or so of wall time, which is what lets
 * `pairedRatio` cancel a slow phase of the host that hits both sides. `before[i]` runs before each batch of
 * `fns[i]` (to make its engine current) and is not timed, and so does one call of `fns[i]` (unless a call takes a
 * quarter second or more): the previous batch belonged to another implementation, so without it the first call
 * would pay for that one's data in the caches and its own threads asleep, and a batch of one or two calls of a
 * large product would measure that, not throughput.
 */
export function timeRounds(
  fns: readonly (() => void)[],
  budget: number,
  before: readonly ((() => void) | undefined)[] = [],
  minBatches = 5,
): number[][] {
  const once = fns.map((fn, i) => {
    before[i]?.();
    fn(); // JIT and first-touch warm-up, not timed
    const t0 = performance.now();
    fn();
    return Math.max((performance.now() - t0) / 1000, 1e-6);
  });
  const per = once.map((s) => Math.max(1, Math.round(budget / 20 / fns.length / s)));
  const samples: number[][] = fns.map(() => []);
  const start = performance.now();
  while (samples[0]!.length < minBatches || (performance.now() - start) / 1000 < budget) {
    fns.forEach((fn, i) => {
      before[i]?.();
      // A call of a quarter second or more dwarfs cold caches and waking threads: no untimed call before it.
      if (once[i]! < 0.25) fn();
      const t0 = performance.now();
      for (let r = 0; r < per[i]!; r++) fn();
      samples[i]!.push((performance.now() - t0) / 1000 / per[i]!);
    });
  }
  return samples;
}

/** Median seconds per call of each function, timed in alternating rounds as `timeRounds` does. */
export function timeAll(
  fns: readonly (() => void)[],
  budget: number,
  before: readonly ((() => void) | undefined)[] = [],
  minBatches = 5,
): number[] {
  return timeRounds(fns, budget, before, minBatches).map(median);
}

/**
 * The ratio a/b of two rates measured in the same rounds: the median of the per-round ratios, so that a round in
 * which the host slowed both sides counts as one more ordinary ratio rather than dragging one median down. Falls
 * back to the ratio of the medians when the rounds do not line up (measured in different groups).
 */
export function pairedRatio(
  a: { rate: number; rounds?: readonly number[] },
  b: { rate: number; rounds?: readonly number[] },
): number {
  const ra = a.rounds;
  const rb = b.rounds;
  if (!ra || !rb || ra.length !== rb.length || ra.length === 0) return a.rate / b.rate;
  return median(ra.map((x, i) => x / rb[i]!));
}
