/**
 * The `naive` suite (not in the default run): core-tensor's js-backend matmul (packed, 4×4 register tiles) against
 * the textbook triple loop written here, on the same inputs, 1 thread. It shows what the js backend's packing and
 * tiling buy; `backprop-js` also appears in the gemm suite beside the wasm backend and tfjs.
 */
import { matmul, setBackend, tensor } from '@backprop/core-tensor';
import type { GemmResult } from './results';
import { LAYOUTS } from './gemm';
import { timeAll, values } from './timing';

/**
 * The i-j-k loop, indexing A and B in their stored layout: A is [M,K] (or [K,M] when transposed) and B is [K,N]
 * (or [N,K]). Accumulates in a float64 local like the library does, stores float32.
 */
export function naiveMatmul(
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

const SHAPES: [number, number, number][] = [
  [128, 128, 128],
  [256, 256, 256],
  [128, 784, 256],
];

export function runNaiveGemm(opts: { quick: boolean }): GemmResult[] {
  setBackend('js');
  const results: GemmResult[] = [];
  for (const [M, K, N] of SHAPES) {
    for (const layout of LAYOUTS) {
      const ta = layout[0] === 't';
      const tb = layout[1] === 't';
      const av = values(M * K, 1 + M);
      const bv = values(K * N, 7 + N);
      const a = tensor(av, ta ? [K, M] : [M, K]);
      const b = tensor(bv, tb ? [N, K] : [K, N]);
      const check = matmul(a, b, { transposeA: ta, transposeB: tb });
      const ours = check.dataSync();
      const naive = naiveMatmul(av, bv, M, K, N, ta, tb);
      check.dispose();
      for (let i = 0; i < naive.length; i++) {
        if (Math.abs(naive[i]! - ours[i]!) > 1e-3)
          throw new Error(`naive gemm ${M}x${K}x${N} ${layout}: results differ at ${i}`);
      }
      const [tOurs, tNaive] = timeAll(
        [
          () => matmul(a, b, { transposeA: ta, transposeB: tb }).dispose(),
          () => void naiveMatmul(av, bv, M, K, N, ta, tb),
        ],
        opts.quick ? 0.3 : 2,
      );
      const shape = `${M}x${K}x${N}`;
      const flop = 2 * M * K * N;
      results.push({
        suite: 'gemm',
        impl: 'backprop-js',
        shape,
        layout,
        threads: 1,
        gflops: flop / tOurs! / 1e9,
      });
      results.push({
        suite: 'gemm',
        impl: 'naive-js',
        shape,
        layout,
        threads: 1,
        gflops: flop / tNaive! / 1e9,
      });
      a.dispose();
      b.dispose();
    }
  }
  return results;
}
