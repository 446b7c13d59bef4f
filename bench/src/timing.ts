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
 * Median seconds per call of each function. Batches alternate between them until `budget` seconds have passed
 * (at least `minBatches` each), so all see the same machine load and their ratios stay fair on a busy machine.
 * `before[i]` runs before each batch of `fns[i]` (to make its engine current) and is not timed, and so does one
 * call of `fns[i]`: the previous batch belonged to another implementation, so without it the first call would pay
 * for that one's data in the caches and its own threads asleep, and a batch of one or two calls of a large
 * product would measure that, not throughput.
 */
export function timeAll(
  fns: readonly (() => void)[],
  budget: number,
  before: readonly ((() => void) | undefined)[] = [],
  minBatches = 5,
): number[] {
  const per = fns.map((fn, i) => {
    before[i]?.();
    fn(); // JIT and first-touch warm-up, not timed
    const t0 = performance.now();
    fn();
    const once = Math.max((performance.now() - t0) / 1000, 1e-6);
    return Math.max(1, Math.round(budget / 20 / fns.length / once));
  });
  const samples: number[][] = fns.map(() => []);
  const start = performance.now();
  while (samples[0]!.length < minBatches || (performance.now() - start) / 1000 < budget) {
    fns.forEach((fn, i) => {
      before[i]?.();
      fn();
      const t0 = performance.now();
      for (let r = 0; r < per[i]!; r++) fn();
      samples[i]!.push((performance.now() - t0) / 1000 / per[i]!);
    });
  }
  return samples.map(median);
}
