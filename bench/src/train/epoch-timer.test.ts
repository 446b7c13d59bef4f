import { afterEach, describe, expect, it, vi } from 'vitest';
import { EpochTimer } from './epoch-timer';

afterEach(() => vi.restoreAllMocks());

/** Drives the timer with steps of the given durations (ms) on a fake clock; returns steps taken until done. */
function drive(
  timer: EpochTimer,
  clock: { t: number },
  durations: (step: number) => number,
  limit = 10_000,
): number {
  for (let s = 0; s < limit; s++) {
    clock.t += durations(s);
    if (timer.step()) return s + 1;
  }
  throw new Error('timer never finished');
}

describe('EpochTimer', () => {
  it('sizes epochs from the second half of warm-up and reports the median epoch rate', () => {
    const clock = { t: 0 };
    vi.spyOn(performance, 'now').mockImplementation(() => clock.t);
    const sched = {
      quick: true,
      warmupSteps: 4,
      warmupSeconds: 0.2,
      epochSeconds: 1,
      minSteps: 2,
      epochs: 3,
    };
    let rss = 100;
    const timer = new EpochTimer(sched, 10, () => (rss += 1));
    // Warm-up: 2 slow steps (compilation), then 100 ms steps; the epochs then run at 100, 50 and 200 ms per step.
    const steps = drive(timer, clock, (s) => {
      if (s < 2) return 500;
      if (s < 4) return 100;
      const e = Math.floor((s - 4) / 10);
      return [100, 50, 200][e]!;
    });
    expect(steps).toBe(4 + 3 * 10); // 1 s per epoch at 100 ms per step
    const r = timer.report();
    expect(r.stepsPerEpoch).toBe(10);
    expect(r.epochRates.map((x) => Math.round(x))).toEqual([100, 200, 50]); // 10 steps × 10 samples / seconds
    expect(Math.round(r.samplesPerSec)).toBe(100);
    expect(r.peakRssMiB).toBeCloseTo((100 + steps) / 2 ** 20, 12);
  });

  it('refuses to report before the timed epochs are complete', () => {
    const clock = { t: 0 };
    vi.spyOn(performance, 'now').mockImplementation(() => clock.t);
    const timer = new EpochTimer(
      { quick: true, warmupSteps: 2, warmupSeconds: 0, epochSeconds: 1, minSteps: 1, epochs: 3 },
      1,
    );
    clock.t += 10;
    timer.step();
    expect(() => timer.report()).toThrow(/timed epochs/);
  });
});
