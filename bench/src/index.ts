/**
 * The side-by-side benchmark: backprop's backends against tfjs (and PyTorch where installed), in one run.
 *
 *   pnpm bench                        gemm, train and load suites (under 10 min on 2 cores)
 *   pnpm bench --quick                shorter timing, smaller shapes and data (3 min at load 29), smoke runs
 *   pnpm bench --json out.json        also write {"results": [...]} to out.json
 *   pnpm bench --suite gemm,train     only these suites (gemm, train, load, naive); --no-torch skips PyTorch
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { gemmTable, runGemm } from './gemm';
import { runNaiveGemm } from './gemm-naive';
import { runLoad } from './load';
import type { BenchResult } from './results';
import { checkTargets, targetsTable } from './report/targets';
import { describeTorch, runTorchGemm, torchInfo } from './torch';
import { runTrain, trainTable } from './train';

const SUITES = ['gemm', 'train', 'load', 'naive'] as const;
type Suite = (typeof SUITES)[number];

interface Options {
  quick: boolean;
  json: string | undefined;
  suites: Suite[];
  torch: boolean;
}

const USAGE = 'usage: bench [--quick] [--json FILE] [--suite gemm,train,load,naive] [--no-torch]';

function parseArgs(argv: readonly string[]): Options {
  const opts: Options = { quick: false, json: undefined, suites: ['gemm', 'train', 'load'], torch: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') opts.quick = true;
    else if (a === '--no-torch') opts.torch = false;
    else if (a === '--json') {
      opts.json = argv[++i];
      if (!opts.json) throw new Error(`--json needs a file name; ${USAGE}`);
    } else if (a === '--suite') {
      const list = (argv[++i] ?? '').split(',');
      const bad = list.filter((s) => !(SUITES as readonly string[]).includes(s));
      if (bad.length > 0) throw new Error(`unknown suite ${bad.join(', ')}; ${USAGE}`);
      opts.suites = list as Suite[];
    } else if (a === '--') continue;
    else throw new Error(`unknown argument ${a}; ${USAGE}`);
  }
  return opts;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const start = performance.now();
  const cpu = cpus();
  console.log(
    `backprop bench${opts.quick ? ' --quick' : ''}: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ` +
      `Node ${process.version}, ${new Date().toISOString()}, load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  const torch = opts.torch ? torchInfo() : 'torch rows skipped (--no-torch)';
  console.log(typeof torch === 'string' ? torch : describeTorch(torch));
  const useTorch = typeof torch !== 'string';
  const results: BenchResult[] = [];

  if (opts.suites.includes('gemm')) {
    console.log('\ngemm: float32 C = op(A)·op(B), GFLOP/s (median of alternating batches)');
    const gemm = await runGemm({ quick: opts.quick });
    if (useTorch) gemm.push(...runTorchGemm(opts.quick, console.log));
    console.log(gemmTable(gemm));
    results.push(...gemm);
  }
  if (opts.suites.includes('naive')) {
    console.log('\nnaive: backprop-js matmul against the textbook triple loop, GFLOP/s');
    const naive = runNaiveGemm({ quick: opts.quick });
    console.log(gemmTable(naive));
    results.push(...naive);
  }
  if (opts.suites.includes('train')) {
    console.log('\ntrain: samples/s (median of timed epochs) and peak RSS, one process per row');
    const train = runTrain({ quick: opts.quick, torch: useTorch });
    console.log(trainTable(train));
    results.push(...train);
  }
  if (opts.suites.includes('load')) {
    console.log('');
    results.push(...(await runLoad(opts.quick ? 1 : 3)));
  }

  console.log('\ntargets (issue 10), from this run:');
  console.log(targetsTable(checkTargets(results)));
  console.log(`\nbench finished in ${((performance.now() - start) / 1000).toFixed(0)} s`);
  if (opts.json) {
    writeFileSync(opts.json, `${JSON.stringify({ results }, null, 2)}\n`);
    console.log(`wrote ${opts.json}`);
  }
  // The wasm backend's worker pools must not keep the process alive.
  process.exit(0);
}

await main();
