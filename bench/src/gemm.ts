/**
 * The gemm suite: backprop's js and wasm backends (plain SIMD and relaxed-SIMD FMA, each on 1 and 2 threads)
 * against tfjs-cpu and tfjs-wasm (XNNPACK), float32, on the issue's shapes: square 128³…1024³ in all four layouts,
 * an MLP layer 128×784·784×256 (nn) and its Dense-backward products (dW = xᵀ·dy is tn, dx = dy·Wᵀ is nt). Every
 * implementation is timed through its public matmul (tensor creation and dispatch included), in alternating
 * batches so they share the machine's load, after checking that all compute the same product. Each row keeps
 * its per-round GFLOP/s (`rounds`) so the targets can take paired ratios.
 *
 * Relaxed SIMD on Node 20 is an opt-in of the wasm backend (`relaxedSimd: true` sets V8's flag before compiling);
 * the bench opts in so both variants are measured side by side.
 */
import { createWasmBackend, matmul, registerBackend, setBackend, tensor } from '@backprop/core-tensor';
import type { Tensor } from '@backprop/core-tensor';
import type { GemmResult, Layout } from './results';
import { markdownTable } from './report/table';
import type { TfCore } from './tfjs';
import { loadTfjs, useTfBackend } from './tfjs';
import { median, timeRounds, values } from './timing';

export const LAYOUTS: readonly Layout[] = ['nn', 'tn', 'nt', 'tt'];

/** [M, K, N, layouts]. */
export type GemmCase = readonly [number, number, number, readonly Layout[]];

/** Squares in every layout; the MLP's first layer forward (nn) and its two backward products. */
export function gemmCases(quick: boolean): GemmCase[] {
  const squares = (quick ? [128, 256, 512] : [128, 256, 512, 1024]).map((n): GemmCase => [n, n, n, LAYOUTS]);
  return [
    ...squares,
    [128, 784, 256, ['nn']], // forward: x[128,784] · W[784,256]
    [784, 128, 256, ['tn']], // dW = xᵀ · dy: x[128,784]ᵀ · dy[128,256]
    [128, 256, 784, ['nt']], // dx = dy · Wᵀ: dy[128,256] · W[784,256]ᵀ
  ];
}

interface Impl {
  name: string;
  threads: number;
  /** Skips products of more multiply-adds than this (pure-JS kernels would take most of the run at 1024³). */
  maxMacs?: number;
  /** Makes this implementation's engine current (tfjs keeps one global backend); called before each batch. */
  activate?: () => void;
  prepare(
    av: Float32Array,
    aShape: number[],
    bv: Float32Array,
    bShape: number[],
    ta: boolean,
    tb: boolean,
  ): { run: () => void; result: () => Float32Array; free: () => void };
}

const JS_MAX_MACS = 512 ** 3;

function backpropImpl(name: string, backend: string, threads: number, maxMacs?: number): Impl {
  return {
    name,
    threads,
    maxMacs,
    activate: () => void setBackend(backend),
    prepare(av, aShape, bv, bShape, ta, tb) {
      const a: Tensor = tensor(av, aShape);
      const b: Tensor = tensor(bv, bShape);
      return {
        run: () => matmul(a, b, { transposeA: ta, transposeB: tb }).dispose(),
        result: () => {
          const c = matmul(a, b, { transposeA: ta, transposeB: tb });
          const out = Float32Array.from(c.dataSync());
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

function tfImpl(tf: TfCore, backend: 'cpu' | 'wasm'): Impl {
  return {
    name: `tfjs-${backend}`,
    threads: 1,
    maxMacs: backend === 'cpu' ? JS_MAX_MACS : undefined,
    // Switching between initialized backends is synchronous in tfjs.
    activate: () => void tf.setBackend(backend),
    prepare(av, aShape, bv, bShape, ta, tb) {
      const a = tf.tensor(av, aShape, 'float32');
      const b = tf.tensor(bv, bShape, 'float32');
      return {
        run: () => tf.matMul(a, b, ta, tb).dispose(),
        result: () => {
          const c = tf.matMul(a, b, ta, tb);
          const out = Float32Array.from(c.dataSync());
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

/** backprop-js, backprop-wasm-{simd,relaxed} × {1,2} threads, tfjs-cpu, tfjs-wasm: whatever this engine offers. */
async function implementations(log: (line: string) => void): Promise<Impl[]> {
  const impls: Impl[] = [backpropImpl('backprop-js', 'js', 1, JS_MAX_MACS)];
  for (const relaxedSimd of [false, true]) {
    for (const threads of [1, 2]) {
      const backend = createWasmBackend({ relaxedSimd, threads });
      const variant = backend.variant === 'relaxed-simd' ? 'relaxed' : 'simd';
      if (relaxedSimd && variant !== 'relaxed') {
        log('(relaxed SIMD unavailable in this engine: no backprop-wasm-relaxed rows)');
        break;
      }
      if (backend.threads !== threads) {
        log(`(wasm threads unavailable here: no ${threads}-thread backprop-wasm-${variant} rows)`);
        continue;
      }
      const name = `bench-wasm-${variant}-${threads}t`;
      registerBackend(name, () => backend);
      impls.push(backpropImpl(`backprop-wasm-${variant}`, name, threads));
    }
  }
  const tfjs = await loadTfjs();
  if (typeof tfjs === 'string') log(tfjs);
  else {
    for (const b of ['cpu', 'wasm'] as const) {
      const ok = await useTfBackend(tfjs.tf, b);
      if (ok === true) impls.push(tfImpl(tfjs.tf, b));
      else log(ok);
    }
  }
  return impls;
}

/**
 * Runs every case on every available implementation. All layouts of one shape are timed in the same alternating
 * rounds (layout by layout, each implementation in turn), so every ratio the targets take — a layout against nn,
 * 2 threads against 1, backprop against tfjs-wasm — compares batches run within about a second of each other.
 */
export async function runGemm(
  opts: { quick: boolean },
  log: (line: string) => void = console.log,
): Promise<GemmResult[]> {
  const impls = await implementations(log);
  // Seconds of timing per implementation, layout and case.
  const budget = opts.quick ? 0.15 : 0.7;
  const results: GemmResult[] = [];
  for (const [M, K, N, layouts] of gemmCases(opts.quick)) {
    const active = impls.filter((impl) => impl.maxMacs === undefined || M * K * N <= impl.maxMacs);
    const cells = layouts.flatMap((layout) => {
      const ta = layout[0] === 't';
      const tb = layout[1] === 't';
      const av = values(M * K, 1 + M);
      const bv = values(K * N, 7 + N);
      const aShape = ta ? [K, M] : [M, K];
      const bShape = tb ? [N, K] : [K, N];
      const prepared = active.map((impl) => {
        impl.activate?.();
        return { impl, layout, ...impl.prepare(av, aShape, bv, bShape, ta, tb) };
      });
      // Everything must compute the same product before its speed means anything.
      active[0]!.activate?.();
      const ref = prepared[0]!.result();
      for (const p of prepared) {
        p.impl.activate?.();
        const out = p.result();
        let diff = 0;
        for (let j = 0; j < ref.length; j++) diff = Math.max(diff, Math.abs(out[j]! - ref[j]!));
        if (!(diff <= 1e-3 * Math.sqrt(K)))
          throw new Error(`gemm ${p.impl.name} ${M}x${K}x${N} ${layout}: off by ${diff}`);
      }
      return prepared;
    });
    const rounds = timeRounds(
      cells.map((c) => c.run),
      budget * cells.length,
      cells.map((c) => c.impl.activate),
      // Enough rounds that a round or two in which the host took the second core cannot decide a ratio.
      opts.quick ? 3 : 7,
    );
    const flop = 2 * M * K * N;
    cells.forEach((c, i) => {
      const rates = rounds[i]!.map((s) => flop / s / 1e9);
      results.push({
        suite: 'gemm',
        impl: c.impl.name,
        shape: `${M}x${K}x${N}`,
        layout: c.layout,
        threads: c.impl.threads,
        gflops: median(rates),
        rounds: rates,
      });
    });
    for (const c of cells) {
      c.impl.activate?.();
      c.free();
    }
  }
  return results;
}

/** The column a GEMM row belongs to: implementation and thread count. */
export function gemmColumn(r: Pick<GemmResult, 'impl' | 'threads'>): string {
  return `${r.impl} ${r.threads}t`;
}

/** One row per shape and layout, one column of GFLOP/s per implementation and thread count. */
export function gemmTable(results: readonly GemmResult[]): string {
  const columns = [...new Set(results.map(gemmColumn))];
  const keys = [...new Set(results.map((r) => `${r.shape} ${r.layout}`))];
  const rows = keys.map((key) => {
    const [shape, layout] = key.split(' ') as [string, Layout];
    return [
      shape,
      layout,
      ...columns.map((c) => {
        const r = results.find((q) => q.shape === shape && q.layout === layout && gemmColumn(q) === c);
        return r ? r.gflops.toFixed(1) : '-';
      }),
    ];
  });
  return markdownTable(['shape (MxKxN)', 'layout', ...columns.map((c) => `${c} GF/s`)], rows);
}
