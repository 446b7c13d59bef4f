import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  argmax,
  getBackendName,
  layers,
  losses,
  noGrad,
  scope,
  setBackend,
  setSeed,
  wasmSimdSupported,
} from 'backprop';
import type { BackendName } from './args';
import type { CliOptions } from './args';
import { loadData } from './data';
import { buildModel, buildOptimizer } from './models';
import type { LayerHealth } from './report';
import { confusionMatrix, formatConfusion, formatHealth, gradientHealth } from './report';

/** What `--json` writes. */
export interface RunSummary {
  dataset: string;
  model: string;
  epochs: number;
  testAccuracy: number;
  testLoss: number;
  /** Wall-clock seconds spent in `fit` (loading and evaluation excluded). */
  seconds: number;
  samplesPerSec: number;
}

export interface RunResult extends RunSummary {
  confusion: number[][];
  health: LayerHealth[];
  warnings: string[];
  saved: string | undefined;
}

export interface RunIO {
  log: (line: string) => void;
  /** 1 = Keras progress bar (the CLI), 0 = silent (tests). */
  verbose: 0 | 1;
}

/**
 * Makes `wanted` the active backend. `wasm` needs WebAssembly SIMD: where the engine lacks it the run falls back to
 * `js` and says so, instead of failing.
 */
export function selectBackend(wanted: BackendName, log: (line: string) => void): string {
  if (wanted === 'wasm' && !wasmSimdSupported()) {
    log('warning: this engine has no WebAssembly SIMD; using the js backend instead of wasm');
    setBackend('js');
  } else setBackend(wanted);
  return getBackendName();
}

export async function runDemo(options: CliOptions, io: RunIO): Promise<RunResult> {
  selectBackend(options.backend, io.log);
  setSeed(options.seed);
  const loaded = await loadData(options.dataset, options.model, options.seed);
  const { train, test } = loaded;
  const numClasses = loaded.classNames.length;
  io.log(
    `${options.dataset}: ${train.xs.shape[0]} training and ${test.xs.shape[0]} test images from ${loaded.source}`,
  );

  const model = buildModel(options.model, train.xs.shape.slice(1), numClasses);
  const nTrain = train.xs.shape[0]!;
  model.compile({
    optimizer: buildOptimizer(options.optimizer, options.lr),
    loss: new losses.SparseCategoricalCrossentropy({ fromLogits: true }),
    metrics: ['accuracy'],
  });
  model.build([null, ...train.xs.shape.slice(1)]);
  if (io.verbose) io.log(model.summary(false));
  io.log(
    `training ${options.model} for ${options.epochs} epoch(s): ${options.optimizer}, lr ${options.lr}, batch ${options.batchSize}, ` +
      `seed ${options.seed}, backend ${getBackendName()}`,
  );

  const warnings: string[] = [];
  const monitor = new layers.GradientMonitor({ everyNSteps: 25, warn: (m) => warnings.push(m) });
  const started = performance.now();
  await model.fit(train.xs, train.ys, {
    epochs: options.epochs,
    batchSize: options.batchSize,
    seed: options.seed,
    verbose: io.verbose,
    callbacks: [monitor],
  });
  const seconds = (performance.now() - started) / 1000;

  const logs = await model.evaluate(test.xs, test.ys, { batchSize: 1000, verbose: 0 });
  const predicted = noGrad(() =>
    scope(() => argmax(model.predict(test.xs, { batchSize: 1000 }), -1).dataSync()),
  );
  const confusion = confusionMatrix(test.ys.dataSync(), predicted, numClasses);
  const health = gradientHealth(monitor.records);
  const summary: RunSummary = {
    dataset: options.dataset,
    model: options.model,
    epochs: options.epochs,
    testAccuracy: logs.accuracy ?? NaN,
    testLoss: logs.loss ?? NaN,
    seconds: Math.round(seconds * 100) / 100,
    samplesPerSec: Math.round((options.epochs * nTrain) / seconds),
  };

  io.log('');
  io.log(
    `test accuracy ${(100 * summary.testAccuracy).toFixed(2)}%, test loss ${summary.testLoss.toFixed(4)} ` +
      `(trained in ${summary.seconds.toFixed(1)} s, ${summary.samplesPerSec} samples/s)`,
  );
  io.log('');
  io.log('confusion matrix (rows: true class, columns: predicted):');
  io.log(formatConfusion(confusion, loaded.classNames));
  io.log('');
  io.log(
    `gradient health (median over ${monitor.records.length / Math.max(1, health.length)} samples per layer):`,
  );
  io.log(formatHealth(health));
  for (const w of warnings) io.log(`warning: ${w}`);

  let saved: string | undefined;
  if (options.save !== undefined) {
    await layers.saveModel(model, options.save);
    saved = options.save;
    io.log(`model saved to ${options.save}`);
  }
  if (options.json !== undefined) {
    await mkdir(dirname(options.json), { recursive: true });
    await writeFile(options.json, JSON.stringify(summary, null, 2) + '\n');
    io.log(`summary written to ${options.json}`);
  }
  return { ...summary, confusion, health, warnings, saved };
}
