#!/usr/bin/env node
// The long-run check of RELIABILITY.md: 10 000 training steps of the MNIST MLP (784-256-128-10, Adam, batch 128)
// through fit() on the default backend, sampling memory() and the process RSS every --every steps. Fails (exit 1)
// unless, after warm-up, the live-tensor count is exactly constant, the RSS drifts less than --rss-bound-mib, and
// every loss is finite. Real MNIST when ../shared/data/mnist exists beside the repository, else random data of the
// same shape. Run after a build: `node --expose-gc packages/layers/scripts/long-run.mjs [--steps 10000]`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Generator, getBackendName, memory, tensor } from '@backprop/core-tensor';
import { mnist } from '@backprop/data';
import { Callback, Dense, Sequential, TerminateOnNaN } from '@backprop/layers';

const { values: opts } = parseArgs({
  options: {
    steps: { type: 'string', default: '10000' },
    every: { type: 'string', default: '250' },
    warmup: { type: 'string', default: '1000' },
    'rss-bound-mib': { type: 'string', default: '64' },
    json: { type: 'string' },
  },
});
const STEPS = Number(opts.steps);
const EVERY = Number(opts.every);
const WARMUP = Number(opts.warmup);
const RSS_BOUND = Number(opts['rss-bound-mib']) * 2 ** 20;
const BATCH = 128;
const MiB = (b) => (b / 2 ** 20).toFixed(1);

const sharedDir =
  process.env.BACKPROP_SHARED_DATA ?? fileURLToPath(new URL('../../../../shared/data', import.meta.url));
const real = existsSync(`${sharedDir}/mnist/train-images-idx3-ubyte.gz`);

async function data() {
  if (real) {
    const { train, test } = await mnist({ dir: `${sharedDir}/mnist`, flatten: true });
    return { x: train.xs, y: train.ys, test };
  }
  // Random pixels and labels of MNIST's shape: the memory behaviour is the same, the accuracy is not.
  const n = 60_000;
  const g = new Generator(7);
  const x = tensor(
    Float32Array.from({ length: n * 784 }, () => g.uniform()),
    [n, 784],
  );
  const y = tensor(
    Int32Array.from({ length: n }, () => Math.floor(g.uniform() * 10)),
    [n],
    'int32',
  );
  return { x, y, test: undefined };
}

/** Samples memory() and RSS every EVERY steps, stops fit() after STEPS steps, and records every loss. */
class Sampler extends Callback {
  step = 0;
  samples = [];
  lastLoss = NaN;
  nonFinite = [];
  onTrainBatchEnd(_batch, logs = {}) {
    this.step++;
    this.lastLoss = logs.loss;
    if (!Number.isFinite(logs.loss)) this.nonFinite.push(this.step);
    if (this.step % EVERY === 0 || this.step === 1) {
      // A full GC first: tensors nobody disposed would otherwise count until the collector happened to run.
      globalThis.gc?.();
      const m = memory();
      this.samples.push({
        step: this.step,
        tensors: m.numTensors,
        bytes: m.numBytes,
        rss: process.memoryUsage().rss,
      });
    }
    if (this.step >= STEPS) this.model.stopTraining = true;
  }
}

const { x, y, test } = await data();
const model = new Sequential({
  layers: [
    new Dense({ units: 256, activation: 'relu', inputShape: [784] }),
    new Dense({ units: 128, activation: 'relu' }),
    new Dense({ units: 10, activation: 'softmax' }),
  ],
});
model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
const sampler = new Sampler();
const nan = new TerminateOnNaN();
const perEpoch = Math.ceil(x.shape[0] / BATCH);
const t0 = performance.now();
await model.fit(x, y, {
  epochs: Math.ceil(STEPS / perEpoch),
  batchSize: BATCH,
  verbose: 0,
  callbacks: [sampler, nan],
});
const seconds = (performance.now() - t0) / 1000;

const after = sampler.samples.filter((s) => s.step >= WARMUP);
const tensors = after.map((s) => s.tensors);
const rss = after.map((s) => s.rss);
const rssDrift = Math.max(...rss) - rss[0];
const failures = [];
if (sampler.step !== STEPS) failures.push(`ran ${sampler.step} steps, expected ${STEPS}`);
if (after.length < 2) failures.push(`only ${after.length} samples after warm-up; lower --every or --warmup`);
if (Math.min(...tensors) !== Math.max(...tensors))
  failures.push(`live tensors not constant after warm-up: ${Math.min(...tensors)}..${Math.max(...tensors)}`);
if (!(rssDrift < RSS_BOUND))
  failures.push(`RSS grew ${MiB(rssDrift)} MiB after warm-up (bound ${MiB(RSS_BOUND)} MiB)`);
if (sampler.nonFinite.length > 0)
  failures.push(`non-finite loss at steps ${sampler.nonFinite.slice(0, 5).join(', ')}`);

let accuracy;
if (test) accuracy = (await model.evaluate(test.xs, test.ys, { batchSize: 1000, verbose: 0 })).accuracy;
const summary = {
  backend: getBackendName(),
  data: real ? 'MNIST (60 000 training images)' : 'random data of MNIST shape',
  steps: sampler.step,
  seconds: Number(seconds.toFixed(1)),
  msPerStep: Number(((seconds * 1000) / sampler.step).toFixed(2)),
  warmupSteps: WARMUP,
  samplesAfterWarmup: after.length,
  liveTensors: { min: Math.min(...tensors), max: Math.max(...tensors) },
  liveBytes: { min: Math.min(...after.map((s) => s.bytes)), max: Math.max(...after.map((s) => s.bytes)) },
  rssMiB: {
    atWarmup: MiB(rss[0]),
    max: MiB(Math.max(...rss)),
    last: MiB(rss[rss.length - 1]),
    drift: MiB(rssDrift),
  },
  rssBoundMiB: MiB(RSS_BOUND),
  lastBatchLoss: sampler.lastLoss,
  testAccuracy: accuracy,
  gcExposed: typeof globalThis.gc === 'function',
};
console.log(`long-run: ${JSON.stringify(summary)}`);
if (opts.json)
  (await import('node:fs')).writeFileSync(
    opts.json,
    JSON.stringify({ summary, samples: sampler.samples }, null, 1),
  );
if (failures.length > 0) {
  console.error(`long-run FAILED:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log(
  `long-run: passed (${sampler.step} steps, live tensors flat at ${tensors[0]}, RSS drift ${MiB(rssDrift)} MiB)`,
);
