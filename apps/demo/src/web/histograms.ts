import type { Histogram } from '../playground/histogram';
import { histogram } from '../playground/histogram';
import { LAYER_COLORS } from './charts';

const BINS = 24;
const ROW = 46;
const HEAD = 18;

const short = (v: number): string =>
  v === 0 ? '0' : Math.abs(v) >= 1e3 || Math.abs(v) < 1e-2 ? v.toExponential(0) : v.toPrecision(2);

function cell(
  ctx: CanvasRenderingContext2D,
  h: Histogram,
  x: number,
  y: number,
  w: number,
  color: string,
): void {
  const height = ROW - 16;
  const peak = Math.max(1, ...h.counts);
  const bw = w / h.counts.length;
  ctx.fillStyle = color;
  h.counts.forEach((c, i) => {
    // Square-root heights: a spike at zero does not flatten every other bar to nothing.
    const bh = (Math.sqrt(c) / Math.sqrt(peak)) * height;
    ctx.fillRect(x + i * bw + 0.5, y + height - bh, Math.max(1, bw - 1), bh);
  });
  ctx.strokeStyle = '#ccc';
  ctx.beginPath();
  ctx.moveTo(x, y + height + 0.5);
  ctx.lineTo(x + w, y + height + 0.5);
  ctx.stroke();
  ctx.fillStyle = '#555';
  ctx.font = '10px system-ui, sans-serif';
  ctx.textAlign = 'left';
  ctx.fillText(short(h.lo), x, y + height + 11);
  ctx.textAlign = 'right';
  ctx.fillText(h.nonFinite ? `${short(h.hi)} · ${h.nonFinite} NaN/Inf` : short(h.hi), x + w, y + height + 11);
}

/**
 * Per layer, the last step's activations (each unit's output for every sample of the batch) and the gradient of
 * its kernel ∂L/∂W, as histograms: a layer whose activations pile up at 0 (dead ReLUs) or at ±1 (saturated
 * tanh/sigmoid), or whose gradient collapses to a spike at zero, shows it here.
 */
export function drawHistograms(
  canvas: HTMLCanvasElement,
  names: string[],
  activations: Float32Array[],
  gradients: Float32Array[],
): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const width = Math.max(260, Math.round(canvas.parentElement?.clientWidth ?? 320) - 2);
  const height = HEAD + ROW * Math.max(1, names.length);
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  ctx.clearRect(0, 0, width, height);
  const label = 64;
  const colW = (width - label - 16) / 2;
  ctx.fillStyle = '#222';
  ctx.font = '600 11px system-ui, sans-serif';
  ctx.textAlign = 'left';
  ctx.fillText('activations (last batch)', label, 12);
  ctx.fillText('gradient ∂L/∂W', label + colW + 16, 12);
  if (activations.length === 0) {
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillStyle = '#777';
    ctx.fillText('Train a step to see them.', label, HEAD + 20);
    return;
  }
  names.forEach((name, i) => {
    const y = HEAD + i * ROW;
    ctx.fillStyle = '#333';
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'left';
    ctx.fillText(name, 0, y + 16);
    const color = LAYER_COLORS[i % LAYER_COLORS.length]!;
    if (activations[i]) cell(ctx, histogram(activations[i], BINS), label, y, colW, color);
    if (gradients[i])
      cell(ctx, histogram(gradients[i], BINS, { symmetric: true }), label + colW + 16, y, colW, color);
  });
}
