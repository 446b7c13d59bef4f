/** The results section of bench/README.md, rendered from one run's `{"results": [...]}`. */
import { gemmTable } from '../gemm';
import type { BenchResult, GemmResult, LoadResult, TrainResult } from '../results';
import { trainTable } from '../train';
import { checkTargets, targetsTable } from './targets';

export interface RunDescription {
  /** CPU model and core count. */
  machine: string;
  node: string;
  /** Load conditions, date or anything else worth saying about the run. */
  note: string | undefined;
}

export function renderResults(results: readonly BenchResult[], run: RunDescription): string {
  const gemm = results.filter((r): r is GemmResult => r.suite === 'gemm');
  const train = results.filter((r): r is TrainResult => r.suite === 'train');
  const load = results.filter((r): r is LoadResult => r.suite === 'load');
  const parts = [`Machine: ${run.machine}; Node ${run.node}.${run.note ? ` ${run.note}` : ''}`];
  if (gemm.length > 0) parts.push('### gemm (GFLOP/s)', gemmTable(gemm));
  if (train.length > 0) parts.push('### train', trainTable(train));
  if (load.length > 0)
    parts.push(
      '### load',
      load.map((r) => `- ${r.impl} ${r.dataset}: ${r.seconds.toFixed(3)} s (target ≤ 1.5 s)`).join('\n'),
    );
  parts.push('### targets', targetsTable(checkTargets(results)));
  return parts.join('\n\n');
}
