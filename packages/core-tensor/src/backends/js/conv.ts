import type { Conv2DGeometry, Pool2DGeometry, TensorInfo } from '../../backend';
import { allocArray } from '../../dtype';
import type { JsData } from './data';
import { vals, wrap } from './data';

/**
 * Direct convolution loops over NHWC input and HWIO filters. For each output pixel and each filter tap, the input
 * pixel is `oy·stride − padTop + ky·dilation`; taps that land in the padding contribute nothing. The two backward
 * kernels walk the same index relation and scatter instead of gather.
 */
export function conv2d(x: TensorInfo, w: TensorInfo, g: Conv2DGeometry): JsData {
  const [N, H, W, C] = g.inShape;
  const [KH, KW, , F] = g.filterShape;
  const [, OH, OW] = g.outShape;
  const [sh, sw] = g.strides;
  const [dh, dw] = g.dilations;
  const [pt, , pl] = g.pads;
  const xv = vals(x);
  const wv = vals(w);
  const out = allocArray(x.dtype, N * OH * OW * F);
  const acc = new Float64Array(F);
  for (let n = 0; n < N; n++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        acc.fill(0);
        for (let ky = 0; ky < KH; ky++) {
          const iy = oy * sh - pt + ky * dh;
          if (iy < 0 || iy >= H) continue;
          for (let kx = 0; kx < KW; kx++) {
            const ix = ox * sw - pl + kx * dw;
            if (ix < 0 || ix >= W) continue;
            const xBase = ((n * H + iy) * W + ix) * C;
            const wBase = (ky * KW + kx) * C * F;
            for (let c = 0; c < C; c++) {
              const xval = xv[xBase + c]!;
              const wRow = wBase + c * F;
              for (let f = 0; f < F; f++) acc[f] = acc[f]! + xval * wv[wRow + f]!;
            }
          }
        }
        out.set(acc, ((n * OH + oy) * OW + ox) * F);
      }
    }
  }
  return wrap(out, x.dtype);
}

/** dL/dx: the conv2d index relation walked as a scatter of dy·w into dx (float64 accumulator). */
export function conv2dBackpropInput(dy: TensorInfo, w: TensorInfo, g: Conv2DGeometry): JsData {
  const [N, H, W, C] = g.inShape;
  const [KH, KW, , F] = g.filterShape;
  const [, OH, OW] = g.outShape;
  const [sh, sw] = g.strides;
  const [dh, dw] = g.dilations;
  const [pt, , pl] = g.pads;
  const dyv = vals(dy);
  const wv = vals(w);
  const dx = new Float64Array(N * H * W * C);
  for (let n = 0; n < N; n++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const dyBase = ((n * OH + oy) * OW + ox) * F;
        for (let ky = 0; ky < KH; ky++) {
          const iy = oy * sh - pt + ky * dh;
          if (iy < 0 || iy >= H) continue;
          for (let kx = 0; kx < KW; kx++) {
            const ix = ox * sw - pl + kx * dw;
            if (ix < 0 || ix >= W) continue;
            const xBase = ((n * H + iy) * W + ix) * C;
            const wBase = (ky * KW + kx) * C * F;
            for (let c = 0; c < C; c++) {
              let s = 0;
              const wRow = wBase + c * F;
              for (let f = 0; f < F; f++) s += dyv[dyBase + f]! * wv[wRow + f]!;
              dx[xBase + c] = dx[xBase + c]! + s;
            }
          }
        }
      }
    }
  }
  const out = allocArray(dy.dtype, dx.length);
  out.set(dx);
  return wrap(out, dy.dtype);
}

/** dL/dw: the conv2d index relation walked as a scatter of x·dy into dw (float64 accumulator). */
export function conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, g: Conv2DGeometry): JsData {
  const [N, H, W, C] = g.inShape;
  const [KH, KW, , F] = g.filterShape;
  const [, OH, OW] = g.outShape;
  const [sh, sw] = g.strides;
  const [dh, dw] = g.dilations;
  const [pt, , pl] = g.pads;
  const xv = vals(x);
  const dyv = vals(dy);
  const dwAcc = new Float64Array(KH * KW * C * F);
  for (let n = 0; n < N; n++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const dyBase = ((n * OH + oy) * OW + ox) * F;
        for (let ky = 0; ky < KH; ky++) {
          const iy = oy * sh - pt + ky * dh;
          if (iy < 0 || iy >= H) continue;
          for (let kx = 0; kx < KW; kx++) {
            const ix = ox * sw - pl + kx * dw;
            if (ix < 0 || ix >= W) continue;
            const xBase = ((n * H + iy) * W + ix) * C;
            const wBase = (ky * KW + kx) * C * F;
            for (let c = 0; c < C; c++) {
              const xval = xv[xBase + c]!;
              const wRow = wBase + c * F;
              for (let f = 0; f < F; f++) dwAcc[wRow + f] = dwAcc[wRow + f]! + xval * dyv[dyBase + f]!;
            }
          }
        }
      }
    }
  }
  const out = allocArray(x.dtype, dwAcc.length);
  out.set(dwAcc);
  return wrap(out, x.dtype);
}

/** Max pooling ignores padded cells; average pooling divides by the number of real (unpadded) cells (TF/Keras). */
export function pool2d(x: TensorInfo, g: Pool2DGeometry): JsData {
  const [N, H, W, C] = g.inShape;
  const [, OH, OW] = g.outShape;
  const [kh, kw] = g.poolSize;
  const [sh, sw] = g.strides;
  const [pt, , pl] = g.pads;
  const xv = vals(x);
  const out = allocArray(x.dtype, N * OH * OW * C);
  for (let n = 0; n < N; n++)
    for (let oy = 0; oy < OH; oy++)
      for (let ox = 0; ox < OW; ox++)
        for (let c = 0; c < C; c++) {
          let best = -Infinity;
          let sum = 0;
          let count = 0;
          for (let ky = 0; ky < kh; ky++) {
            const iy = oy * sh - pt + ky;
            if (iy < 0 || iy >= H) continue;
            for (let kx = 0; kx < kw; kx++) {
              const ix = ox * sw - pl + kx;
              if (ix < 0 || ix >= W) continue;
              const v = xv[((n * H + iy) * W + ix) * C + c]!;
              if (v > best || Number.isNaN(v)) best = Number.isNaN(best) ? best : v;
              sum += v;
              count++;
            }
          }
          out[((n * OH + oy) * OW + ox) * C + c] = g.kind === 'max' ? best : sum / count;
        }
  return wrap(out, x.dtype);
}

/** dL/dx of pool2d: each window's dy to its first maximum (max) or spread over its real cells (avg). */
export function pool2dBackprop(dy: TensorInfo, x: TensorInfo, g: Pool2DGeometry): JsData {
  const [N, H, W, C] = g.inShape;
  const [, OH, OW] = g.outShape;
  const [kh, kw] = g.poolSize;
  const [sh, sw] = g.strides;
  const [pt, , pl] = g.pads;
  const xv = vals(x);
  const dyv = vals(dy);
  const dx = new Float64Array(N * H * W * C);
  for (let n = 0; n < N; n++)
    for (let oy = 0; oy < OH; oy++)
      for (let ox = 0; ox < OW; ox++)
        for (let c = 0; c < C; c++) {
          const grad = dyv[((n * OH + oy) * OW + ox) * C + c]!;
          let best = -Infinity;
          let bestAt = -1;
          let count = 0;
          for (let ky = 0; ky < kh; ky++) {
            const iy = oy * sh - pt + ky;
            if (iy < 0 || iy >= H) continue;
            for (let kx = 0; kx < kw; kx++) {
              const ix = ox * sw - pl + kx;
              if (ix < 0 || ix >= W) continue;
              const at = ((n * H + iy) * W + ix) * C + c;
              const v = xv[at]!;
              if (bestAt < 0 || v > best || (Number.isNaN(v) && !Number.isNaN(best))) {
                best = v;
                bestAt = at;
              }
              count++;
            }
          }
          if (g.kind === 'max') {
            if (bestAt >= 0) dx[bestAt] = dx[bestAt]! + grad;
            continue;
          }
          for (let ky = 0; ky < kh; ky++) {
            const iy = oy * sh - pt + ky;
            if (iy < 0 || iy >= H) continue;
            for (let kx = 0; kx < kw; kx++) {
              const ix = ox * sw - pl + kx;
              if (ix < 0 || ix >= W) continue;
              dx[((n * H + iy) * W + ix) * C + c] = dx[((n * H + iy) * W + ix) * C + c]! + grad / count;
            }
          }
        }
  const out = allocArray(dy.dtype, dx.length);
  out.set(dx);
  return wrap(out, dy.dtype);
}
