// Measures where splitting one float32 GEMM over the wasm backend's worker threads starts to pay: for each size,
// the fastest time of a product on 1 thread and on every core with splitting forced (parallelMin 0). The smallest
// M·N·K from which the threaded run is faster sets PARALLEL_MIN in src/backends/wasm/index.ts; the same for the
// fused Adam update (adamParallelMin 0) sets ADAM_PARALLEL_MIN. Run after a build:
//   node scripts/thread-crossover.mjs            (add --relaxed for the relaxed-SIMD kernels)
// Not a test: timings depend on the machine and its load.
import { availableParallelism } from 'node:os';
import { createWasmBackend } from '../dist/index.js';

const relaxedSimd = process.argv.includes('--relaxed');
const cores = availableParallelism();
const one = createWasmBackend({ threads: 1, relaxedSimd });
const many = createWasmBackend({ threads: cores, relaxedSimd, parallelMin: 0, adamParallelMin: 0 });
if (many.threads < 2) {
  console.log('thread-crossover: threads unavailable here (one core or no SharedArrayBuffer)');
  process.exit(0);
}

function operand(be, n) {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = Math.sin(i) * 0.5;
  return be.fromArray(v, 'float32');
}

/**
 * Fastest-sample µs of `be.matmul` for [m,k]·[k,n]. The minimum rather than the median: on a loaded machine the
 * other processes only ever add time, so the fastest sample is the closest to the kernel's own cost.
 */
function time(be, m, k, n) {
  const a = { data: operand(be, m * k), shape: [m, k], dtype: 'float32' };
  const b = { data: operand(be, k * n), shape: [k, n], dtype: 'float32' };
  const t = fastest(() => be.dispose(be.matmul(a, b, false, false, [m, n])));
  be.dispose(a.data);
  be.dispose(b.data);
  return t;
}

/** Fastest-sample µs of one fused Adam update of n floats. */
function timeAdam(be, n) {
  const ops = [0, 1, 2, 3].map(() => ({ data: operand(be, n), shape: [n], dtype: 'float32' }));
  const t = fastest(() => {
    for (const d of be.fused.adamUpdate(...ops, 1e-3, 0.9, 0.999, 1e-7)) be.dispose(d);
  });
  for (const o of ops) be.dispose(o.data);
  return t;
}

function fastest(run) {
  // Enough repetitions for ~20 ms per sample, after a warm-up that lets V8 tier the kernels up.
  let reps = 1;
  for (let t0 = performance.now(); performance.now() - t0 < 5; reps++) run();
  reps = Math.max(1, reps * 4);
  const samples = [];
  for (let s = 0; s < 15; s++) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) run();
    samples.push(((performance.now() - t0) * 1000) / reps);
  }
  return Math.min(...samples);
}

const shapes = [8, 12, 16, 20, 24, 32, 40, 48, 64, 96, 128].map((s) => [s, s, s]);
shapes.push([128, 784, 16], [16, 128, 64], [128, 10, 128], [64, 64, 8], [128, 128, 10]);
console.log(`wasm ${one.variant}, ${many.threads} threads vs 1, ${cores} cores`);
console.log(
  'M×K×N'.padEnd(14),
  'M·N·K'.padStart(9),
  '1 thread µs'.padStart(12),
  `${many.threads} threads µs`.padStart(13),
  'speed-up'.padStart(9),
);
let crossover;
for (const [m, k, n] of shapes) {
  const t1 = time(one, m, k, n);
  const tn = time(many, m, k, n);
  const flops = m * n * k;
  if (tn < t1 * 0.95 && crossover === undefined) crossover = flops;
  if (tn >= t1 * 0.95 && crossover !== undefined && flops > crossover) crossover = undefined;
  console.log(
    `${m}×${k}×${n}`.padEnd(14),
    String(flops).padStart(9),
    t1.toFixed(1).padStart(12),
    tn.toFixed(1).padStart(13),
    (t1 / tn).toFixed(2).padStart(9),
  );
}
console.log(
  `smallest M·N·K from which ${many.threads} threads win by ≥ 5% (listed order): ${crossover ?? 'none'}`,
);

console.log('\nfused Adam update');
console.log(
  'floats'.padEnd(14),
  '1 thread µs'.padStart(12),
  `${many.threads} threads µs`.padStart(13),
  'speed-up'.padStart(9),
);
let adamCrossover;
for (const n of [1024, 4096, 8192, 16384, 32768, 65536, 131072, 200704]) {
  const t1 = timeAdam(one, n);
  const tn = timeAdam(many, n);
  if (tn < t1 * 0.95 && adamCrossover === undefined) adamCrossover = n;
  if (tn >= t1 * 0.95 && adamCrossover !== undefined) adamCrossover = undefined;
  console.log(
    String(n).padEnd(14),
    t1.toFixed(1).padStart(12),
    tn.toFixed(1).padStart(13),
    (t1 / tn).toFixed(2).padStart(9),
  );
}
console.log(
  `smallest Adam update from which ${many.threads} threads win by ≥ 5%: ${adamCrossover ?? 'none'} floats`,
);
process.exit(0);
