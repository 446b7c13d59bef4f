/**
 * GEMM rows for the wasm backend: backprop's js and wasm backends (plain SIMD and, where the engine allows it,
 * relaxed SIMD) against tfjs-cpu and tfjs-wasm (XNNPACK), float32, 1 thread, every layout, on the issue's shapes:
 * square 128³…1024³, an MLP layer 128×784·784×256, and the Dense-backward products (dW = xᵀ·dy is tn, dx = dy·Wᵀ
 * is nt).
 *
 *   node dist/wasm.js [--quick] [--json FILE] [--threads N]   (or call runWasmGemm from index.ts; N defaults to 2)
 *
 * tfjs rows need the bench devDependencies @tensorflow/tfjs-core, -backend-cpu and -backend-wasm (4.22.0); when
 * they are not installed those rows are skipped with a note. Relaxed SIMD on Node 20 needs V8's flag: the wasm
 * backend sets it when created with `{ relaxedSimd: true }` (done here), before compiling its kernels.
 */
import { writeFileSync } from 'node:fs';
import { createWasmBackend, matmul, registerBackend, setBackend, tensor } from '@backprop/core-tensor';
import type { Tensor } from '@backprop/core-tensor';

export type Layout = 'nn' | 'tn' | 'nt' | 'tt';

/** One measured row (the bench's JSON format). */
export interface WasmBenchResult {
  suite: 'gemm';
  impl: string;
  /** M×K×N of C[M,N] = op(A)[M,K] · op(B)[K,N]. */
  shape: string;
  layout: Layout;
  threads: number;
  gflops: number;
}

export interface WasmBenchOptions {
  quick: boolean;
  /** Only these layouts for the square shapes (all four by default). */
  layouts?: readonly Layout[];
  /** Also time the wasm backend on this many threads (rows named …-Nt). */
  threads?: number;
}

const LAYOUTS: Layout[] = ['nn', 'tn', 'nt', 'tt'];

/** [M, K, N, layouts]: squares in every layout; the MLP layer forward nn and its two backward products. */
function cases(quick: boolean): [number, number, number, readonly Layout[]][] {
  const squares: [number, number, number, readonly Layout[]][] = (
    quick ? [128, 256, 512] : [128, 256, 512, 1024]
  ).map((n) => [n, n, n, LAYOUTS]);
  return [
    ...squares,
    [128, 784, 256, ['nn']], // forward: x[128,784] · W[784,256]
    [784, 128, 256, ['tn']], // dW = xᵀ · dy: x[128,784]ᵀ · dy[128,256]
    [128, 256, 784, ['nt']], // dx = dy · Wᵀ: dy[128,256] · W[784,256]ᵀ
  ];
}

function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2147483648 - 1;
  }
  return out;
}

interface Impl {
  name: string;
  /** Threads it computes on. */
  threads: number;
  /** Makes this implementation's engine current (tfjs keeps one global backend); called before each timed batch. */
  activate?: () => void;
  /** Prepares operands for one case; returns the product to time and its result for the cross-check. */
  prepare(
    av: Float32Array,
    aShape: number[],
    bv: Float32Array,
    bShape: number[],
    ta: boolean,
    tb: boolean,
  ): { run: () => void; result: () => Float32Array; free: () => void };
}

function backpropImpl(name: string, backend: string, threads = 1): Impl {
  return {
    name,
    threads,
    prepare(av, aShape, bv, bShape, ta, tb) {
      setBackend(backend);
      const a: Tensor = tensor(av, aShape);
      const b: Tensor = tensor(bv, bShape);
      return {
        run: () => {
          setBackend(backend);
          matmul(a, b, { transposeA: ta, transposeB: tb }).dispose();
        },
        result: () => {
          setBackend(backend);
          const c = matmul(a, b, { transposeA: ta, transposeB: tb });
          const out = c.dataSync() as Float32Array;
          c.dispose();
          return out;
        },
        free: () => {
          a.dispose();
          b.dispose();
        },
      };
    },
  };
}

// Minimal structural types of the tfjs API used here (tfjs is an optional devDependency).
interface TfTensor {
  dataSync(): Float32Array;
  dispose(): void;
}
interface Tf {
  tensor(values: Float32Array, shape: number[], dtype: 'float32'): TfTensor;
  matMul(a: TfTensor, b: TfTensor, ta: boolean, tb: boolean): TfTensor;
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  env(): { set(flag: string, value: unknown): void };
}

async function loadTf(): Promise<{ tf: Tf; backends: string[] } | string> {
  const load = (name: string): Promise<unknown> => import(/* @vite-ignore */ name);
  try {
    const tf = (await load('@tensorflow/tfjs-core')) as Tf;
    await load('@tensorflow/tfjs-backend-cpu');
    const backends = ['cpu'];
    try {
      await load('@tensorflow/tfjs-backend-wasm');
      if (await tf.setBackend('wasm')) backends.push('wasm');
    } catch (e) {
      console.log(`(tfjs-wasm unavailable: ${(e as Error).message})`);
    }
    return { tf, backends };
  } catch (e) {
    return `tfjs rows skipped: ${(e as Error).message.split('\n')[0]} (add @tensorflow/tfjs-core, -backend-cpu, -backend-wasm 4.22.0 to bench devDependencies)`;
  }
}

function tfImpl(tf: Tf, backend: string): Impl {
  return {
    name: `tfjs-${backend}`,
    threads: 1,
    activate: () => void tf.setBackend(backend),
    prepare(av, aShape, bv, bShape, ta, tb) {
      const a = tf.tensor(av, aShape, 'float32');
      const b = tf.tensor(bv, bShape, 'float32');
      return {
        run: () => tf.matMul(a, b, ta, tb).dispose(),
        result: () => {
          const c = tf.matMul(a, b, ta, tb);
          const out = c.dataSync();
          c.dispose();
          return out;
        },
        free: () => {
          a.dispose();
          b.dispose();
        },
      };
    },
  };
}

/**
 * Median seconds per call of each function; batches alternate between them until `budget` seconds have passed, so
 * all see the same machine load (their ratios stay fair on a busy machine).
 */
function timeAll(fns: (() => void)[], budget: number, before: ((() => void) | undefined)[]): number[] {
  const per = fns.map((fn, i) => {
    before[i]?.();
    fn();
    const t0 = performance.now();
    fn();
    const once = Math.max((performance.now() - t0) / 1000, 1e-6);
    return Math.max(1, Math.round(budget / 20 / fns.length / once));
  });
  const samples: number[][] = fns.map(() => []);
  const start = performance.now();
  while (samples[0]!.length < 5 || (performance.now() - start) / 1000 < budget) {
    fns.forEach((fn, i) => {
      before[i]?.();
      const t0 = performance.now();
      for (let r = 0; r < per[i]!; r++) fn();
      samples[i]!.push((performance.now() - t0) / 1000 / per[i]!);
    });
  }
  return samples.map((xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!);
}

/** Runs every case on every available implementation; prints a table with ratios to tfjs-wasm (or js). */
export async function runWasmGemm(opts: WasmBenchOptions): Promise<WasmBenchResult[]> {
  const impls: Impl[] = [backpropImpl('backprop-js', 'js')];
  const simd = createWasmBackend({ relaxedSimd: false });
  registerBackend('bench-wasm-simd', () => simd);
  impls.push(backpropImpl('backprop-wasm-simd', 'bench-wasm-simd'));
  const relaxed = createWasmBackend({ relaxedSimd: true });
  if (relaxed.variant === 'relaxed-simd') {
    registerBackend('bench-wasm-relaxed', () => relaxed);
    impls.push(backpropImpl('backprop-wasm-relaxed', 'bench-wasm-relaxed'));
  } else {
    console.log('(relaxed SIMD unavailable in this engine: no backprop-wasm-relaxed rows)');
  }
  if (opts.threads && opts.threads > 1) {
    const threaded = createWasmBackend({ relaxedSimd: true, threads: opts.threads });
    if (threaded.threads > 1) {
      const name = `backprop-wasm-${threaded.variant === 'relaxed-simd' ? 'relaxed' : 'simd'}-${threaded.threads}t`;
      registerBackend('bench-wasm-threads', () => threaded);
      impls.push(backpropImpl(name, 'bench-wasm-threads', threaded.threads));
    } else console.log('(threads unavailable: no multi-threaded rows)');
  }
  const tf = await loadTf();
  if (typeof tf === 'string') console.log(tf);
  else {
    for (const b of tf.backends) {
      await tf.tf.setBackend(b);
      await tf.tf.ready();
      impls.push(tfImpl(tf.tf, b));
    }
    // Further setBackend calls switch between initialized backends, which tfjs does synchronously.
  }
  const budget = opts.quick ? 0.4 : 2;
  const results: WasmBenchResult[] = [];
  for (const [M, K, N, layouts] of cases(opts.quick)) {
    for (const layout of layouts) {
      if (opts.layouts && M === K && K === N && !opts.layouts.includes(layout)) continue;
      const ta = layout[0] === 't';
      const tb = layout[1] === 't';
      const av = values(M * K, 1 + M);
      const bv = values(K * N, 7 + N);
      const aShape = ta ? [K, M] : [M, K];
      const bShape = tb ? [N, K] : [K, N];
      const prepared = impls.map((impl) => {
        impl.activate?.();
        return impl.prepare(av, aShape, bv, bShape, ta, tb);
      });
      // Everything must compute the same product before speeds mean anything.
      const ref = prepared[0]!.result();
      impls.forEach((impl, i) => {
        impl.activate?.();
        const out = prepared[i]!.result();
        let diff = 0;
        for (let j = 0; j < ref.length; j++) diff = Math.max(diff, Math.abs(out[j]! - ref[j]!));
        if (diff > 1e-3 * Math.sqrt(K))
          throw new Error(`${impl.name} ${M}x${K}x${N} ${layout}: off by ${diff}`);
      });
      const times = timeAll(
        prepared.map((p) => p.run),
        budget * impls.length,
        impls.map((impl) => impl.activate),
      );
      impls.forEach((impl, i) =>
        results.push({
          suite: 'gemm',
          impl: impl.name,
          shape: `${M}x${K}x${N}`,
          layout,
          threads: impl.threads,
          gflops: (2 * M * K * N) / times[i]! / 1e9,
        }),
      );
      for (const p of prepared) p.free();
    }
  }
  printWasmTable(results);
  return results;
}

/** One row per shape and layout, one column per implementation, then ratios of wasm to the baseline. */
export function printWasmTable(results: readonly WasmBenchResult[]): void {
  const impls = [...new Set(results.map((r) => r.impl))];
  const base = impls.includes('tfjs-wasm') ? 'tfjs-wasm' : 'backprop-js';
  const ours = impls.filter((i) => i.startsWith('backprop-wasm'));
  // Ratios are per row; the threaded impl's name says its thread count.
  const header = [
    'shape (MxKxN)',
    'layout',
    ...impls.map((i) => `${i} GF/s`),
    ...ours.map((o) => `${o} / ${base}`),
  ];
  const rows: string[][] = [header];
  const keys = [...new Set(results.map((r) => `${r.shape} ${r.layout}`))];
  for (const key of keys) {
    const [shape, layout] = key.split(' ') as [string, Layout];
    const get = (impl: string) =>
      results.find((r) => r.impl === impl && r.shape === shape && r.layout === layout);
    const b = get(base)?.gflops;
    rows.push([
      shape,
      layout,
      ...impls.map((i) => get(i)?.gflops.toFixed(1) ?? '-'),
      ...ours.map((o) => {
        const g = get(o)?.gflops;
        return g && b ? `${(g / b).toFixed(2)}×` : '-';
      }),
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  console.log(line(rows[0]!));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows.slice(1)) console.log(line(row));
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  const j = argv.indexOf('--json');
  const json = j >= 0 ? argv[j + 1] : undefined;
  if (j >= 0 && !json) throw new Error('--json needs a file name');
  console.log(`gemm (wasm rows), float32, Node ${process.version}${quick ? ' (--quick)' : ''}`);
  const t = argv.indexOf('--threads');
  const threads = t >= 0 ? Number(argv[t + 1]) : 2;
  const results = await runWasmGemm({ quick, threads });
  if (json) {
    writeFileSync(json, `${JSON.stringify({ results }, null, 2)}\n`);
    console.log(`wrote ${json}`);
  }
}

// Runs when executed directly (node dist/wasm.js, or tsx src/wasm.ts), not when bundled into index.ts's output.
if (/[\\/]wasm\.(js|ts)$/.test(process.argv[1] ?? '')) await main();
