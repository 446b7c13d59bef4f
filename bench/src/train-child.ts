/**
 * One training configuration in its own process (started by the train suite, so its peak RSS is its own):
 *
 *   node dist/train-child.js IMPL MODEL THREADS [--quick]
 *
 * Prints a ChildReport as the last line of stdout.
 */
import { trainBackprop } from './train/backprop-train';
import { schedule } from './train/spec';
import type { ChildReport, ModelName } from './train/spec';
import { trainTfjs } from './train/tfjs-train';

async function main(): Promise<void> {
  const [impl, model, threadsArg] = process.argv.slice(2);
  const quick = process.argv.includes('--quick');
  const threads = Number(threadsArg ?? 1);
  if (model !== 'mlp' && model !== 'cnn')
    throw new Error(`train-child: model must be mlp or cnn, got ${model}`);
  const m: ModelName = model;
  const sched = schedule(quick);
  let report: ChildReport;
  if (impl === 'backprop-wasm' || impl === 'backprop-js')
    report = await trainBackprop(impl, m, threads, sched);
  else if (impl === 'tfjs-wasm' || impl === 'tfjs-cpu')
    report = await trainTfjs(impl === 'tfjs-wasm' ? 'wasm' : 'cpu', m, sched);
  else throw new Error(`train-child: unknown implementation ${impl}`);
  console.log(JSON.stringify(report));
  // Worker threads of the wasm backend's pool must not keep the process alive.
  process.exit(0);
}

await main();
