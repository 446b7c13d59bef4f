/**
 * The train suite: MLP 784-256-128-10 and a small CNN, Adam 1e-3, softmax cross-entropy, random data, on
 * backprop-wasm (1 and 2 threads), backprop-js, tfjs-wasm, tfjs-cpu and (when installed) torch. Each configuration
 * trains in its own child process so its peak RSS is its own.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TrainResult } from './results';
import { markdownTable } from './report/table';
import { runTorchTrain } from './torch';
import type { ChildReport, ModelName, TrainImpl } from './train/spec';

const CHILD = fileURLToPath(new URL('./train-child.js', import.meta.url));

export const TRAIN_CONFIGS: readonly (readonly [TrainImpl, ModelName, number])[] = [
  ['backprop-wasm', 'mlp', 1],
  ['backprop-wasm', 'mlp', 2],
  ['backprop-wasm', 'cnn', 1],
  ['backprop-wasm', 'cnn', 2],
  ['backprop-js', 'mlp', 1],
  ['backprop-js', 'cnn', 1],
  ['tfjs-wasm', 'mlp', 1],
  ['tfjs-wasm', 'cnn', 1],
  ['tfjs-cpu', 'mlp', 1],
  ['tfjs-cpu', 'cnn', 1],
  ['torch', 'mlp', 1],
  ['torch', 'mlp', 2],
  ['torch', 'cnn', 1],
  ['torch', 'cnn', 2],
];

function runChild(
  impl: TrainImpl,
  model: ModelName,
  threads: number,
  quick: boolean,
  log: (line: string) => void,
): TrainResult {
  const base = { suite: 'train', impl, model, threads } as const;
  const r = spawnSync(
    process.execPath,
    [CHILD, impl, model, String(threads), ...(quick ? ['--quick'] : [])],
    {
      encoding: 'utf8',
      timeout: 600_000,
    },
  );
  const last = r.stdout?.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0 || !last.startsWith('{')) {
    const why = r.error?.message ?? (r.stderr?.trim().split('\n').at(-1) || `exit status ${r.status}`);
    return { ...base, samplesPerSec: null, peakRssMiB: null, error: why };
  }
  const report = JSON.parse(last) as ChildReport;
  if (report.detail)
    log(
      `    ${report.detail}; ${report.stepsPerEpoch} steps per timed epoch; RSS ${report.dataRssMiB?.toFixed(0)} MiB once the data existed`,
    );
  if (report.unsupported)
    return { ...base, samplesPerSec: null, peakRssMiB: null, unsupported: report.unsupported };
  return { ...base, samplesPerSec: report.samplesPerSec ?? null, peakRssMiB: report.peakRssMiB ?? null };
}

export function runTrain(
  opts: { quick: boolean; torch: boolean },
  log: (line: string) => void = console.log,
): TrainResult[] {
  const results: TrainResult[] = [];
  for (const [impl, model, threads] of TRAIN_CONFIGS) {
    if (impl === 'torch' && !opts.torch) continue;
    const t0 = performance.now();
    const r =
      impl === 'torch'
        ? runTorchTrain(model, threads, opts.quick)
        : runChild(impl, model, threads, opts.quick, log);
    const what =
      r.samplesPerSec !== null ? `${r.samplesPerSec.toFixed(1)} samples/s` : (r.unsupported ?? r.error);
    log(`  train ${impl} ${model} ${threads}t: ${what} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    results.push(r);
  }
  return results;
}

export function trainTable(results: readonly TrainResult[]): string {
  const rows = results.map((r) => [
    r.model,
    r.impl,
    String(r.threads),
    r.samplesPerSec !== null ? r.samplesPerSec.toFixed(r.samplesPerSec < 100 ? 1 : 0) : '-',
    r.peakRssMiB !== null ? r.peakRssMiB.toFixed(0) : '-',
    r.unsupported ? `unsupported: ${r.unsupported}` : r.error ? `failed: ${r.error}` : '',
  ]);
  return markdownTable(['model', 'impl', 'threads', 'samples/s', 'peak RSS MiB', 'note'], rows);
}
