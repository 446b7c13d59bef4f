import { describe, expect, it } from 'vitest';
import { parseResults } from '../results';
import { renderResults } from './markdown';

const run = { machine: 'Test CPU, 2 cores', node: 'v20.0.0', note: 'quiet' };

describe('renderResults', () => {
  it('puts each implementation and thread count in its own gemm column and marks unsupported rows', () => {
    const results = parseResults({
      results: [
        {
          suite: 'gemm',
          impl: 'backprop-wasm-simd',
          shape: '128x128x128',
          layout: 'nn',
          threads: 1,
          gflops: 40.04,
        },
        {
          suite: 'gemm',
          impl: 'backprop-wasm-simd',
          shape: '128x128x128',
          layout: 'nn',
          threads: 2,
          gflops: 75.5,
        },
        { suite: 'gemm', impl: 'tfjs-wasm', shape: '128x128x128', layout: 'tn', threads: 1, gflops: 1.25 },
        {
          suite: 'train',
          impl: 'tfjs-wasm',
          model: 'cnn',
          threads: 1,
          samplesPerSec: null,
          peakRssMiB: null,
          unsupported: 'no kernel',
        },
        { suite: 'load', impl: 'backprop', dataset: 'mnist', seconds: 1.2345 },
      ],
    });
    const md = renderResults(results, run);
    expect(md).toContain('Machine: Test CPU, 2 cores; Node v20.0.0. quiet');
    expect(md).toMatch(/\| 128x128x128 +\| nn +\| 40\.0 +\| 75\.5 +\| - +\|/);
    expect(md).toMatch(/\| 128x128x128 +\| tn +\| - +\| - +\| 1\.3 +\|/);
    expect(md).toMatch(/\| cnn +\| tfjs-wasm +\| 1 +\| - +\| - +\| unsupported: no kernel +\|/);
    expect(md).toContain('- backprop mnist: 1.234 s (target ≤ 1.5 s)');
    expect(md).toMatch(/MNIST load ≤ 1\.5 s +\| 1\.23 s +\| met/);
  });

  it('rejects a file that is not {"results": [...]}', () => {
    expect(() => parseResults([])).toThrow(/expected \{"results"/);
    expect(() => parseResults({ results: [{ suite: 'speed' }] })).toThrow(/entry 0 has suite speed/);
  });
});
