/**
 * The PyTorch rows: run only when Debian's `/usr/bin/python3 -c "import torch"` works (`apt-get install
 * python3-torch`), never required. Prints torch's version, thread count and which BLAS it runs on: without an
 * optimized BLAS (e.g. Debian's libopenblas0-openmp) its matmul runs on the reference BLAS and is slow.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { GemmResult, Layout, TrainResult } from './results';
import type { ChildReport, ModelName } from './train/spec';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../torch_bench.py', import.meta.url));

export interface TorchInfo {
  version: string;
  threads: number;
  blasInfo: string;
  blasLibraries: string[];
  referenceBlas: boolean;
  mkl: boolean;
  mkldnn: boolean;
}

function python(args: string[], timeoutSeconds: number): { ok: boolean; stdout: string; why: string } {
  const r = spawnSync(PYTHON, [SCRIPT, ...args], { encoding: 'utf8', timeout: timeoutSeconds * 1000 });
  const why = r.error?.message ?? (r.stderr.trim().split('\n').at(-1) || `exit status ${r.status}`);
  return { ok: r.status === 0, stdout: r.stdout ?? '', why };
}

/** torch's configuration, or why the torch rows are skipped. */
export function torchInfo(): TorchInfo | string {
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8', timeout: 60_000 });
  if (probe.error) return `torch rows skipped: ${PYTHON} not runnable (${probe.error.message})`;
  if (probe.status !== 0)
    return `torch rows skipped: ${PYTHON} -c "import torch" failed (${probe.stderr.trim().split('\n').at(-1)}); apt-get install python3-torch`;
  const r = python(['info'], 120);
  if (!r.ok) return `torch rows skipped: ${r.why}`;
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as TorchInfo;
}

export function describeTorch(info: TorchInfo): string {
  const blas = info.blasLibraries.join(', ') || 'none mapped';
  return (
    `torch ${info.version}: ${info.threads} thread(s) by default, BLAS_INFO=${info.blasInfo}, BLAS library ${blas}` +
    `${info.referenceBlas ? ' (the reference BLAS: slow; install an optimized one such as libopenblas0-openmp)' : ''}, ` +
    `MKL ${info.mkl ? 'yes' : 'no'}, oneDNN ${info.mkldnn ? 'yes' : 'no'}`
  );
}

export function runTorchGemm(quick: boolean, log: (line: string) => void): GemmResult[] {
  const r = python(['gemm', ...(quick ? ['--quick'] : [])], 900);
  if (!r.ok) {
    log(`torch gemm failed: ${r.why}`);
    return [];
  }
  const results: GemmResult[] = [];
  for (const line of r.stdout.trim().split('\n')) {
    const row = JSON.parse(line) as {
      skip?: string;
      shape: string;
      layout: Layout;
      threads: number;
      gflops: number;
    };
    if (row.skip) log(`torch gemm skipped ${row.skip}`);
    else results.push({ suite: 'gemm', impl: 'torch', ...row });
  }
  return results;
}

export function runTorchTrain(model: ModelName, threads: number, quick: boolean): TrainResult {
  const r = python(['train', model, String(threads), ...(quick ? ['--quick'] : [])], 900);
  const base = { suite: 'train', impl: 'torch', model, threads } as const;
  if (!r.ok) return { ...base, samplesPerSec: null, peakRssMiB: null, error: r.why };
  const report = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as ChildReport;
  return {
    ...base,
    samplesPerSec: report.samplesPerSec ?? null,
    peakRssMiB: report.peakRssMiB ?? null,
  };
}
