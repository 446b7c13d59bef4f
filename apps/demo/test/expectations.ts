/**
 * What each experiment's lesson looks like in numbers, judged from the raw per-step statistics. Shared by the
 * Node test (test/playground.test.ts) and the browser test (test/e2e.test.ts), which reads the same statistics
 * out of the page.
 */
import type { Expectation } from '../src/playground/experiments';

export interface RunStats {
  batchLosses: number[];
  /** Per step, each Dense layer's gradient norm, input side first. */
  gradNorms: number[][];
  /** Full training-set loss before the first step and after the last. */
  initialLoss: number;
  finalLoss: number;
  nonFinite: { step: number; layer: string } | undefined;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median over the last 20 steps of ‖∂L/∂W₁‖ / ‖∂L/∂W_last‖. */
export function firstToLastGradRatio(s: RunStats): number {
  return median(s.gradNorms.slice(-20).map((g) => g[0]! / g[g.length - 1]!));
}

/** Returns a description of each failed expectation (empty when the run shows what it should). */
export function failedExpectations(s: RunStats, expect: readonly Expectation[]): string[] {
  const failed: string[] = [];
  const finite = s.nonFinite === undefined && Number.isFinite(s.finalLoss);
  for (const e of expect) {
    const ok = {
      'loss-falls': finite && s.finalLoss < 0.7 * s.initialLoss,
      diverges: !finite || s.finalLoss > 2 * s.initialLoss,
      crawls: finite && Math.abs(s.finalLoss - s.initialLoss) < 0.02 * s.initialLoss,
      vanishing: finite && firstToLastGradRatio(s) < 1e-2,
      'healthy-gradients': finite && firstToLastGradRatio(s) > 0.1,
      // Finite where the unclipped twin is NaN by step 3, and well down from its huge start. How far down in 100
      // steps depends on float32 summation order (js: 0.00–0.01 of the start over seeds 1–3, wasm: up to 0.16).
      'stable-with-clipping': finite && s.finalLoss < 0.3 * s.initialLoss,
    }[e];
    if (!ok)
      failed.push(
        `${e}: initial loss ${s.initialLoss}, final ${s.finalLoss}, first/last gradient ratio ` +
          `${firstToLastGradRatio(s)}, non-finite ${JSON.stringify(s.nonFinite)}`,
      );
  }
  return failed;
}
