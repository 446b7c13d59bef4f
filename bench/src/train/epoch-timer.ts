import type { Schedule } from './spec';
import { median } from '../timing';

/**
 * Called at the end of every training step; splits the steps into one warm-up epoch and `schedule.epochs` timed
 * epochs, and samples the RSS after each step.
 */
export class EpochTimer {
  private readonly stepEnds: number[] = [];
  private readonly start = performance.now();
  private stepsPerEpoch = 0;
  private warmupEnd = -1;
  /** Largest RSS seen after a step, bytes. */
  peakRss = 0;

  constructor(
    private readonly schedule: Schedule,
    private readonly batchSize: number,
    private readonly rss: () => number = () => process.memoryUsage.rss(),
  ) {}

  /** Records a step's end; true once the last timed epoch is complete. */
  step(): boolean {
    const now = performance.now();
    this.stepEnds.push(now);
    this.peakRss = Math.max(this.peakRss, this.rss());
    const n = this.stepEnds.length;
    const s = this.schedule;
    if (this.warmupEnd < 0) {
      if (n >= s.warmupSteps && (now - this.start) / 1000 >= s.warmupSeconds) {
        // The first steps include compilation and first-touch costs; the second half of warm-up is steadier.
        const from = Math.floor(n / 2);
        const perStep = (now - this.stepEnds[from - 1]!) / 1000 / (n - from);
        this.stepsPerEpoch = Math.max(s.minSteps, Math.round(s.epochSeconds / perStep));
        this.warmupEnd = n;
      }
      return false;
    }
    return n >= this.warmupEnd + this.stepsPerEpoch * s.epochs;
  }

  /** samples/s of each timed epoch. */
  epochRates(): number[] {
    const rates: number[] = [];
    for (let e = 0; e < this.schedule.epochs; e++) {
      const a = this.stepEnds[this.warmupEnd - 1 + e * this.stepsPerEpoch];
      const b = this.stepEnds[this.warmupEnd - 1 + (e + 1) * this.stepsPerEpoch];
      if (a !== undefined && b !== undefined)
        rates.push((this.stepsPerEpoch * this.batchSize) / ((b - a) / 1000));
    }
    return rates;
  }

  report(): { samplesPerSec: number; peakRssMiB: number; stepsPerEpoch: number; epochRates: number[] } {
    const epochRates = this.epochRates();
    if (epochRates.length < this.schedule.epochs)
      throw new Error(`train: only ${epochRates.length} of ${this.schedule.epochs} timed epochs completed`);
    return {
      samplesPerSec: median(epochRates),
      peakRssMiB: this.peakRss / 2 ** 20,
      stepsPerEpoch: this.stepsPerEpoch,
      epochRates,
    };
  }
}
