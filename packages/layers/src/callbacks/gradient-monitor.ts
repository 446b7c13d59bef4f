import type { Tensor } from '@backprop/core-tensor';
import { ArgumentError, scope } from '@backprop/core-tensor';
import { noGrad } from '@backprop/autograd';
import type { StepDetails } from './callback';
import { Callback } from './callback';

/** One layer's gradient health at one step. Norms are L2 over all of the layer's trainable weights. */
export interface GradientRecord {
  step: number;
  epoch: number;
  layer: string;
  className: string;
  /** ‖∂L/∂W‖: how strongly the loss pulls on this layer's weights. */
  gradNorm: number;
  /** ‖W‖ before the update. */
  weightNorm: number;
  /** ‖ΔW‖ / ‖W‖: the relative size of this step's update (a healthy rule of thumb is around 1e-3). */
  updateRatio: number;
  /** Mean and standard deviation of the layer's output on this batch. */
  activationMean: number;
  activationStd: number;
  /** Fraction of exactly-zero outputs: for ReLU layers, the share of dead units on this batch. */
  zeroFraction: number;
  /** False when a gradient or weight had a NaN or ±Inf. */
  finite: boolean;
}

export interface GradientMonitorArgs {
  /** Measure every N training steps (default 1). */
  everyNSteps?: number;
  /** Warn when the first layer's gradient norm is below the last's times this (default 1e-3). */
  vanishingRatio?: number;
  /** Warn when any layer's gradient norm exceeds this (default 1e3). */
  explodingNorm?: number;
  /** Where warnings go (default console.warn); also kept in `warnings`. */
  warn?: (message: string) => void;
  /** Keep at most this many records (oldest dropped; default 100 000). */
  maxRecords?: number;
}

const sq = (t: Tensor): number => {
  const v = t.dataSync();
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return s;
};

function stats(t: Tensor): { mean: number; std: number; zero: number } {
  const v = t.dataSync();
  let sum = 0;
  let sum2 = 0;
  let zeros = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    sum += x;
    sum2 += x * x;
    if (x === 0) zeros++;
  }
  const n = Math.max(1, v.length);
  const mean = sum / n;
  return { mean, std: Math.sqrt(Math.max(0, sum2 / n - mean * mean)), zero: zeros / n };
}

/**
 * Watches each layer's gradients while `fit` runs: the vanishing- and exploding-gradient problems made visible.
 * Records per layer and step the gradient norm, weight norm, update/weight ratio and activation statistics, and
 * warns once when gradients vanish (the first layer's norm orders of magnitude below the last's) or explode
 * (huge or non-finite norms), naming the layer and the usual remedies.
 */
export class GradientMonitor extends Callback {
  readonly everyNSteps: number;
  readonly vanishingRatio: number;
  readonly explodingNorm: number;
  readonly maxRecords: number;
  readonly records: GradientRecord[] = [];
  readonly warnings: string[] = [];
  /** The first step and layer where a gradient or weight stopped being finite, if it happened. */
  firstNonFinite: { step: number; layer: string } | undefined;
  #warned = new Set<string>();
  readonly #warn: (message: string) => void;

  constructor(args: GradientMonitorArgs = {}) {
    super();
    this.everyNSteps = args.everyNSteps ?? 1;
    if (!Number.isInteger(this.everyNSteps) || this.everyNSteps < 1) {
      throw new ArgumentError(
        `GradientMonitor: everyNSteps must be a positive integer, got ${this.everyNSteps}`,
      );
    }
    this.vanishingRatio = args.vanishingRatio ?? 1e-3;
    this.explodingNorm = args.explodingNorm ?? 1e3;
    this.maxRecords = args.maxRecords ?? 100_000;
    this.#warn = args.warn ?? ((m) => console.warn(m));
  }

  override wantsStepDetails(step: number): boolean {
    return step % this.everyNSteps === 0;
  }

  override onStepDetails(d: StepDetails): void {
    const layers = (this.model?.layers ?? []).map((l, i) => ({ layer: l, out: d.layerOutputs[i] }));
    const rows: GradientRecord[] = [];
    scope(() =>
      noGrad(() => {
        for (const { layer, out } of layers) {
          const ws = layer.trainableWeights;
          if (ws.length === 0) continue;
          let g2 = 0;
          let w2 = 0;
          let u2 = 0;
          for (const w of ws) {
            const g = d.grads.get(w);
            const before = d.weightsBefore.get(w);
            if (g) g2 += sq(g);
            if (before) {
              w2 += sq(before);
              u2 += sq(w.sub(before));
            }
          }
          const s = out ? stats(out) : { mean: NaN, std: NaN, zero: NaN };
          const gradNorm = Math.sqrt(g2);
          const weightNorm = Math.sqrt(w2);
          rows.push({
            step: d.step,
            epoch: d.epoch,
            layer: layer.name,
            className: layer.className,
            gradNorm,
            weightNorm,
            updateRatio: weightNorm > 0 ? Math.sqrt(u2) / weightNorm : NaN,
            activationMean: s.mean,
            activationStd: s.std,
            zeroFraction: s.zero,
            finite: Number.isFinite(gradNorm) && Number.isFinite(weightNorm),
          });
        }
      }),
    );
    this.records.push(...rows);
    if (this.records.length > this.maxRecords) this.records.splice(0, this.records.length - this.maxRecords);
    this.diagnose(rows, d.step);
  }

  /** The latest record of each layer, in layer order. */
  latest(): GradientRecord[] {
    const last = new Map<string, GradientRecord>();
    for (const r of this.records) last.set(r.layer, r);
    return [...last.values()];
  }

  private once(key: string, message: string): void {
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    this.warnings.push(message);
    this.#warn(message);
  }

  private diagnose(rows: GradientRecord[], step: number): void {
    const bad = rows.find((r) => !r.finite);
    if (bad) {
      this.firstNonFinite ??= { step, layer: bad.layer };
      this.once(
        'nonfinite',
        `GradientMonitor: non-finite gradient or weight in layer "${bad.layer}" at step ${step}. Gradients exploded: ` +
          `lower the learning rate, clip gradients (clipnorm / globalClipnorm), or use He/Xavier initialization.`,
      );
      return;
    }
    const huge = rows.find((r) => r.gradNorm > this.explodingNorm);
    if (huge) {
      this.once(
        'exploding',
        `GradientMonitor: exploding gradients: layer "${huge.layer}" has gradient norm ${huge.gradNorm.toExponential(2)} ` +
          `at step ${step}. Remedies: gradient clipping (clipnorm, globalClipnorm), a lower learning rate, ` +
          `He/Xavier initialization, batch normalization.`,
      );
    }
    const first = rows[0];
    const last = rows[rows.length - 1];
    if (
      first &&
      last &&
      first !== last &&
      last.gradNorm > 0 &&
      first.gradNorm < last.gradNorm * this.vanishingRatio
    ) {
      this.once(
        'vanishing',
        `GradientMonitor: vanishing gradients: the first layer "${first.layer}" gets a gradient norm of ` +
          `${first.gradNorm.toExponential(2)}, ${(last.gradNorm / Math.max(first.gradNorm, 1e-300)).toExponential(1)}× smaller than ` +
          `the last layer "${last.layer}" (${last.gradNorm.toExponential(2)}) at step ${step}. Remedies: ReLU-family ` +
          `activations instead of sigmoid/tanh, He (for ReLU) or Xavier initialization, batch normalization.`,
      );
    }
  }
}
