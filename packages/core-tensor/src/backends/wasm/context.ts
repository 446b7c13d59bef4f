import type { BackendData } from '../../backend';
import type { DType } from '../../dtype';
import type { KernelExports } from './module';

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

/** What the kernel wrappers (select.ts, pool.ts, fused.ts) share with the backend that owns the memory. */
export interface WasmContext {
  readonly k: KernelExports;
  alloc(dtype: DType, size: number): WasmData;
  dispose(d: WasmData): void;
  /** The (possibly threaded) GEMM: gemm(m, n, k, a, rsa, csa, b, rsb, csb, c, ldc). */
  gemm(
    ...args: [number, number, number, number, number, number, number, number, number, number, number]
  ): void;
  /** The (possibly threaded) fused Adam update: adam(w, g, m, v, outW, outM, outV, n, α, 1−β₁, 1−β₂, ε). */
  adam(
    ...args: [number, number, number, number, number, number, number, number, number, number, number, number]
  ): void;
}
