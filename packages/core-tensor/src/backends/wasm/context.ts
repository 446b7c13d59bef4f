import type { BackendData, TensorInfo } from '../../backend';
import type { DType } from '../../dtype';
import type { KernelExports } from './module';
import type { AdamArgs, GemmArgs } from './threads';

/** A tensor's elements in the kernels' linear memory: `size` elements of `dtype` at byte offset `ptr`. */
export class WasmData implements BackendData {
  /** Set by `dispose`; a freed block must never be read or freed again. */
  freed = false;
  constructor(
    readonly dtype: DType,
    readonly size: number,
    readonly ptr: number,
  ) {}
}

/** Where an operand's elements start in the kernels' memory. */
export const ptrOf = (x: TensorInfo): number => (x.data as WasmData).ptr;

/** What the kernel wrappers (select.ts, pool.ts, fused.ts) share with the backend that owns the memory. */
export interface WasmContext {
  readonly k: KernelExports;
  alloc(dtype: DType, size: number): WasmData;
  dispose(d: WasmData): void;
  /** The (possibly threaded) GEMM: gemm(m, n, k, a, rsa, csa, b, rsb, csb, c, ldc). */
  gemm(...args: GemmArgs): void;
  /** The (possibly threaded) fused Adam update: adam(w, g, m, v, outW, outM, outV, n, α, 1−β₁, 1−β₂, ε). */
  adam(...args: AdamArgs): void;
}
