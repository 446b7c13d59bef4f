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

/** One layer's output statistics at one step; recorded for every layer, with or without weights. */
export interface ActivationRecord {
  step: number;
  epoch: number;
  layer: string;
  className: string;
  mean: number;
  std: number;
  /** Fraction of exactly-zero outputs (dead units after a ReLU, dropped units after Dropout). */
  zeroFraction: number;
  /** False when the output had a NaN or ±Inf. */
  finite: boolean;
}

/** Where a NaN or ±Inf first appeared during training. */
export interface NonFiniteReport {
  /** The global training step (0-based) and epoch (0-based) where it appeared. */
  step: number;
  epoch: number;
  /** The layer, unless only the loss was non-finite. */
  layer: string | undefined;
  className: string | undefined;
  /** What was not finite: a layer's output, its gradient, its weights before the step, or only the loss. */
  where: 'activation' | 'gradient' | 'weight' | 'loss';
  /**
   * The order the layers were searched in: outputs and weights forward (the first non-finite layer is where the
   * forward pass broke), gradients backward from the output (where the backward pass broke).
   */
  order: 'forward' | 'backward';
}

function cell(v: unknown, separator: string): string {
  const s = String(v);
  return s.includes(separator) || s.includes('"') || s.includes('\n') ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Records as CSV, one row each, columns in the records' key order (header first; empty string for none). */
export function recordsToCSV(rows: readonly object[], separator = ','): string {
  const first = rows[0];
  if (!first) return '';
  const keys = Object.keys(first);
  const lines = [keys.join(separator)];
  for (const r of rows) {
    const o = r as Record<string, unknown>;
    lines.push(keys.map((k) => cell(o[k], separator)).join(separator));
  }
  return lines.join('\n') + '\n';
}
