/**
 * Side-by-side GEMM benchmark: @backprop/core-tensor's js-backend matmul (packed, cache-blocked) against a naive
 * triple loop written here, on the same inputs, in one run, single-threaded.
 *
 *   pnpm bench                  full run (≈2 s of timing per case, ≈40 s in all)
 *   pnpm bench --quick          shorter timing, for CI smoke runs
 *   pnpm bench --json out.json  also write {"results":[…]} to out.json
 */
import { writeFileSync } from 'node:fs';
import { getBackendName, matmul, setBackend, tensor } from '@backprop/core-tensor';
import type { Tensor } from '@backprop/core-tensor';
import { runLoad } from './load';
import { runWasmGemm } from './wasm';

type Layout = 'nn' | 'tn' | 'nt' | 'tt';
type Impl = 'backprop-js' | 'naive-js';

interface Result {
  suite: 'gemm';
  impl: Impl;
  /** M×K×N of C[M,N] = op(A)[M,K] · op(B)[K,N]. */
  shape: string;
  layout: Layout;
  threads: 1;
  gflops: number;
}

interface Options {
  quick: boolean;
  json: string | undefined;
}

function parseArgs(argv: readonly string[]): Options {
  const opts: Options = { quick: false, json: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') opts.quick = true;
    else if (a === '--json') {
      opts.json = argv[++i];
      if (!opts.json) throw new Error('--json needs a file name');
    } else if (a === '--') continue;
    else throw new Error(`unknown argument ${a}; usage: bench [--quick] [--json FILE]`);
  }
  return opts;
}

/** Deterministic inputs in [-1, 1) (an LCG: the benchmark must not depend on the library under test). */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2147483648 - 1;
  }
  return out;
}

/**
 * The textbook i-j-k loop, indexing A and B in their stored layout: A is [M,K] (or [K,M] when transposed) and B is
 * [K,N] (or [N,K]). Accumulates in a float64 local like the library does, stores float32.
 */
function naiveMatmul(
  a: Float32Array,
  b: Float32Array,
  M: number,
  K: number,
  N: number,
  ta: boolean,
  tb: boolean,
): Float32Array {
  const c = new Float32Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a[ta ? k * M + i : i * K + k]! * b[tb ? j * K + k : k * N + j]!;
      c[i * N + j] = s;
    }
  }
  return c;
}

/** Calls of `fn` per timed batch so one batch lasts about `target` seconds (after a warm-up call for the JIT). */
function calibrate(fn: () => void, target: number): number {
  fn();
  const t0 = performance.now();
  fn();
  const once = Math.max((performance.now() - t0) / 1000, 1e-6);
  return Math.max(1, Math.round(target / once));
}

/**
 * Median seconds per call of each function. Batches of the two alternate until `budget` seconds have passed
 * (at least 5 batches each), so both see the same machine load and their ratio stays fair on a busy machine.
 */
function timePair(a: () => void, b: () => void, budget: number): [number, number] {
  const fns = [a, b];
  const per = fns.map((fn) => calibrate(fn, budget / 20));
  const samples: number[][] = [[], []];
  const start = performance.now();
  while (samples[1]!.length < 5 || (performance.now() - start) / 1000 < budget) {
    fns.forEach((fn, i) => {
      const t0 = performance.now();
      for (let r = 0; r < per[i]!; r++) fn();
      samples[i]!.push((performance.now() - t0) / 1000 / per[i]!);
    });
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  return [median(samples[0]!), median(samples[1]!)];
}

function maxAbsDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

const SHAPES: [number, number, number][] = [
  [128, 128, 128],
  [256, 256, 256],
  [128, 784, 256],
];
const LAYOUTS: Layout[] = ['nn', 'tn', 'nt', 'tt'];

/**
 * Runs both implementations on every layout for a while before anything is timed, so V8 has optimized the
 * kernels (and the polymorphic typed-array accesses in them) and the first case is not measured cold.
 */
function warmUp(seconds: number): void {
  const n = 96;
  const av = values(n * n, 3);
  const bv = values(n * n, 5);
  const a = tensor(av, [n, n]);
  const b = tensor(bv, [n, n]);
  const start = performance.now();
  while ((performance.now() - start) / 1000 < seconds) {
    for (const layout of LAYOUTS) {
      const ta = layout[0] === 't';
      const tb = layout[1] === 't';
      matmul(a, b, { transposeA: ta, transposeB: tb }).dispose();
      naiveMatmul(av, bv, n, n, n, ta, tb);
    }
  }
  a.dispose();
  b.dispose();
}

function runGemm(opts: Options): Result[] {
  // Seconds of timing per case (both implementations together).
  const budget = opts.quick ? 0.3 : 2;
  warmUp(opts.quick ? 0.5 : 1);
  const results: Result[] = [];
  for (const [M, K, N] of SHAPES) {
    for (const layout of LAYOUTS) {
      const ta = layout[0] === 't';
      const tb = layout[1] === 't';
      const av = values(M * K, 1 + M);
      const bv = values(K * N, 7 + N);
      const a: Tensor = tensor(av, ta ? [K, M] : [M, K]);
      const b: Tensor = tensor(bv, tb ? [N, K] : [K, N]);
      const ours = () => matmul(a, b, { transposeA: ta, transposeB: tb });
      const naive = () => naiveMatmul(av, bv, M, K, N, ta, tb);

      // Both must compute the same product before their speeds mean anything.
      const check = ours();
      const diff = maxAbsDiff(check.dataSync(), naive());
      check.dispose();
      if (diff > 1e-3) throw new Error(`gemm ${M}x${K}x${N} ${layout}: results differ by ${diff}`);

      const flop = 2 * M * K * N;
      const shape = `${M}x${K}x${N}`;
      const [tOurs, tNaive] = timePair(
        () => ours().dispose(),
        () => void naive(),
        budget,
      );
      results.push({
        suite: 'gemm',
        impl: 'backprop-js',
        shape,
        layout,
        threads: 1,
        gflops: flop / tOurs / 1e9,
      });
      results.push({
        suite: 'gemm',
        impl: 'naive-js',
        shape,
        layout,
        threads: 1,
        gflops: flop / tNaive / 1e9,
      });
      a.dispose();
      b.dispose();
    }
  }
  return results;
}

function printTable(results: readonly Result[]): void {
  const rows: string[][] = [['shape (MxKxN)', 'layout', 'backprop-js GFLOP/s', 'naive-js GFLOP/s', 'ratio']];
  for (const r of results) {
    if (r.impl !== 'backprop-js') continue;
    const naive = results.find((q) => q.impl === 'naive-js' && q.shape === r.shape && q.layout === r.layout);
    if (!naive) continue;
    rows.push([
      r.shape,
      r.layout,
      r.gflops.toFixed(2),
      naive.gflops.toFixed(2),
      `${(r.gflops / naive.gflops).toFixed(1)}×`,
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  console.log(line(rows[0]!));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows.slice(1)) console.log(line(row));
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  setBackend('js');
  console.log(
    `gemm, float32, 1 thread, backend ${getBackendName()}, Node ${process.version}${opts.quick ? ' (--quick)' : ''}`,
  );
  const gemm = runGemm(opts);
  printTable(gemm);
  const wasm = await runWasmGemm({ quick: opts.quick, threads: 1 });
  const load = await runLoad(opts.quick ? 1 : 3);
  const results = [...gemm, ...wasm, ...load];
  if (opts.json) {
    writeFileSync(opts.json, `${JSON.stringify({ results }, null, 2)}\n`);
    console.log(`wrote ${opts.json}`);
  }
}

await main();
