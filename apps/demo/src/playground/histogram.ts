/** Binned counts of a layer's numbers, for the activation and gradient histograms. */
export interface Histogram {
  /** Left edge of the first bin and right edge of the last. */
  lo: number;
  hi: number;
  /** counts[i]: values in [lo + i·w, lo + (i+1)·w), the last bin closed on the right. */
  counts: number[];
  /** Values that were NaN or ±Inf (not binned). */
  nonFinite: number;
  /** Finite values binned. */
  total: number;
}

/**
 * Equal-width bins over the finite values' range. A symmetric range (`symmetric: true`, for gradients) keeps zero
 * in the middle so a shrinking gradient reads as a narrowing spike; a constant input gets one bin around it.
 */
export function histogram(
  values: ArrayLike<number>,
  bins = 30,
  options: { symmetric?: boolean } = {},
): Histogram {
  let lo = Infinity;
  let hi = -Infinity;
  let nonFinite = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) nonFinite++;
    else {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const counts = new Array<number>(bins).fill(0);
  if (lo > hi) return { lo: 0, hi: 0, counts, nonFinite, total: 0 };
  if (options.symmetric) {
    const m = Math.max(Math.abs(lo), Math.abs(hi));
    lo = -m;
    hi = m;
  }
  if (hi - lo === 0) {
    const pad = Math.abs(lo) * 1e-3 || 1e-12;
    lo -= pad;
    hi += pad;
  }
  const width = (hi - lo) / bins;
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    counts[Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / width)))]!++;
    total++;
  }
  return { lo, hi, counts, nonFinite, total };
}
