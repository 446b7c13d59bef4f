import type { Conv2DGeometry } from '../../backend';

/**
 * im2col for NHWC input and HWIO filters: row r = (n·OH + oy)·OW + ox of `cols` holds, for each tap (ky, kx) in
 * HWIO order, the C input channels at (oy·sh − padTop + ky·dh, ox·sw − padLeft + kx·dw), zeros in the padding. Then
 * conv2d is cols[N·OH·OW, KH·KW·C] · W[KH·KW·C, F], the filter gradient colsᵀ · dy, and the input gradient
 * col2im(dy · Wᵀ). `x` and `cols` are views of the wasm memory (cols already zeroed where taps miss).
 */
export function im2col(x: Float32Array, cols: Float32Array, g: Conv2DGeometry): void {
  const [N, H, W, C] = g.inShape;
  const [KH, KW] = g.filterShape;
  const [, OH, OW] = g.outShape;
  const [sh, sw] = g.strides;
  const [dh, dw] = g.dilations;
  const [pt, , pl] = g.pads;
  const rowLen = KH * KW * C;
  let r = 0;
  for (let n = 0; n < N; n++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++, r++) {
        const rowBase = r * rowLen;
        for (let ky = 0; ky < KH; ky++) {
          const iy = oy * sh - pt + ky * dh;
          const tapBase = rowBase + ky * KW * C;
          if (iy < 0 || iy >= H) {
            cols.fill(0, tapBase, tapBase + KW * C);
            continue;
          }
          for (let kx = 0; kx < KW; kx++) {
            const ix = ox * sw - pl + kx * dw;
            const dst = tapBase + kx * C;
            if (ix < 0 || ix >= W) {
              cols.fill(0, dst, dst + C);
              continue;
            }
            const src = ((n * H + iy) * W + ix) * C;
            for (let c = 0; c < C; c++) cols[dst + c] = x[src + c]!;
          }
        }
      }
    }
  }
}

/** The adjoint of im2col: adds each row's taps back into `dx` (zeroed by the caller). */
export function col2im(cols: Float32Array, dx: Float32Array, g: Conv2DGeometry): void {
  const [N, H, W, C] = g.inShape;
  const [KH, KW] = g.filterShape;
  const [, OH, OW] = g.outShape;
  const [sh, sw] = g.strides;
  const [dh, dw] = g.dilations;
  const [pt, , pl] = g.pads;
  const rowLen = KH * KW * C;
  let r = 0;
  for (let n = 0; n < N; n++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++, r++) {
        const rowBase = r * rowLen;
        for (let ky = 0; ky < KH; ky++) {
          const iy = oy * sh - pt + ky * dh;
          if (iy < 0 || iy >= H) continue;
          for (let kx = 0; kx < KW; kx++) {
            const ix = ox * sw - pl + kx * dw;
            if (ix < 0 || ix >= W) continue;
            const src = rowBase + (ky * KW + kx) * C;
            const dst = ((n * H + iy) * W + ix) * C;
            for (let c = 0; c < C; c++) dx[dst + c]! += cols[src + c]!;
          }
        }
      }
    }
  }
}

/** True when cols would equal x itself: a 1×1 filter, stride 1, no padding (then im2col is skipped). */
export function isPointwise(g: Conv2DGeometry): boolean {
  const [KH, KW] = g.filterShape;
  return KH === 1 && KW === 1 && g.strides[0] === 1 && g.strides[1] === 1 && g.pads.every((p) => p === 0);
}
