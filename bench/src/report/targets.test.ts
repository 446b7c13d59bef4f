import { describe, expect, it } from 'vitest';
import type { BenchResult, GemmResult, Layout, TrainResult } from '../results';
import { checkTargets } from './targets';

const gemm = (impl: string, shape: string, layout: Layout, threads: number, gflops: number): GemmResult => ({
  suite: 'gemm',
  impl,
  shape,
  layout,
  threads,
  gflops,
});
const train = (
  impl: string,
  model: 'mlp' | 'cnn',
  threads: number,
  sps: number,
  rss: number,
): TrainResult => ({
  suite: 'train',
  impl,
  model,
  threads,
  samplesPerSec: sps,
  peakRssMiB: rss,
});
const find = (results: BenchResult[], prefix: string) =>
  checkTargets(results).find((c) => c.target.startsWith(prefix))!;

describe('checkTargets', () => {
  it('takes the worst layout ratio to nn at 1 thread', () => {
    const r = [
      gemm('backprop-wasm-simd', '256x256x256', 'nn', 1, 40),
      gemm('backprop-wasm-simd', '256x256x256', 'tn', 1, 38),
      gemm('backprop-wasm-simd', '256x256x256', 'nt', 1, 35), // 0.875: below 0.9
      gemm('backprop-wasm-simd', '256x256x256', 'tt', 1, 41),
    ];
    const c = find(r, 'backprop-wasm-simd 1t: every layout');
    expect(c.met).toBe(false);
    expect(c.measured).toBe('worst 0.88× (256x256x256 nt)');
  });

  it('compares with tfjs-wasm in the same shape and layout, and the 2-thread rows with the 1-thread rows', () => {
    const r = [
      gemm('backprop-wasm-relaxed', '512x512x512', 'nn', 1, 52),
      gemm('backprop-wasm-relaxed', '512x512x512', 'tn', 1, 51),
      gemm('backprop-wasm-relaxed', '512x512x512', 'nn', 2, 99),
      gemm('backprop-wasm-relaxed', '512x512x512', 'tn', 2, 90), // 1.76×: below 1.8
      gemm('tfjs-wasm', '512x512x512', 'nn', 1, 31),
      gemm('tfjs-wasm', '512x512x512', 'tn', 1, 2),
    ];
    const nn = find(r, 'backprop-wasm-relaxed 1t: ≥ 1.6× tfjs-wasm nn');
    expect(nn.met).toBe(true);
    expect(nn.measured).toBe('worst 1.68× (512x512x512)');
    const transposed = find(r, 'backprop-wasm-relaxed 1t: ≥ 20× tfjs-wasm in the transposed');
    expect(transposed.measured).toBe('worst 25.5× (512x512x512 tn)');
    expect(transposed.met).toBe(true);
    const threads = find(r, 'backprop-wasm-relaxed: 2 threads');
    expect(threads.measured).toBe('worst 1.76× (512x512x512 tn)');
    expect(threads.met).toBe(false);
    expect(find(r, 'backprop-wasm-relaxed 1t: ≥ 50 GFLOP/s').met).toBe(true);
  });

  it('takes ratios round by round where the rows kept their rounds, so one slow round does not decide', () => {
    const withRounds = (g: GemmResult, rounds: number[]): GemmResult => ({ ...g, rounds });
    // Rounds 3 and 4 were slow for both rows (the host), round 2 for the 2-thread row only (the second core
    // taken): the medians, 50 and 50, say 1×; the per-round ratios 2, 1, 2, 2, 2 say 2×.
    const r = [
      withRounds(gemm('backprop-wasm-simd', '256x256x256', 'nn', 1, 50), [50, 50, 25, 25, 50]),
      withRounds(gemm('backprop-wasm-simd', '256x256x256', 'nn', 2, 50), [100, 50, 50, 50, 100]),
    ];
    expect(find(r, 'backprop-wasm-simd: 2 threads').measured).toBe('worst 2.00× (256x256x256 nn)');
    // Rounds that do not line up fall back to the ratio of the medians.
    r[1]!.rounds = [100, 50];
    expect(find(r, 'backprop-wasm-simd: 2 threads').measured).toBe('worst 1.00× (256x256x256 nn)');
    delete r[1]!.rounds;
    expect(find(r, 'backprop-wasm-simd: 2 threads').measured).toBe('worst 1.00× (256x256x256 nn)');
  });

  it('uses the fastest backprop-wasm training row and every thread count for RSS', () => {
    const r = [
      train('backprop-wasm', 'mlp', 1, 30_000, 150),
      train('backprop-wasm', 'mlp', 2, 42_000, 170),
      train('tfjs-wasm', 'mlp', 1, 3000, 160),
      train('backprop-wasm', 'cnn', 2, 6000, 100),
      train('tfjs-cpu', 'cnn', 1, 27.5, 200),
    ];
    expect(find(r, 'MLP training').measured).toBe('14.0× (42000 on 2t vs 3000.0 samples/s)');
    expect(find(r, 'MLP training').met).toBe(true);
    expect(find(r, 'CNN training').met).toBe(true); // 218×
    const rss = find(r, 'MLP peak RSS');
    expect(rss.met).toBe(false); // the 2-thread run's 170 MiB exceeds 160
    expect(rss.measured).toBe('170 MiB (2t) vs 160 MiB');
  });

  it('says n/a, never met, when a peer or a row is missing or unsupported', () => {
    const r: BenchResult[] = [
      train('backprop-wasm', 'cnn', 1, 500, 100),
      {
        suite: 'train',
        impl: 'tfjs-cpu',
        model: 'cnn',
        threads: 1,
        samplesPerSec: null,
        peakRssMiB: null,
        error: 'x',
      },
    ];
    for (const c of checkTargets(r)) {
      expect(c.met).toBeUndefined();
      expect(c.measured).toBe('n/a');
    }
  });

  it('checks the MNIST load time against 1.5 s', () => {
    const c = find([{ suite: 'load', impl: 'backprop', dataset: 'mnist', seconds: 1.6 }], 'MNIST load');
    expect(c).toEqual({ target: 'MNIST load ≤ 1.5 s', measured: '1.60 s', met: false });
  });
});
