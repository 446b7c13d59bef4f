import type { Conv2DGeometry } from '../../backend';

/*
 * conv2d on the wasm backend is im2col + GEMM (kernels in assembly/im2col.ts): row r = (n·OH + oy)·OW + ox of
 * `cols` holds, for each tap (ky, kx) in HWIO order, the C input channels at (oy·sh − padTop + ky·dh,
 * ox·sw − padLeft + kx·dw), zeros in the padding. Then conv2d is cols[N·OH·OW, KH·KW·C] · W[KH·KW·C, F], the filter
 * gradient colsᵀ · dy, and the input gradient col2im(dy · Wᵀ), col2im adding each row's taps back into dx.
 */

/** True when cols would equal x itself: a 1×1 filter, stride 1, no padding (then im2col is skipped). */
export function isPointwise(g: Conv2DGeometry): boolean {
  const [KH, KW] = g.filterShape;
  return KH === 1 && KW === 1 && g.strides[0] === 1 && g.strides[1] === 1 && g.pads.every((p) => p === 0);
}
