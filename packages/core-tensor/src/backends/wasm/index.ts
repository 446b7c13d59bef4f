import type {
  Backend,
  BackendData,
  BinaryOp,
  Conv2DGeometry,
  Pool2DGeometry,
  ReduceOp,
  TensorInfo,
  UnaryOp,
} from '../../backend';
import type { DType, TypedArray } from '../../dtype';
import { OutOfMemoryError } from '../../errors';
import { bytesPerElement } from '../../dtype';
import type { Shape } from '../../shape';
import { sizeOf } from '../../shape';
import { createJsBackend } from '../js/index';
import { broadcastStrides, wrap } from '../js/data';
import type { WasmContext } from './context';
import { WasmData, ptrOf } from './context';
import { isPointwise } from './conv';
import { fusedKernels } from './fused';
import { concatRuns, gatherRows, sliceUnitSteps } from './movement';
import { pool2dBackpropF32, pool2dF32 } from './pool';
import { COMPARE_CODE, broadcast4, compareF32, whereF32 } from './select';
import type { KernelVariant, WasmBackendOptions } from './module';
import { instantiateKernels } from './module';
import type { AdamArgs, GemmArgs, PoolJob } from './threads';
import { KernelPool } from './threads';

export { WasmData } from './context';
export type { KernelVariant, WasmBackendOptions } from './module';
export { wasmSimdSupported } from './module';

/** The wasm backend with the kernel build it chose. */
export interface WasmBackend extends Backend {
  /** `'relaxed-simd'` (FMA, 6×8 GEMM tile) or `'simd'` (5×8 tile). */
  readonly variant: KernelVariant;
  /** Threads large GEMMs run on (the calling thread included): every core by default, 1 without shared memory. */
  readonly threads: number;
  /** Bytes of the kernels' linear memory (grows, never shrinks). */
  memoryBytes(): number;
}

const UNARY_CODE: Partial<Record<UnaryOp, number>> = {
  neg: 0,
  abs: 1,
  sqrt: 2,
  rsqrt: 3,
  reciprocal: 4,
  square: 5,
  exp: 6,
  log: 7,
  tanh: 8,
  sigmoid: 9,
  floor: 10,
  ceil: 11,
};

const BINARY_CODE: Partial<Record<BinaryOp, number>> = {
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
  maximum: 4,
  minimum: 5,
};

/**
 * Multiply-adds from which a GEMM is split over threads: below it, handing a share to a worker costs more than
 * it saves. Measured with scripts/thread-crossover.mjs (README: "Threads").
 */
const PARALLEL_MIN = 100_000;

/**
 * Floats from which the fused Adam update is split over threads (memory bound: below it the hand-off costs more
 * than the second core's bandwidth saves). Measured with scripts/thread-crossover.mjs (README: "Threads").
 */
const ADAM_PARALLEL_MIN = 32_768;

/** The most a wasm32 memory can grow to in V8: 4 GiB, and the 2 GiB maximum module.ts gives a shared one. */
const MAX_BYTES = 65536 * 65536;
const SHARED_MAX_BYTES = 32767 * 65536;

const REDUCE_CODE: Partial<Record<ReduceOp, number>> = { sum: 0, max: 1, min: 2 };

/**
 * The WebAssembly SIMD backend. Every tensor lives in the kernels' linear memory (allocated with the kernels' TLSF
 * allocator, freed by `dispose`, which the engine calls at scope end or from its FinalizationRegistry), so the hot
 * float32 path — matmul, add/sub/mul/div/maximum/minimum with broadcasting, exp/log/tanh/sigmoid/sqrt/…, sum/max/min
 * — runs in SIMD kernels with no copy. Other primitives and dtypes run the js reference kernels directly on views
 * of that memory (no copy in; one copy of the result back in).
 */
export function createWasmBackend(options: WasmBackendOptions = {}): WasmBackend {
  const { exports: k, variant, threads, module } = instantiateKernels(options);
  const js = createJsBackend();
  const pool =
    threads > 1
      ? new KernelPool(
          module,
          k.memory,
          Array.from({ length: threads - 1 }, () => k.alloc(k.gemmWorkBytes())),
        )
      : undefined;
  const MR = k.tileRows();
  const parallelMin = options.parallelMin ?? PARALLEL_MIN;
  const adamParallelMin = options.adamParallelMin ?? ADAM_PARALLEL_MIN;

  /**
   * k.gemm, split over the pool for products of at least `parallelMin` multiply-adds: by column blocks (multiples
   * of the 8-wide tile) when N is wide enough, else by row blocks (multiples of the tile height). Every element is
   * computed by the same kernel in the same order either way, so results do not depend on the thread count.
   */
  function gemm(...args: GemmArgs): void {
    const [m, n, kk, a, rsa, csa, b, rsb, csb, c, ldc] = args;
    const T = pool ? pool.helpers + 1 : 1;
    if (!pool || m * n * kk < parallelMin) {
      k.gemm(...args);
      return;
    }
    const parts: GemmArgs[] = [];
    if (n >= 8 * T) {
      const chunk = Math.ceil(n / T / 8) * 8;
      for (let j0 = 0; j0 < n; j0 += chunk) {
        parts.push([
          m,
          Math.min(chunk, n - j0),
          kk,
          a,
          rsa,
          csa,
          b + 4 * j0 * csb,
          rsb,
          csb,
          c + 4 * j0,
          ldc,
        ]);
      }
    } else if (m >= MR * T) {
      const chunk = Math.ceil(m / T / MR) * MR;
      for (let i0 = 0; i0 < m; i0 += chunk) {
        parts.push([
          Math.min(chunk, m - i0),
          n,
          kk,
          a + 4 * i0 * rsa,
          rsa,
          csa,
          b,
          rsb,
          csb,
          c + 4 * i0 * ldc,
          ldc,
        ]);
      }
    } else {
      k.gemm(...args);
      return;
    }
    pool.run(
      parts.slice(1).map((args) => ({ kind: 'gemm', args })),
      () => k.gemm(...parts[0]!),
      (job) => k.gemm(...(job.args as GemmArgs)),
    );
  }

  /**
   * k.adamUpdate, split into contiguous slices over the pool for weights of at least `adamParallelMin` floats:
   * the update is elementwise, so every float gets the same arithmetic on any thread count.
   */
  function adam(...args: AdamArgs): void {
    const n = args[7];
    const T = pool ? pool.helpers + 1 : 1;
    if (!pool || n < adamParallelMin || n < 16 * T) {
      k.adamUpdate(...args);
      return;
    }
    // Slices of 16 floats (64 bytes): with the allocator's 16-byte alignment two threads share at most one cache
    // line per boundary, and every float is still written by exactly one of them.
    const chunk = Math.ceil(n / T / 16) * 16;
    const slice = (i0: number): AdamArgs => {
      const o = 4 * i0;
      const [w, g, m, v, ow, om, ov] = args;
      return [
        w + o,
        g + o,
        m + o,
        v + o,
        ow + o,
        om + o,
        ov + o,
        Math.min(chunk, n - i0),
        ...args.slice(8),
      ] as AdamArgs;
    };
    const jobs: PoolJob[] = [];
    for (let i0 = chunk; i0 < n; i0 += chunk) jobs.push({ kind: 'adam', args: slice(i0) });
    pool.run(
      jobs,
      () => k.adamUpdate(...slice(0)),
      (job) => k.adamUpdate(...(job.args as AdamArgs)),
    );
  }

  function alloc(dtype: DType, size: number): WasmData {
    const bytes = size * bytesPerElement(dtype);
    let ptr: number;
    try {
      // wasm returns a usize as a signed i32: a block above 2 GiB would come back negative.
      ptr = k.alloc(bytes) >>> 0;
    } catch (e) {
      // The allocator traps (`unreachable`) when the memory cannot grow; it has changed nothing by then.
      if (!(e instanceof WebAssembly.RuntimeError)) throw e;
      const mib = (b: number): string => `${(b / 2 ** 20).toFixed(1)} MiB`;
      throw new OutOfMemoryError(
        `wasm backend: out of memory allocating ${mib(bytes)} for ${size} ${dtype} elements; the memory holds ` +
          `${mib(k.memory.buffer.byteLength)} of at most ${mib(threads > 1 ? SHARED_MAX_BYTES : MAX_BYTES)}: ` +
          'dispose tensors you no longer need, wrap steps in scope(), or use smaller batches',
      );
    }
    return new WasmData(dtype, size, ptr);
  }

  /** A view of d's elements; invalid after the next allocation (memory may grow). */
  function view(d: WasmData): TypedArray {
    const buf = k.memory.buffer;
    switch (d.dtype) {
      case 'float32':
        return new Float32Array(buf, d.ptr, d.size);
      case 'float64':
        return new Float64Array(buf, d.ptr, d.size);
      case 'int32':
        return new Int32Array(buf, d.ptr, d.size);
      default:
        return new Uint8Array(buf, d.ptr, d.size);
    }
  }

  function fromTyped(values: TypedArray, dtype: DType): WasmData {
    // A result that is itself a view of our memory would be detached if the allocation grows the memory.
    const src = values.buffer === k.memory.buffer ? values.slice() : values;
    const out = alloc(dtype, src.length);
    view(out).set(src);
    return out;
  }

  /** x as an operand of the js backend: a zero-copy view of our memory. */
  function asJs(x: TensorInfo): TensorInfo {
    return { data: wrap(view(x.data as WasmData), x.dtype), shape: x.shape, dtype: x.dtype };
  }

  /** Runs a js-backend primitive on views of our memory and moves its result in. */
  function delegate(result: BackendData): WasmData {
    const d = result as unknown as { values: TypedArray; dtype: DType };
    return fromTyped(d.values, d.dtype);
  }

  function binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape, outDType: DType): BackendData {
    const code = BINARY_CODE[op];
    if (code === undefined || outDType !== 'float32') {
      return delegate(js.binary(op, asJs(a), asJs(b), outShape, outDType));
    }
    const size = sizeOf(outShape);
    const out = alloc('float32', size);
    if (size === 0) return out;
    // Broadcast strides, then merge adjacent dims that stay contiguous for both operands: what is left is an outer
    // loop (here) around one kernel call per contiguous inner run (stride 1, or 0 for a broadcast element).
    const rank = outShape.length;
    const sa = broadcastStrides(a.shape, outShape);
    const sb = broadcastStrides(b.shape, outShape);
    const dims: number[] = [];
    const da: number[] = [];
    const db: number[] = [];
    for (let i = 0; i < rank; i++) {
      const n = outShape[i]!;
      if (n === 1) continue;
      const last = dims.length - 1;
      if (last >= 0 && da[last] === sa[i]! * n && db[last] === sb[i]! * n) {
        dims[last]! *= n;
        da[last] = sa[i]!;
        db[last] = sb[i]!;
      } else {
        dims.push(n);
        da.push(sa[i]!);
        db.push(sb[i]!);
      }
    }
    const pa = ptrOf(a);
    const pb = ptrOf(b);
    if (dims.length === 0) {
      k.binary(code, pa, 0, pb, 0, out.ptr, 1);
      return out;
    }
    const r = dims.length - 1;
    const inner = dims[r]!;
    const ia = da[r]!;
    const ib = db[r]!;
    const outer = size / inner;
    if (outer === 1) {
      k.binary(code, pa, ia, pb, ib, out.ptr, inner);
      return out;
    }
    // The next dim out is looped over inside wasm (binaryRows); JS walks only the dims above it.
    const rows = dims[r - 1]!;
    const ra = da[r - 1]!;
    const rb = db[r - 1]!;
    const idx = new Array<number>(r - 1).fill(0);
    let oa = 0;
    let ob = 0;
    for (let o = 0; o < outer; o += rows) {
      k.binaryRows(code, pa + 4 * oa, ra, ia, pb + 4 * ob, rb, ib, out.ptr + 4 * o * inner, rows, inner);
      for (let d = r - 2; d >= 0; d--) {
        oa += da[d]!;
        ob += db[d]!;
        if (++idx[d]! < dims[d]!) break;
        oa -= da[d]! * dims[d]!;
        ob -= db[d]! * dims[d]!;
        idx[d] = 0;
      }
    }
    return out;
  }

  function unary(op: UnaryOp, x: TensorInfo): BackendData {
    const code = UNARY_CODE[op];
    if (code === undefined || x.dtype !== 'float32') return delegate(js.unary(op, asJs(x)));
    const n = sizeOf(x.shape);
    const out = alloc('float32', n);
    if (n > 0) k.unary(code, ptrOf(x), out.ptr, n);
    return out;
  }

  function reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): BackendData {
    const code = REDUCE_CODE[op];
    const shape = x.shape;
    const size = sizeOf(shape);
    if (code === undefined || x.dtype !== 'float32' || size === 0 || axes.length === 0) {
      return delegate(js.reduce(op, asJs(x), axes));
    }
    // Merge adjacent dims with the same role: the pattern is then [kept?, reduced, kept?] or something the
    // kernels do not cover (delegated).
    const red = new Set(axes);
    const runs: { n: number; reduced: boolean }[] = [];
    for (let i = 0; i < shape.length; i++) {
      const n = shape[i]!;
      if (n === 1) continue;
      const reduced = red.has(i);
      const last = runs[runs.length - 1];
      if (last && last.reduced === reduced) last.n *= n;
      else runs.push({ n, reduced });
    }
    const outSize = size / runs.filter((r) => r.reduced).reduce((p, r) => p * r.n, 1);
    const out = alloc('float32', outSize);
    const px = ptrOf(x);
    const first = runs[0];
    if (runs.length === 0 || (runs.length === 1 && !first!.reduced)) {
      // Only size-1 axes are reduced: a copy.
      k.reduceRows(code, px, out.ptr, size, 1);
    } else if (runs.length === 1) {
      k.reduceRows(code, px, out.ptr, 1, first!.n);
    } else if (runs.length === 2 && !first!.reduced) {
      k.reduceRows(code, px, out.ptr, first!.n, runs[1]!.n);
    } else if (runs.length === 2) {
      k.reduceCols(code, px, out.ptr, first!.n, runs[1]!.n);
    } else if (runs.length === 3 && !first!.reduced) {
      const rn = runs[1]!.n;
      const inner = runs[2]!.n;
      for (let o = 0; o < first!.n; o++) {
        k.reduceCols(code, px + 4 * o * rn * inner, out.ptr + 4 * o * inner, rn, inner);
      }
    } else {
      dispose(out);
      return delegate(js.reduce(op, asJs(x), axes));
    }
    return out;
  }

  function matmul(
    a: TensorInfo,
    b: TensorInfo,
    transposeA: boolean,
    transposeB: boolean,
    outShape: Shape,
  ): BackendData {
    if (a.dtype !== 'float32') {
      return delegate(js.matmul(asJs(a), asJs(b), transposeA, transposeB, outShape));
    }
    const rank = outShape.length;
    const M = outShape[rank - 2]!;
    const N = outShape[rank - 1]!;
    const K = transposeA ? a.shape[a.shape.length - 2]! : a.shape[a.shape.length - 1]!;
    const batchShape = outShape.slice(0, -2);
    const batch = sizeOf(batchShape);
    const out = alloc('float32', batch * M * N);
    if (batch * M * N === 0) return out;
    // Strides of op(A)(i, p) and op(B)(p, j) in the stored operands.
    const [rsa, csa] = transposeA ? [1, M] : [K, 1];
    const [rsb, csb] = transposeB ? [1, K] : [N, 1];
    const aOff = batchOffsets(a.shape.slice(0, -2), batchShape, M * K);
    const bOff = batchOffsets(b.shape.slice(0, -2), batchShape, K * N);
    const pa = ptrOf(a);
    const pb = ptrOf(b);
    for (let t = 0; t < batch; t++) {
      gemm(M, N, K, pa + 4 * aOff[t]!, rsa, csa, pb + 4 * bOff[t]!, rsb, csb, out.ptr + 4 * t * M * N, N);
    }
    return out;
  }

  const f32 = (d: WasmData): Float32Array => new Float32Array(k.memory.buffer, d.ptr, d.size);

  /** The im2col matrix of x [N·OH·OW, KH·KW·C], or x itself for pointwise convolutions (then not to be freed). */
  function columns(x: TensorInfo, g: Conv2DGeometry): { cols: WasmData; owned: boolean } {
    if (isPointwise(g)) return { cols: x.data as WasmData, owned: false };
    const [N, , , C] = g.inShape;
    const [KH, KW] = g.filterShape;
    const [, OH, OW] = g.outShape;
    const cols = alloc('float32', N * OH * OW * KH * KW * C);
    convGeometry(g);
    k.im2col(ptrOf(x), cols.ptr);
    return { cols, owned: true };
  }

  function convGeometry(g: Conv2DGeometry): void {
    const [N, H, W, C] = g.inShape;
    const [KH, KW] = g.filterShape;
    const [, OH, OW] = g.outShape;
    k.convGeometry(N, H, W, C, KH, KW, OH, OW, ...g.strides, ...g.dilations, g.pads[0], g.pads[2]);
  }

  function conv2d(x: TensorInfo, w: TensorInfo, g: Conv2DGeometry): BackendData {
    if (x.dtype !== 'float32') return delegate(js.conv2d(asJs(x), asJs(w), g));
    const [N, , , C] = g.inShape;
    const [KH, KW, , F] = g.filterShape;
    const [, OH, OW] = g.outShape;
    const rows = N * OH * OW;
    const K = KH * KW * C;
    const out = alloc('float32', rows * F);
    if (rows * F === 0) return out;
    const { cols, owned } = columns(x, g);
    gemm(rows, F, K, cols.ptr, K, 1, ptrOf(w), F, 1, out.ptr, F);
    if (owned) dispose(cols);
    return out;
  }

  function conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, g: Conv2DGeometry): BackendData {
    if (x.dtype !== 'float32') return delegate(js.conv2dBackpropFilter(asJs(x), asJs(dy), g));
    const [N, , , C] = g.inShape;
    const [KH, KW, , F] = g.filterShape;
    const [, OH, OW] = g.outShape;
    const rows = N * OH * OW;
    const K = KH * KW * C;
    const out = alloc('float32', K * F);
    if (K * F === 0) return out;
    const { cols, owned } = columns(x, g);
    // dW[K, F] = colsᵀ · dy: a tn product.
    gemm(K, F, rows, cols.ptr, 1, K, ptrOf(dy), F, 1, out.ptr, F);
    if (owned) dispose(cols);
    return out;
  }

  function conv2dBackpropInput(dy: TensorInfo, w: TensorInfo, g: Conv2DGeometry): BackendData {
    if (dy.dtype !== 'float32') return delegate(js.conv2dBackpropInput(asJs(dy), asJs(w), g));
    const [N, H, W, C] = g.inShape;
    const [KH, KW, , F] = g.filterShape;
    const [, OH, OW] = g.outShape;
    const rows = N * OH * OW;
    const K = KH * KW * C;
    const dx = alloc('float32', N * H * W * C);
    if (N * H * W * C === 0) return dx;
    if (isPointwise(g)) {
      // dx = dy · Wᵀ directly: an nt product.
      gemm(rows, C, F, ptrOf(dy), F, 1, ptrOf(w), 1, F, dx.ptr, C);
      return dx;
    }
    const dcols = alloc('float32', rows * K);
    gemm(rows, K, F, ptrOf(dy), F, 1, ptrOf(w), 1, F, dcols.ptr, K);
    f32(dx).fill(0);
    convGeometry(g);
    k.col2im(dcols.ptr, dx.ptr);
    dispose(dcols);
    return dx;
  }

  /** softmax (log = false) or log-softmax along the last axis; float64 runs the same formulas in JS. */
  function softmaxLast(x: TensorInfo, log: boolean): BackendData {
    const size = sizeOf(x.shape);
    const len = x.shape[x.shape.length - 1] ?? 1;
    const out = alloc(x.dtype, size);
    if (size === 0) return out;
    const rows = size / len;
    if (x.dtype === 'float32') {
      k.softmaxRows(ptrOf(x), out.ptr, rows, len, log ? 1 : 0);
      return out;
    }
    const xv = view(x.data as WasmData);
    const ov = view(out);
    for (let r = 0; r < rows; r++) {
      const o = r * len;
      let m = -Infinity;
      for (let j = 0; j < len; j++) m = Math.max(m, xv[o + j]!);
      if (!Number.isFinite(m)) m = 0;
      let s = 0;
      for (let j = 0; j < len; j++) s += ov[o + j] = Math.exp(xv[o + j]! - m);
      if (log) {
        const ls = Math.log(s);
        for (let j = 0; j < len; j++) ov[o + j] = xv[o + j]! - m - ls;
      } else {
        for (let j = 0; j < len; j++) ov[o + j] = ov[o + j]! / s;
      }
    }
    return out;
  }

  function dispose(data: BackendData): void {
    const d = data as WasmData;
    if (d.freed) return;
    d.freed = true;
    k.free(d.ptr);
  }

  const ctx: WasmContext = { k, alloc, dispose, gemm, adam };

  return {
    name: 'wasm',
    variant,
    threads,
    dtypes: ['float32', 'float64', 'int32', 'bool'],
    memoryBytes: () => k.memory.buffer.byteLength,
    fromArray: (values: TypedArray, dtype: DType) => fromTyped(values, dtype),
    fromWriter(dtype: DType, size: number, write: (out: TypedArray) => void): BackendData {
      const out = alloc(dtype, size);
      try {
        write(view(out));
      } catch (e) {
        dispose(out);
        throw e;
      }
      return out;
    },
    // A copy: a view would be detached when the memory grows, and overwritten once the block is reused.
    readSync: (data: BackendData) => view(data as WasmData).slice(),
    read: (data: BackendData) => Promise.resolve(view(data as WasmData).slice()),
    dispose,
    unary,
    binary,
    compare: (op, a, b, outShape) => {
      const code = COMPARE_CODE[op];
      if (code === undefined || a.dtype !== 'float32')
        return delegate(js.compare(op, asJs(a), asJs(b), outShape));
      return compareF32(ctx, code, a, b, outShape);
    },
    where: (c, a, b, outShape) => {
      if (a.dtype !== 'float32') return delegate(js.where(asJs(c), asJs(a), asJs(b), outShape));
      return whereF32(ctx, c, a, b, outShape);
    },
    cast: (x, dtype) => delegate(js.cast(asJs(x), dtype)),
    reduce,
    transpose: (x, perm) => delegate(js.transpose(asJs(x), perm)),
    broadcastTo: (x, shape) =>
      x.dtype === 'float32' || x.dtype === 'int32'
        ? broadcast4(ctx, x, shape)
        : delegate(js.broadcastTo(asJs(x), shape)),
    slice: (x, begin, size, step) =>
      step.every((s) => s === 1)
        ? sliceUnitSteps(ctx, x, begin, size)
        : delegate(js.slice(asJs(x), begin, size, step)),
    pad: (x, paddings, value) => delegate(js.pad(asJs(x), paddings, value)),
    concat: (xs, axis) =>
      xs.every((x) => x.dtype === xs[0]!.dtype)
        ? concatRuns(ctx, xs, axis)
        : delegate(js.concat(xs.map(asJs), axis)),
    gather: (x, indices, axis) =>
      indices.dtype === 'int32'
        ? gatherRows(ctx, x, indices, axis)
        : delegate(js.gather(asJs(x), asJs(indices), axis)),
    scatterAdd: (u, indices, axis, shape) => delegate(js.scatterAdd(asJs(u), asJs(indices), axis, shape)),
    matmul,
    conv2d,
    conv2dBackpropInput,
    conv2dBackpropFilter,
    pool2d: (x: TensorInfo, g: Pool2DGeometry) =>
      x.dtype === 'float32' ? pool2dF32(ctx, x, g) : delegate(js.pool2d(asJs(x), g)),
    pool2dBackprop: (dy: TensorInfo, x: TensorInfo, g: Pool2DGeometry) =>
      dy.dtype === 'float32' && x.dtype === 'float32'
        ? pool2dBackpropF32(ctx, dy, x, g)
        : delegate(js.pool2dBackprop(asJs(dy), asJs(x), g)),
    fused: {
      softmax: (x: TensorInfo) => softmaxLast(x, false),
      logSoftmax: (x: TensorInfo) => softmaxLast(x, true),
      ...fusedKernels(ctx),
    },
  };
}

/** Element offset of each output batch's matrix inside an operand whose batch dims broadcast to `batchShape`. */
function batchOffsets(shape: Shape, batchShape: Shape, matSize: number): number[] {
  const total = sizeOf(batchShape);
  const rank = batchShape.length;
  const strides = broadcastStrides(shape, batchShape);
  const offs = new Array<number>(total);
  const idx = new Array<number>(rank).fill(0);
  let off = 0;
  for (let t = 0; t < total; t++) {
    offs[t] = off * matSize;
    for (let d = rank - 1; d >= 0; d--) {
      off += strides[d]!;
      if (++idx[d]! < batchShape[d]!) break;
      off -= strides[d]! * batchShape[d]!;
      idx[d] = 0;
    }
  }
  return offs;
}
