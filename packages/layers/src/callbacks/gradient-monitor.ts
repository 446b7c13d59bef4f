import type { Tensor } from '@backprop/core-tensor';
import { ArgumentError, add, mul, scope, sum } from '@backprop/core-tensor';
import { noGrad } from '@backprop/autograd';
import type { StepDetails, StepLayer } from './callback';
import { Callback } from './callback';
import type { ActivationRecord, GradientRecord, NonFiniteReport } from './gradient-records';
import { recordsToCSV } from './gradient-records';

export type { ActivationRecord, GradientRecord, NonFiniteReport } from './gradient-records';

/** Options of {@link GradientMonitor}. */
export interface GradientMonitorArgs {
  /** Measure every N training steps (default 1). */
  everyNSteps?: number;
  /** Warn when the first layer's gradient norm is below the last's times this (default 1e-3). */
  vanishingRatio?: number;
  /** Warn when any layer's gradient norm exceeds this (default 1e3). */
  explodingNorm?: number;
  /**
   * Warn when a layer's gradient norm rose at each of the last `growthWindow` measurements and by at least
   * `growthFactor` overall: the exponential growth that comes before an overflow (defaults 5 and 10).
   */
  growthWindow?: number;
  growthFactor?: number;
  /**
   * Check every step, not only the measured ones, for NaN/±Inf in the loss and gradients (one reduction per
   * weight), so that {@link GradientMonitor.firstNonFinite} names the step where it appeared (default true).
   */
  checkEveryStep?: boolean;
  /** Where warnings go (default console.warn); also kept in `warnings`. */
  warn?: (message: string) => void;
  /** Keep at most this many records of each kind (oldest dropped; default 100 000). */
  maxRecords?: number;
}

const sq = (t: Tensor): number => {
  const v = t.dataSync();
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return s;
};

function stats(t: Tensor): { mean: number; std: number; zero: number; finite: boolean } {
  const v = t.dataSync();
  let sum1 = 0;
  let sum2 = 0;
  let zeros = 0;
  let finite = true;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    sum1 += x;
    sum2 += x * x;
    if (x === 0) zeros++;
    if (!Number.isFinite(x)) finite = false;
  }
  const n = Math.max(1, v.length);
  const mean = sum1 / n;
  return { mean, std: Math.sqrt(Math.max(0, sum2 / n - mean * mean)), zero: zeros / n, finite };
}

/**
 * Whether every element of every tensor is finite, with one read: Σ(t·0) is exactly 0 unless some element is NaN
 * or ±Inf (both give NaN when multiplied by 0), and unlike Σt it cannot overflow on large finite values.
 */
function allFinite(ts: readonly Tensor[]): boolean {
  if (ts.length === 0) return true;
  return (
    ts
      .map((t) => sum(mul(t, 0)))
      .reduce((a, b) => add(a, b))
      .item() === 0
  );
}

const REMEDIES =
  'Remedies: gradient clipping (clipnorm, globalClipnorm), a lower learning rate, He/Xavier initialization, ' +
  'batch normalization.';

/**
 * Watches each layer while `fit` runs: the vanishing- and exploding-gradient problems made visible.
 *
 * Every `everyNSteps` steps it records, per layer with weights, the gradient norm, weight norm, update/weight
 * ratio and output statistics ({@link GradientMonitor.records}), and for every layer, weights or not
 * (Activation, Dropout, Flatten…), the output's mean, standard deviation and fraction of zeros
 * ({@link GradientMonitor.activations}); both export with `toCSV`. It warns once when gradients vanish (the
 * first layer's norm orders of magnitude below the last's) or explode (a norm above `explodingNorm`, a norm that
 * keeps growing, or a non-finite value), naming the layer and the usual remedies.
 *
 * When NaN or ±Inf appears it reports where it appeared first ({@link GradientMonitor.firstNonFinite}): the
 * first layer in forward order whose output is not finite; if every output is finite, the first layer in
 * backward order (nearest the output) whose gradient is not finite, since the backward pass produced it there.
 */
export class GradientMonitor extends Callback {
  readonly everyNSteps: number;
  readonly vanishingRatio: number;
  readonly explodingNorm: number;
  readonly growthWindow: number;
  readonly growthFactor: number;
  readonly checkEveryStep: boolean;
  readonly maxRecords: number;
  /** Gradient health of each layer with trainable weights, per measured step. */
  readonly records: GradientRecord[] = [];
  /** Output statistics of every layer, per measured step, in forward order. */
  readonly activations: ActivationRecord[] = [];
  readonly warnings: string[] = [];
  /** Where NaN or ±Inf first appeared, once it has. */
  firstNonFinite: NonFiniteReport | undefined;
  #warned = new Set<string>();
  readonly #norms = new Map<string, number[]>();
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
    this.growthWindow = args.growthWindow ?? 5;
    this.growthFactor = args.growthFactor ?? 10;
    if (!Number.isInteger(this.growthWindow) || this.growthWindow < 1)
      throw new ArgumentError(
        `GradientMonitor: growthWindow must be a positive integer, got ${this.growthWindow}`,
      );
    this.checkEveryStep = args.checkEveryStep ?? true;
    this.maxRecords = args.maxRecords ?? 100_000;
    this.#warn = args.warn ?? ((m) => console.warn(m));
  }

  override wantsStepDetails(step: number): boolean {
    return (this.checkEveryStep && this.firstNonFinite === undefined) || step % this.everyNSteps === 0;
  }

  override onStepDetails(d: StepDetails): void {
    const layers = this.model?.layers ?? [];
    if (d.step % this.everyNSteps !== 0) {
      const ok = noGrad(() => scope(() => Number.isFinite(d.loss) && allFinite([...d.grads.values()])));
      if (!ok) this.#locate(d, layers);
      return;
    }
    const rows: GradientRecord[] = [];
    const acts: ActivationRecord[] = [];
    scope(() =>
      noGrad(() => {
        layers.forEach((layer, i) => {
          const out = d.layerOutputs[i];
          const s = out ? stats(out) : { mean: NaN, std: NaN, zero: NaN, finite: true };
          const base = { step: d.step, epoch: d.epoch, layer: layer.name, className: layer.className };
          acts.push({ ...base, mean: s.mean, std: s.std, zeroFraction: s.zero, finite: s.finite });
          const ws = layer.trainableWeights;
          if (ws.length === 0) return;
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
          const gradNorm = Math.sqrt(g2);
          const weightNorm = Math.sqrt(w2);
          rows.push({
            ...base,
            gradNorm,
            weightNorm,
            updateRatio: weightNorm > 0 ? Math.sqrt(u2) / weightNorm : NaN,
            activationMean: s.mean,
            activationStd: s.std,
            zeroFraction: s.zero,
            finite: Number.isFinite(gradNorm) && Number.isFinite(weightNorm),
          });
        });
      }),
    );
    push(this.records, rows, this.maxRecords);
    push(this.activations, acts, this.maxRecords);
    if (!Number.isFinite(d.loss) || rows.some((r) => !r.finite) || acts.some((a) => !a.finite)) {
      this.#locate(d, layers);
      return;
    }
    this.#diagnose(rows, d.step);
  }

  /** The latest record of each layer with weights, in layer order. */
  latest(): GradientRecord[] {
    const last = new Map<string, GradientRecord>();
    for (const r of this.records) last.set(r.layer, r);
    return [...last.values()];
  }

  /** The records as CSV (header first): `'gradients'` (default) or `'activations'`. */
  toCSV(which: 'gradients' | 'activations' = 'gradients', separator = ','): string {
    return recordsToCSV(which === 'gradients' ? this.records : this.activations, separator);
  }

  #once(key: string, message: string): void {
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    this.warnings.push(message);
    this.#warn(message);
  }

  /** Finds where a non-finite value first appeared in this step and reports it (once). */
  #locate(d: StepDetails, layers: readonly StepLayer[]): void {
    if (this.firstNonFinite) return;
    const report = noGrad(() =>
      scope((): NonFiniteReport => {
        const at = (i: number, where: NonFiniteReport['where'], order: NonFiniteReport['order']) => ({
          step: d.step,
          epoch: d.epoch,
          layer: layers[i]?.name,
          className: layers[i]?.className,
          where,
          order,
        });
        for (let i = 0; i < layers.length; i++) {
          const before = layers[i]!.weights.map((w) => d.weightsBefore.get(w)).filter((t) => t !== undefined);
          if (!allFinite(before)) return at(i, 'weight', 'forward');
          const out = d.layerOutputs[i];
          if (out && !allFinite([out])) return at(i, 'activation', 'forward');
        }
        for (let i = layers.length - 1; i >= 0; i--) {
          const gs = layers[i]!.trainableWeights.map((w) => d.grads.get(w)).filter((t) => t !== undefined);
          if (!allFinite(gs)) return at(i, 'gradient', 'backward');
        }
        return at(-1, 'loss', 'forward');
      }),
    );
    this.firstNonFinite = report;
    const place =
      report.where === 'loss'
        ? 'in the loss (every layer output and gradient is finite: check the targets and the loss inputs)'
        : report.where === 'activation'
          ? `in the output of layer "${report.layer}" (${report.className}), the first layer in forward order whose activations are not finite`
          : report.where === 'weight'
            ? `in the weights of layer "${report.layer}" (${report.className}) before the update`
            : `in the gradient of layer "${report.layer}" (${report.className}), the first layer in backward order (from the output) whose gradient is not finite`;
    this.#once(
      'nonfinite',
      `GradientMonitor: NaN/Inf first appeared at step ${d.step} (epoch ${d.epoch + 1}) ${place}. ` +
        `Gradients exploded or an op overflowed: ${REMEDIES}`,
    );
  }

  #diagnose(rows: GradientRecord[], step: number): void {
    const huge = rows.find((r) => r.gradNorm > this.explodingNorm);
    if (huge) {
      this.#once(
        'exploding',
        `GradientMonitor: exploding gradients: layer "${huge.layer}" has gradient norm ${huge.gradNorm.toExponential(2)} ` +
          `at step ${step}. ${REMEDIES}`,
      );
    }
    for (const r of rows) {
      const h = this.#norms.get(r.layer) ?? [];
      h.push(r.gradNorm);
      if (h.length > this.growthWindow + 1) h.shift();
      this.#norms.set(r.layer, h);
      const rising = h.length === this.growthWindow + 1 && h.every((v, i) => i === 0 || v > h[i - 1]!);
      if (rising && h[0]! > 0 && h.at(-1)! >= h[0]! * this.growthFactor) {
        this.#once(
          'growing',
          `GradientMonitor: exploding gradients: the gradient norm of layer "${r.layer}" grew at each of the last ` +
            `${this.growthWindow} measurements, ${(h.at(-1)! / h[0]!).toFixed(1)}× in all (${h[0]!.toExponential(2)} → ` +
            `${h.at(-1)!.toExponential(2)}) by step ${step}. ${REMEDIES}`,
        );
      }
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
      this.#once(
        'vanishing',
        `GradientMonitor: vanishing gradients: the first layer "${first.layer}" gets a gradient norm of ` +
          `${first.gradNorm.toExponential(2)}, ${(last.gradNorm / Math.max(first.gradNorm, 1e-300)).toExponential(1)}× smaller than ` +
          `the last layer "${last.layer}" (${last.gradNorm.toExponential(2)}) at step ${step}. Remedies: ReLU-family ` +
          `activations instead of sigmoid/tanh, He (for ReLU) or Xavier initialization, batch normalization.`,
      );
    }
  }
}

function push<T>(into: T[], rows: readonly T[], max: number): void {
  into.push(...rows);
  if (into.length > max) into.splice(0, into.length - max);
}
