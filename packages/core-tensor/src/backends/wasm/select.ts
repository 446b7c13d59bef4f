import type { BackendData, CompareOp, TensorInfo } from '../../backend';
import type { Shape } from '../../shape';
import { sizeOf } from '../../shape';
import type { WasmContext } from './context';
import { ptrOf } from './context';
import { forEachRun } from './runs';

/** Kernel codes of the float32 predicates (logicalAnd/logicalOr take bools and stay with the js kernel). */
export const COMPARE_CODE: Partial<Record<CompareOp, number>> = {
  equal: 0,
  notEqual: 1,
  less: 2,
  lessEqual: 3,
  greater: 4,
  greaterEqual: 5,
};

/** a op b → bool for float32 a, b broadcast to `outShape` (the caller checked the code and dtype). */
export function compareF32(
  ctx: WasmContext,
  code: number,
  a: TensorInfo,
  b: TensorInfo,
  outShape: Shape,
): BackendData {
  const out = ctx.alloc('bool', sizeOf(outShape));
  const pa = ptrOf(a);
  const pb = ptrOf(b);
  forEachRun([a.shape, b.shape], outShape, (off, o, n, s) => {
    ctx.k.compare(code, pa + 4 * off[0]!, s[0]!, pb + 4 * off[1]!, s[1]!, out.ptr + o, n);
  });
  return out;
}

/** cond ? a : b for a bool cond and float32 a, b, all broadcast to `outShape`. */
export function whereF32(
  ctx: WasmContext,
  c: TensorInfo,
  a: TensorInfo,
  b: TensorInfo,
  outShape: Shape,
): BackendData {
  const out = ctx.alloc('float32', sizeOf(outShape));
  const pc = ptrOf(c);
  const pa = ptrOf(a);
  const pb = ptrOf(b);
  forEachRun([c.shape, a.shape, b.shape], outShape, (off, o, n, s) => {
    ctx.k.select(pc + off[0]!, s[0]!, pa + 4 * off[1]!, s[1]!, pb + 4 * off[2]!, s[2]!, out.ptr + 4 * o, n);
  });
  return out;
}

/** x broadcast to `shape` for 4-byte dtypes (float32, int32): one copy or splat per contiguous run. */
export function broadcast4(ctx: WasmContext, x: TensorInfo, shape: Shape): BackendData {
  const out = ctx.alloc(x.dtype, sizeOf(shape));
  const px = ptrOf(x);
  forEachRun([x.shape], shape, (off, o, n, s) =>
    ctx.k.broadcastRun(px + 4 * off[0]!, s[0]!, out.ptr + 4 * o, n),
  );
  return out;
}
