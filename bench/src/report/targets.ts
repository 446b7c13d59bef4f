/**
 * Issue 10's targets, computed as ratios from one run's results. A GEMM ratio is the median of its per-round
 * ratios where both rows kept their rounds (the gemm suite times a shape's rows in the same rounds), else the
 * ratio of the medians. A target whose inputs are missing from the run (an implementation not installed, a variant
 * this engine lacks) is reported as "n/a", never as met.
 */
import type { BenchResult, GemmResult, LoadResult, TrainResult } from '../results';
import { pairedRatio } from '../timing';
import { markdownTable } from './table';

export interface TargetCheck {
  target: string;
  /** The measured ratio or figure, with the case that decided it. */
  measured: string;
  met: boolean | undefined;
}

const VARIANTS = [
  { impl: 'backprop-wasm-simd', label: 'plain SIMD', gflops: 40, vsTfjs: 1.3 },
  { impl: 'backprop-wasm-relaxed', label: 'relaxed SIMD', gflops: 50, vsTfjs: 1.6 },
] as const;

const squareSide = (shape: string): number | undefined => {
  const [m, k, n] = shape.split('x').map(Number);
  return m === k && k === n ? m : undefined;
};

/** The smallest of `values` with the label of the case it came from, or undefined for none. */
function worst<T>(items: readonly T[], value: (t: T) => number | undefined, label: (t: T) => string) {
  let best: { v: number; label: string } | undefined;
  for (const it of items) {
    const v = value(it);
    if (v !== undefined && Number.isFinite(v) && (!best || v < best.v)) best = { v, label: label(it) };
  }
  return best;
}

const fmt = (v: number, digits = 2) => v.toFixed(digits);

/** a/b for two rows of one shape: round by round where both kept their rounds (see `pairedRatio`). */
const ratio = (a: GemmResult, b: GemmResult): number =>
  pairedRatio({ rate: a.gflops, rounds: a.rounds }, { rate: b.gflops, rounds: b.rounds });

function gemmTargets(gemm: readonly GemmResult[]): TargetCheck[] {
  const out: TargetCheck[] = [];
  const find = (impl: string, threads: number, shape: string, layout: string) =>
    gemm.find((r) => r.impl === impl && r.threads === threads && r.shape === shape && r.layout === layout);
  for (const v of VARIANTS) {
    const one = gemm.filter((r) => r.impl === v.impl && r.threads === 1);
    // Every layout within 10% of nn (square shapes, where all four layouts are timed).
    const layoutRatio = worst(
      one.filter((r) => squareSide(r.shape) !== undefined && r.layout !== 'nn'),
      (r) => {
        const nn = find(v.impl, 1, r.shape, 'nn');
        return nn ? ratio(r, nn) : undefined;
      },
      (r) => `${r.shape} ${r.layout}`,
    );
    out.push({
      target: `${v.impl} 1t: every layout ≥ 0.9× nn`,
      measured: layoutRatio ? `worst ${fmt(layoutRatio.v)}× (${layoutRatio.label})` : 'n/a',
      met: layoutRatio ? layoutRatio.v >= 0.9 : undefined,
    });
    const large = one.filter((r) => (squareSide(r.shape) ?? 0) >= 256);
    const floor = worst(
      large,
      (r) => r.gflops,
      (r) => `${r.shape} ${r.layout}`,
    );
    out.push({
      target: `${v.impl} 1t: ≥ ${v.gflops} GFLOP/s (${v.label}, squares from 256³, every layout)`,
      measured: floor ? `worst ${fmt(floor.v, 1)} GFLOP/s (${floor.label})` : 'n/a',
      met: floor ? floor.v >= v.gflops : undefined,
    });
    const vsNn = worst(
      one.filter((r) => r.layout === 'nn' && (squareSide(r.shape) ?? 256) >= 256),
      (r) => {
        const tf = find('tfjs-wasm', 1, r.shape, 'nn');
        return tf ? ratio(r, tf) : undefined;
      },
      (r) => r.shape,
    );
    out.push({
      target: `${v.impl} 1t: ≥ ${v.vsTfjs}× tfjs-wasm nn`,
      measured: vsNn ? `worst ${fmt(vsNn.v)}× (${vsNn.label})` : 'n/a',
      met: vsNn ? vsNn.v >= v.vsTfjs : undefined,
    });
    const vsT = worst(
      one.filter((r) => r.layout !== 'nn'),
      (r) => {
        const tf = find('tfjs-wasm', 1, r.shape, r.layout);
        return tf ? ratio(r, tf) : undefined;
      },
      (r) => `${r.shape} ${r.layout}`,
    );
    out.push({
      target: `${v.impl} 1t: ≥ 20× tfjs-wasm in the transposed layouts`,
      measured: vsT ? `worst ${fmt(vsT.v, 1)}× (${vsT.label})` : 'n/a',
      met: vsT ? vsT.v >= 20 : undefined,
    });
    const scaling = worst(
      gemm.filter((r) => r.impl === v.impl && r.threads === 2 && (squareSide(r.shape) ?? 0) >= 256),
      (r) => {
        const single = find(v.impl, 1, r.shape, r.layout);
        return single ? ratio(r, single) : undefined;
      },
      (r) => `${r.shape} ${r.layout}`,
    );
    out.push({
      target: `${v.impl}: 2 threads ≥ 1.8× 1 thread from 256³`,
      measured: scaling ? `worst ${fmt(scaling.v)}× (${scaling.label})` : 'n/a',
      met: scaling ? scaling.v >= 1.8 : undefined,
    });
  }
  return out;
}

/** The fastest backprop-wasm row of a model (any thread count) and the peer's row. */
function trainTargets(train: readonly TrainResult[]): TargetCheck[] {
  const ok = (r: TrainResult | undefined): r is TrainResult & { samplesPerSec: number; peakRssMiB: number } =>
    r !== undefined && r.samplesPerSec !== null && r.peakRssMiB !== null;
  const ours = (model: string) =>
    train
      .filter((r) => r.impl === 'backprop-wasm' && r.model === model && ok(r))
      .sort((a, b) => b.samplesPerSec! - a.samplesPerSec!)[0];
  const peer = (impl: string, model: string) =>
    train.find((r) => r.impl === impl && r.model === model && ok(r));
  const ratio = (target: string, model: string, peerImpl: string, want: number): TargetCheck => {
    const a = ours(model);
    const b = peer(peerImpl, model);
    if (!ok(a) || !ok(b)) return { target, measured: 'n/a', met: undefined };
    const r = a.samplesPerSec / b.samplesPerSec;
    return {
      target,
      measured: `${fmt(r, 1)}× (${a.samplesPerSec.toFixed(0)} on ${a.threads}t vs ${b.samplesPerSec.toFixed(1)} samples/s)`,
      met: r >= want,
    };
  };
  const checks = [
    ratio('MLP training ≥ 14× tfjs-wasm samples/s', 'mlp', 'tfjs-wasm', 14),
    ratio('CNN training ≥ 200× tfjs-cpu samples/s', 'cnn', 'tfjs-cpu', 200),
  ];
  const tf = peer('tfjs-wasm', 'mlp');
  const mine = train.filter((r) => r.impl === 'backprop-wasm' && r.model === 'mlp' && ok(r));
  const highest = mine.sort((a, b) => b.peakRssMiB! - a.peakRssMiB!)[0];
  checks.push(
    ok(tf) && ok(highest)
      ? {
          target: 'MLP peak RSS ≤ tfjs-wasm (every thread count)',
          measured: `${highest.peakRssMiB.toFixed(0)} MiB (${highest.threads}t) vs ${tf.peakRssMiB.toFixed(0)} MiB`,
          met: highest.peakRssMiB <= tf.peakRssMiB,
        }
      : { target: 'MLP peak RSS ≤ tfjs-wasm (every thread count)', measured: 'n/a', met: undefined },
  );
  return checks;
}

function loadTargets(load: readonly LoadResult[]): TargetCheck[] {
  const mnist = load.find((r) => r.dataset === 'mnist');
  return [
    mnist
      ? { target: 'MNIST load ≤ 1.5 s', measured: `${mnist.seconds.toFixed(2)} s`, met: mnist.seconds <= 1.5 }
      : { target: 'MNIST load ≤ 1.5 s', measured: 'n/a', met: undefined },
  ];
}

export function checkTargets(results: readonly BenchResult[]): TargetCheck[] {
  return [
    ...gemmTargets(results.filter((r): r is GemmResult => r.suite === 'gemm')),
    ...trainTargets(results.filter((r): r is TrainResult => r.suite === 'train')),
    ...loadTargets(results.filter((r): r is LoadResult => r.suite === 'load')),
  ];
}

export function targetsTable(checks: readonly TargetCheck[]): string {
  return markdownTable(
    ['target', 'measured', 'status'],
    checks.map((c) => [c.target, c.measured, c.met === undefined ? 'n/a' : c.met ? 'met' : 'missed']),
  );
}
