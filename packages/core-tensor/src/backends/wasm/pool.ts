import type { BackendData, Pool2DGeometry, TensorInfo } from '../../backend';
import type { WasmContext } from './context';
import { ptrOf } from './context';

function setGeometry(ctx: WasmContext, g: Pool2DGeometry): void {
  const [N, H, W, C] = g.inShape;
  const [, OH, OW] = g.outShape;
  ctx.k.poolGeometry(
    N,
    H,
    W,
    C,
    OH,
    OW,
    g.poolSize[0],
    g.poolSize[1],
    g.strides[0],
    g.strides[1],
    g.pads[0],
    g.pads[2],
  );
}

/** Max or average pooling of float32 NHWC input in one SIMD pass (four channels per vector). */
export function pool2dF32(ctx: WasmContext, x: TensorInfo, g: Pool2DGeometry): BackendData {
  const [N, OH, OW, C] = g.outShape;
  const out = ctx.alloc('float32', N * OH * OW * C);
  if (N * OH * OW * C === 0) return out;
  setGeometry(ctx, g);
  ctx.k.pool2d(ptrOf(x), out.ptr, g.kind === 'max' ? 0 : 1);
  return out;
}

/** dL/dx of pooling for float32: dy to each window's first maximum, or spread over its real cells. */
export function pool2dBackpropF32(
  ctx: WasmContext,
  dy: TensorInfo,
  x: TensorInfo,
  g: Pool2DGeometry,
): BackendData {
  const [N, H, W, C] = g.inShape;
  const dx = ctx.alloc('float32', N * H * W * C);
  if (N * H * W * C === 0) return dx;
  setGeometry(ctx, g);
  ctx.k.pool2dBackprop(ptrOf(dy), ptrOf(x), dx.ptr, g.kind === 'max' ? 0 : 1);
  return dx;
}
