/**
 * Naive NHWC/HWIO convolution and pooling references for the tests, written from the definitions: geometry from
 * DESIGN.md's TF rule, the forward ops as gathers over windows, and the input gradient as the transposed
 * convolution (for each input pixel, solve oy·s − pad + k·d = iy), which is a different loop from the backend's
 * scatter.
 */
export type Pad = 'valid' | 'same' | [[number, number], [number, number]];

export interface Geo {
  out: [number, number];
  pads: [number, number, number, number];
}

/** Output size and [top, bottom, left, right] padding for a (dilated) window of size k per axis. */
export function refGeometry(
  inHW: [number, number],
  k: [number, number],
  s: [number, number],
  d: [number, number],
  padding: Pad,
): Geo {
  const eff = [0, 1].map((a) => (k[a]! - 1) * d[a]! + 1);
  if (padding === 'same') {
    const out = [0, 1].map((a) => Math.ceil(inHW[a]! / s[a]!)) as [number, number];
    const total = [0, 1].map((a) => Math.max(0, (out[a]! - 1) * s[a]! + eff[a]! - inHW[a]!));
    const before = total.map((t) => Math.floor(t / 2));
    return { out, pads: [before[0]!, total[0]! - before[0]!, before[1]!, total[1]! - before[1]!] };
  }
  const p = padding === 'valid' ? [0, 0, 0, 0] : [padding[0][0], padding[0][1], padding[1][0], padding[1][1]];
  const out = [0, 1].map((a) => Math.floor((inHW[a]! + p[2 * a]! + p[2 * a + 1]! - eff[a]!) / s[a]!) + 1);
  return { out: out as [number, number], pads: p as [number, number, number, number] };
}

export interface ConvCase {
  xs: [number, number, number, number];
  ws: [number, number, number, number];
  s: [number, number];
  d: [number, number];
  geo: Geo;
}

const at4 = (shape: readonly number[], a: number, b: number, c: number, e: number) =>
  ((a * shape[1]! + b) * shape[2]! + c) * shape[3]! + e;

export function refConv2d(x: ArrayLike<number>, w: ArrayLike<number>, k: ConvCase): number[] {
  const [N, H, W, C] = k.xs;
  const [KH, KW, , F] = k.ws;
  const [OH, OW] = k.geo.out;
  const [pt, , pl] = k.geo.pads;
  const ys = [N, OH, OW, F];
  const y = new Array<number>(N * OH * OW * F).fill(0);
  for (let n = 0; n < N; n++)
    for (let oy = 0; oy < OH; oy++)
      for (let ox = 0; ox < OW; ox++)
        for (let f = 0; f < F; f++) {
          let s = 0;
          for (let ky = 0; ky < KH; ky++)
            for (let kx = 0; kx < KW; kx++)
              for (let c = 0; c < C; c++) {
                const iy = oy * k.s[0] + ky * k.d[0] - pt;
                const ix = ox * k.s[1] + kx * k.d[1] - pl;
                if (iy >= 0 && iy < H && ix >= 0 && ix < W)
                  s += x[at4(k.xs, n, iy, ix, c)]! * w[at4(k.ws, ky, kx, c, f)]!;
              }
          y[at4(ys, n, oy, ox, f)] = s;
        }
  return y;
}

/** dL/dx: each input pixel collects every (output pixel, tap) whose window reads it. */
export function refConvInputGrad(dy: ArrayLike<number>, w: ArrayLike<number>, k: ConvCase): number[] {
  const [N, H, W, C] = k.xs;
  const [KH, KW, , F] = k.ws;
  const [OH, OW] = k.geo.out;
  const [pt, , pl] = k.geo.pads;
  const ys = [N, OH, OW, F];
  const dx = new Array<number>(N * H * W * C).fill(0);
  for (let n = 0; n < N; n++)
    for (let iy = 0; iy < H; iy++)
      for (let ix = 0; ix < W; ix++)
        for (let c = 0; c < C; c++) {
          let s = 0;
          for (let ky = 0; ky < KH; ky++) {
            const ty = iy + pt - ky * k.d[0];
            if (ty < 0 || ty % k.s[0] !== 0 || ty / k.s[0] >= OH) continue;
            for (let kx = 0; kx < KW; kx++) {
              const tx = ix + pl - kx * k.d[1];
              if (tx < 0 || tx % k.s[1] !== 0 || tx / k.s[1] >= OW) continue;
              for (let f = 0; f < F; f++)
                s += dy[at4(ys, n, ty / k.s[0], tx / k.s[1], f)]! * w[at4(k.ws, ky, kx, c, f)]!;
            }
          }
          dx[at4(k.xs, n, iy, ix, c)] = s;
        }
  return dx;
}

/** dL/dw[ky,kx,c,f] = Σ over batch and output pixels of x (at the tap's input pixel) · dy. */
export function refConvFilterGrad(x: ArrayLike<number>, dy: ArrayLike<number>, k: ConvCase): number[] {
  const [N, H, W] = k.xs;
  const [KH, KW, C, F] = k.ws;
  const [OH, OW] = k.geo.out;
  const [pt, , pl] = k.geo.pads;
  const ys = [N, OH, OW, F];
  const dw = new Array<number>(KH * KW * C * F).fill(0);
  for (let ky = 0; ky < KH; ky++)
    for (let kx = 0; kx < KW; kx++)
      for (let c = 0; c < C; c++)
        for (let f = 0; f < F; f++) {
          let s = 0;
          for (let n = 0; n < N; n++)
            for (let oy = 0; oy < OH; oy++)
              for (let ox = 0; ox < OW; ox++) {
                const iy = oy * k.s[0] + ky * k.d[0] - pt;
                const ix = ox * k.s[1] + kx * k.d[1] - pl;
                if (iy >= 0 && iy < H && ix >= 0 && ix < W)
                  s += x[at4(k.xs, n, iy, ix, c)]! * dy[at4(ys, n, oy, ox, f)]!;
              }
          dw[at4(k.ws, ky, kx, c, f)] = s;
        }
  return dw;
}

export interface PoolCase {
  xs: [number, number, number, number];
  k: [number, number];
  s: [number, number];
  geo: Geo;
}

/** The flat input positions of the real (unpadded) cells of one window, in row-major scan order. */
function windowCells(p: PoolCase, n: number, oy: number, ox: number, c: number): number[] {
  const [, H, W] = p.xs;
  const cells: number[] = [];
  for (let ky = 0; ky < p.k[0]; ky++)
    for (let kx = 0; kx < p.k[1]; kx++) {
      const iy = oy * p.s[0] - p.geo.pads[0] + ky;
      const ix = ox * p.s[1] - p.geo.pads[2] + kx;
      if (iy >= 0 && iy < H && ix >= 0 && ix < W) cells.push(at4(p.xs, n, iy, ix, c));
    }
  return cells;
}

function forEachWindow(p: PoolCase, fn: (outAt: number, cells: number[]) => void): void {
  const [N, , , C] = p.xs;
  const [OH, OW] = p.geo.out;
  const ys = [N, OH, OW, C];
  for (let n = 0; n < N; n++)
    for (let oy = 0; oy < OH; oy++)
      for (let ox = 0; ox < OW; ox++)
        for (let c = 0; c < C; c++) fn(at4(ys, n, oy, ox, c), windowCells(p, n, oy, ox, c));
}

/** Max (NaN wins) or mean over each window's real cells. */
export function refPool(kind: 'max' | 'avg', x: ArrayLike<number>, p: PoolCase): number[] {
  const y: number[] = [];
  forEachWindow(p, (o, cells) => {
    const v = cells.map((i) => x[i]!);
    y[o] =
      kind === 'avg' ? v.reduce((a, b) => a + b, 0) / v.length : v.some(Number.isNaN) ? NaN : Math.max(...v);
  });
  return y;
}

/** max: each window's dy goes to its first maximum; avg: dy / (real cells) to each real cell. */
export function refPoolGrad(
  kind: 'max' | 'avg',
  dy: ArrayLike<number>,
  x: ArrayLike<number>,
  p: PoolCase,
): number[] {
  const dx = new Array<number>(x.length).fill(0);
  forEachWindow(p, (o, cells) => {
    if (kind === 'avg') {
      for (const i of cells) dx[i]! += dy[o]! / cells.length;
      return;
    }
    let best = cells[0]!;
    for (const i of cells) if (x[i]! > x[best]!) best = i;
    dx[best]! += dy[o]!;
  });
  return dx;
}
