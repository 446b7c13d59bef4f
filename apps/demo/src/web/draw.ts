/** Canvas drawings: the decision boundary with the data points, and the network with its weights. */

export const CLASS_COLORS: [number, number, number][] = [
  [31, 119, 180],
  [255, 127, 14],
  [44, 160, 44],
  [214, 39, 40],
  [148, 103, 189],
  [140, 86, 75],
];

const rgb = (c: [number, number, number], a = 1): string => `rgba(${c[0]},${c[1]},${c[2]},${a})`;

/**
 * Each grid cell is the probability-weighted mix of the class colours, faded towards white where the network is
 * unsure, so the boundary shows as a pale band. Points: filled = training set, ringed = test set.
 */
export function drawBoundary(
  canvas: HTMLCanvasElement,
  probs: Float32Array,
  res: number,
  classes: number,
  points: { train: { xs: Float32Array; ys: Int32Array }; test: { xs: Float32Array; ys: Int32Array } },
  extent = 1.25,
): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const img = new ImageData(res, res);
  for (let i = 0; i < res * res; i++) {
    let r = 0;
    let g = 0;
    let b = 0;
    let best = 0;
    for (let k = 0; k < classes; k++) {
      const p = probs[i * classes + k]!;
      const c = CLASS_COLORS[k % CLASS_COLORS.length]!;
      r += p * c[0];
      g += p * c[1];
      b += p * c[2];
      best = Math.max(best, p);
    }
    if (!Number.isFinite(r + g + b)) {
      // A network that produced NaN has no boundary: grey.
      r = g = b = 128;
      best = 1;
    }
    const confidence = classes > 1 ? (best - 1 / classes) / (1 - 1 / classes) : 1;
    const mix = 0.25 + 0.45 * (Number.isFinite(confidence) ? confidence : 0);
    img.data[4 * i] = 255 + (r - 255) * mix;
    img.data[4 * i + 1] = 255 + (g - 255) * mix;
    img.data[4 * i + 2] = 255 + (b - 255) * mix;
    img.data[4 * i + 3] = 255;
  }
  const [W, H] = paintScaled(ctx, img);
  const toPx = (x: number, y: number): [number, number] => [
    ((x + extent) / (2 * extent)) * W,
    ((extent - y) / (2 * extent)) * H,
  ];
  const dot = (xs: Float32Array, ys: Int32Array, test: boolean): void => {
    for (let i = 0; i < ys.length; i++) {
      const [px, py] = toPx(xs[2 * i]!, xs[2 * i + 1]!);
      ctx.beginPath();
      ctx.arc(px, py, 3.2, 0, 2 * Math.PI);
      const c = CLASS_COLORS[ys[i]! % CLASS_COLORS.length]!;
      if (test) {
        ctx.fillStyle = '#fff';
        ctx.fill();
        ctx.lineWidth = 2;
        ctx.strokeStyle = rgb(c);
        ctx.stroke();
      } else {
        ctx.fillStyle = rgb(c);
        ctx.fill();
        ctx.lineWidth = 0.8;
        ctx.strokeStyle = '#fff';
        ctx.stroke();
      }
    }
  };
  dot(points.train.xs, points.train.ys, false);
  dot(points.test.xs, points.test.ys, true);
}

/** Where drawNetwork puts each unit: column c (0 = inputs), unit i. */
export interface NetworkLayout {
  sizes: number[];
  x: (c: number) => number;
  y: (c: number, i: number) => number;
}

export function networkLayout(canvas: { width: number; height: number }, sizes: number[]): NetworkLayout {
  const W = canvas.width;
  const H = canvas.height;
  const cols = sizes.length;
  return {
    sizes,
    x: (c) => 24 + (c * (W - 48)) / Math.max(1, cols - 1),
    y: (c, i) => {
      const n = sizes[c]!;
      const gap = Math.min(22, (H - 30) / Math.max(1, n));
      return H / 2 + (i - (n - 1) / 2) * gap;
    },
  };
}

/** The unit nearest to (px, py) in canvas pixels, within `radius`; column 0 is the inputs. */
export function unitAt(
  layout: NetworkLayout,
  px: number,
  py: number,
  radius = 9,
): { column: number; unit: number } | undefined {
  let best: { column: number; unit: number; d: number } | undefined;
  layout.sizes.forEach((n, c) => {
    for (let i = 0; i < n; i++) {
      const d = Math.hypot(layout.x(c) - px, layout.y(c, i) - py);
      if (d <= radius && (!best || d < best.d)) best = { column: c, unit: i, d };
    }
  });
  return best && { column: best.column, unit: best.unit };
}

/** Units as circles, weights as lines: blue positive, orange negative, thickness and opacity by |w|. */
export function drawNetwork(
  canvas: HTMLCanvasElement,
  kernels: { shape: [number, number]; values: Float32Array }[],
  activations: string[],
  hovered?: { column: number; unit: number },
): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const W = canvas.width;
  const H = canvas.height;
  ctx.clearRect(0, 0, W, H);
  const sizes = [kernels[0]?.shape[0] ?? 2, ...kernels.map((k) => k.shape[1])];
  const cols = sizes.length;
  const { x, y } = networkLayout(canvas, sizes);
  kernels.forEach((k, c) => {
    const [nin, nout] = k.shape;
    let max = 1e-12;
    for (const v of k.values) if (Number.isFinite(v)) max = Math.max(max, Math.abs(v));
    for (let i = 0; i < nin; i++)
      for (let j = 0; j < nout; j++) {
        const w = k.values[i * nout + j]!;
        const m = Number.isFinite(w) ? Math.abs(w) / max : 1;
        ctx.strokeStyle = !Number.isFinite(w)
          ? 'rgba(200,0,0,0.9)'
          : w >= 0
            ? `rgba(31,119,180,${0.1 + 0.8 * m})`
            : `rgba(255,127,14,${0.1 + 0.8 * m})`;
        ctx.lineWidth = 0.3 + 3 * m;
        ctx.beginPath();
        ctx.moveTo(x(c), y(c, i));
        ctx.lineTo(x(c + 1), y(c + 1, j));
        ctx.stroke();
      }
  });
  ctx.font = '10px system-ui, sans-serif';
  ctx.textAlign = 'center';
  sizes.forEach((n, c) => {
    for (let i = 0; i < n; i++) {
      const on = hovered?.column === c && hovered.unit === i;
      ctx.beginPath();
      ctx.arc(x(c), y(c, i), on ? 6.5 : 4.5, 0, 2 * Math.PI);
      ctx.fillStyle = on ? '#ffbf47' : '#fff';
      ctx.fill();
      ctx.strokeStyle = '#333';
      ctx.lineWidth = on ? 2 : 1;
      ctx.stroke();
    }
    const full = c === 0 ? 'input' : c === cols - 1 ? 'output' : (activations[c - 1] ?? '');
    // Narrow columns get a short label (sigm, relu, tanh, line) so neighbours do not overlap.
    const label = (W - 48) / Math.max(1, cols - 1) < 42 ? full.slice(0, 4) : full;
    ctx.fillStyle = '#333';
    ctx.fillText(label, x(c), 12);
  });
}

/**
 * One unit's output over the plane: blue where it is positive, orange where negative, white at zero, scaled by
 * the largest |value| on the grid (a probability map for an output unit, 0…1, shades from white to blue).
 */
export function drawUnitMap(
  canvas: HTMLCanvasElement,
  values: Float32Array,
  res: number,
  points: { train: { xs: Float32Array; ys: Int32Array }; test: { xs: Float32Array; ys: Int32Array } },
  caption: string,
): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  let max = 1e-12;
  for (const v of values) if (Number.isFinite(v)) max = Math.max(max, Math.abs(v));
  const img = new ImageData(res, res);
  const pos = CLASS_COLORS[0]!;
  const neg = CLASS_COLORS[1]!;
  for (let i = 0; i < res * res; i++) {
    const v = values[i]!;
    const t = Number.isFinite(v) ? Math.abs(v) / max : 0;
    const c = Number.isFinite(v) ? (v >= 0 ? pos : neg) : [128, 128, 128];
    for (let k = 0; k < 3; k++) img.data[4 * i + k] = 255 + (c[k]! - 255) * (0.85 * t);
    img.data[4 * i + 3] = 255;
  }
  const [W, H] = paintScaled(ctx, img);
  const extent = 1.25;
  ctx.globalAlpha = 0.5;
  for (const [set, test] of [
    [points.train, false],
    [points.test, true],
  ] as const)
    for (let i = 0; i < set.ys.length; i++) {
      ctx.beginPath();
      ctx.arc(
        ((set.xs[2 * i]! + extent) / (2 * extent)) * W,
        ((extent - set.xs[2 * i + 1]!) / (2 * extent)) * H,
        2.2,
        0,
        2 * Math.PI,
      );
      ctx.fillStyle = test ? '#fff' : '#333';
      ctx.fill();
    }
  ctx.globalAlpha = 1;
  ctx.font = '12px system-ui, sans-serif';
  ctx.textAlign = 'left';
  ctx.fillStyle = 'rgba(255,255,255,0.85)';
  ctx.fillRect(0, 0, ctx.measureText(caption).width + 12, 20);
  ctx.fillStyle = '#222';
  ctx.fillText(caption, 6, 14);
}

/** Draws `img` (one pixel per grid point) stretched over the whole canvas, smoothed; returns the canvas size. */
function paintScaled(ctx: CanvasRenderingContext2D, img: ImageData): [number, number] {
  const off = new OffscreenCanvas(img.width, img.height);
  off.getContext('2d')!.putImageData(img, 0, 0);
  const { width: W, height: H } = ctx.canvas;
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(off, 0, 0, W, H);
  return [W, H];
}
