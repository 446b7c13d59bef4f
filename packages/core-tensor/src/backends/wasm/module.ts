import {
  RELAXED_SHARED_WASM_BASE64,
  RELAXED_WASM_BASE64,
  SIMD_SHARED_WASM_BASE64,
  SIMD_WASM_BASE64,
} from './generated/kernels';
import { threadsSupported } from './threads';

/** The kernels' exports (see assembly/kernels.ts). Pointers are byte offsets, counts and strides are elements. */
export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  free(ptr: number): void;
  tileRows(): number;
  gemmWorkBytes(): number;
  gemmWith(
    work: number,
    m: number,
    n: number,
    k: number,
    a: number,
    rsa: number,
    csa: number,
    b: number,
    rsb: number,
    csb: number,
    c: number,
    ldc: number,
  ): void;
  gemm(
    m: number,
    n: number,
    k: number,
    a: number,
    rsa: number,
    csa: number,
    b: number,
    rsb: number,
    csb: number,
    c: number,
    ldc: number,
  ): void;
  binary(op: number, a: number, sa: number, b: number, sb: number, out: number, n: number): void;
  binaryRows(
    op: number,
    a: number,
    rowA: number,
    sa: number,
    b: number,
    rowB: number,
    sb: number,
    out: number,
    rows: number,
    n: number,
  ): void;
  unary(op: number, x: number, out: number, n: number): void;
  reduceRows(op: number, x: number, out: number, rows: number, len: number): void;
  reduceCols(op: number, x: number, out: number, red: number, inner: number): void;
  softmaxRows(x: number, out: number, rows: number, len: number, log: number): void;
  compare(op: number, a: number, sa: number, b: number, sb: number, out: number, n: number): void;
  broadcastRun(x: number, sx: number, out: number, n: number): void;
  select(c: number, sc: number, a: number, sa: number, b: number, sb: number, out: number, n: number): void;
  convGeometry(
    n: number,
    h: number,
    w: number,
    c: number,
    kh: number,
    kw: number,
    oh: number,
    ow: number,
    sh: number,
    sw: number,
    dh: number,
    dw: number,
    pt: number,
    pl: number,
  ): void;
  im2col(x: number, cols: number): void;
  col2im(cols: number, dx: number): void;
  poolGeometry(
    n: number,
    h: number,
    w: number,
    c: number,
    oh: number,
    ow: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    pt: number,
    pl: number,
  ): void;
  pool2d(x: number, out: number, kind: number): void;
  pool2dBackprop(dy: number, x: number, dx: number, kind: number): void;
  biasAct(c: number, bias: number, rows: number, cols: number, act: number): void;
  softmaxXent(x: number, t: number, out: number, rows: number, len: number): void;
  sparseSoftmaxXent(x: number, labels: number, out: number, rows: number, len: number): void;
  sgdUpdate(
    w: number,
    g: number,
    v: number,
    outW: number,
    outV: number,
    n: number,
    lr: number,
    mu: number,
    nesterov: number,
  ): void;
  adamUpdate(
    w: number,
    g: number,
    m: number,
    v: number,
    outW: number,
    outM: number,
    outV: number,
    n: number,
    alpha: number,
    omb1: number,
    omb2: number,
    eps: number,
  ): void;
}

/** Options of the wasm backend. */
export interface WasmBackendOptions {
  /**
   * Use the relaxed-SIMD (FMA) kernels. `'auto'` (default) uses them where the engine accepts them without flags;
   * `true` also enables them on Node 20 by calling `v8.setFlagsFromString('--experimental-wasm-relaxed-simd')`
   * before compiling (also done when the env var `BACKPROP_WASM_RELAXED_SIMD=1` is set); `false` never uses them.
   */
  relaxedSimd?: boolean | 'auto';
  /**
   * Threads for large matmuls and convolutions (the calling thread counts as one): worker_threads in Node, Web
   * Workers in cross-origin-isolated pages, over a shared WebAssembly.Memory. Default: the env var
   * `BACKPROP_WASM_THREADS` if set, else every core (`os.availableParallelism()` in Node,
   * `navigator.hardwareConcurrency` in a cross-origin-isolated page). Falls back to 1 where shared memory or
   * workers are unavailable.
   */
  threads?: number;
  /**
   * Multiply-adds (M·N·K) from which one GEMM is split over the threads; smaller products run on the calling
   * thread alone, since handing work to a worker costs more than they take. Default from a measurement on a
   * 2-core machine (see the backend's README); 0 splits every product (for measuring the crossover).
   */
  parallelMin?: number;
  /**
   * Floats from which a fused Adam update is split over the threads (default from the same measurement; 0 splits
   * every update).
   */
  adamParallelMin?: number;
}

/** Cores this engine reports: os.availableParallelism() in Node, navigator.hardwareConcurrency in a browser. */
export function availableCores(): number {
  const os = nodeProcess()?.getBuiltinModule?.('node:os') as
    { availableParallelism?: () => number; cpus?: () => unknown[] } | undefined;
  if (os) return Math.max(1, os.availableParallelism?.() ?? os.cpus?.().length ?? 1);
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return Math.max(1, nav?.hardwareConcurrency ?? 1);
}

/** Threads to ask for when the caller named none: the env var, else every core where threads can work. */
function defaultThreads(): number {
  const env = nodeProcess()?.env?.BACKPROP_WASM_THREADS;
  if (env !== undefined && env !== '') {
    const n = Number(env);
    if (Number.isFinite(n)) return n;
  }
  return threadsSupported() ? availableCores() : 1;
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

let simdBytes: Uint8Array<ArrayBuffer> | undefined;
let relaxedBytes: Uint8Array<ArrayBuffer> | undefined;

/** True where this engine validates the SIMD128 kernels (the wasm backend can run). */
export function wasmSimdSupported(): boolean {
  if (typeof WebAssembly === 'undefined') return false;
  simdBytes ??= decode(SIMD_WASM_BASE64);
  try {
    return WebAssembly.validate(simdBytes);
  } catch {
    return false;
  }
}

function relaxedValid(): boolean {
  relaxedBytes ??= decode(RELAXED_WASM_BASE64);
  try {
    return WebAssembly.validate(relaxedBytes);
  } catch {
    return false;
  }
}

interface NodeLikeProcess {
  env?: Record<string, string | undefined>;
  getBuiltinModule?: (id: string) => unknown;
}

function nodeProcess(): NodeLikeProcess | undefined {
  return (globalThis as { process?: NodeLikeProcess }).process;
}

/** Turns on V8's relaxed-SIMD flag in Node (a no-op elsewhere); must run before the module is compiled. */
function enableRelaxedFlag(): void {
  const v8 = nodeProcess()?.getBuiltinModule?.('node:v8') as
    { setFlagsFromString(flags: string): void } | undefined;
  v8?.setFlagsFromString('--experimental-wasm-relaxed-simd');
}

/** Which build of the kernels runs. */
export type KernelVariant = 'simd' | 'relaxed-simd';

/** Compiles and instantiates the kernels (synchronously: the module is small). */
export function instantiateKernels(options: WasmBackendOptions = {}): {
  exports: KernelExports;
  variant: KernelVariant;
  /** Threads granted (1 when threads were not asked for or are unavailable). */
  threads: number;
  module: WebAssembly.Module;
} {
  if (!wasmSimdSupported()) {
    throw new Error('wasm backend: this engine does not support WebAssembly SIMD128');
  }
  let want = options.relaxedSimd ?? 'auto';
  if (want === 'auto' && nodeProcess()?.env?.BACKPROP_WASM_RELAXED_SIMD === '1') want = true;
  let useRelaxed = false;
  if (want !== false) {
    useRelaxed = relaxedValid();
    if (!useRelaxed && want === true) {
      enableRelaxedFlag();
      useRelaxed = relaxedValid();
    }
  }
  let threads = Math.max(1, Math.floor(options.threads ?? defaultThreads()));
  let memory: WebAssembly.Memory | undefined;
  if (threads > 1 && threadsSupported()) {
    try {
      memory = new WebAssembly.Memory({ initial: 16, maximum: 32767, shared: true });
    } catch {
      memory = undefined;
    }
  }
  if (!memory) threads = 1;
  const bytes = memory
    ? decode(useRelaxed ? RELAXED_SHARED_WASM_BASE64 : SIMD_SHARED_WASM_BASE64)
    : useRelaxed
      ? relaxedBytes!
      : simdBytes!;
  const module = new WebAssembly.Module(bytes);
  const instance = new WebAssembly.Instance(module, {
    env: {
      ...(memory ? { memory } : {}),
      abort: () => {
        throw new Error('wasm backend: kernel aborted');
      },
    },
  });
  return {
    exports: instance.exports as unknown as KernelExports,
    variant: useRelaxed ? 'relaxed-simd' : 'simd',
    threads,
    module,
  };
}
