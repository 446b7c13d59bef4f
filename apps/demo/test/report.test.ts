import { describe, expect, it } from 'vitest';
import type { layers } from 'backprop';
import { confusionMatrix, formatConfusion, gradientHealth, worstConfusions } from '../src/cli/report';

const record = (
  layer: string,
  gradNorm: number,
  updateRatio = 1e-3,
  finite = true,
): layers.GradientRecord => ({
  step: 0,
  epoch: 0,
  layer,
  className: 'Dense',
  gradNorm,
  weightNorm: 1,
  updateRatio,
  activationMean: 0,
  activationStd: 1,
  zeroFraction: 0.2,
  finite,
});

describe('confusion matrix', () => {
  it('counts true class by row and prediction by column', () => {
    const m = confusionMatrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 0], 3);
    expect(m).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [2, 0, 1],
    ]);
    expect(worstConfusions(m, 1)).toEqual([{ t: 2, p: 0, count: 2 }]);
    const text = formatConfusion(m, ['a', 'b', 'c']);
    expect(text).toContain('50.0%'); // recall of class a
    expect(text).toContain('33.3%'); // recall of class c
    expect(text).toContain('most confused: c → a (2)');
  });
});

describe('gradient health', () => {
  it('calls a healthy network healthy', () => {
    const rows = gradientHealth([record('d0', 0.5), record('d1', 0.7), record('d2', 0.9)]);
    expect(rows.map((r) => r.verdict)).toEqual(['healthy', 'healthy', 'healthy']);
  });

  it('flags a first layer a thousand times quieter than the last as vanishing', () => {
    const rows = gradientHealth([record('d0', 1e-6), record('d1', 1e-3), record('d2', 1)]);
    expect(rows[0]!.verdict).toContain('vanishing');
    expect(rows[2]!.verdict).toBe('healthy');
  });

  it('flags huge and non-finite gradients as exploding, and tiny or large updates', () => {
    const rows = gradientHealth([record('d0', 5e3), record('d1', NaN, NaN, false), record('d2', 1, 1e-7)]);
    expect(rows[0]!.verdict).toContain('exploding');
    expect(rows[1]!.verdict).toContain('non-finite');
    expect(rows[2]!.verdict).toContain('updates tiny');
  });

  it('takes the median over steps, so one spike does not decide', () => {
    const rows = gradientHealth([record('d0', 1), record('d0', 1e6), record('d0', 2)]);
    expect(rows[0]!.gradNorm).toBe(2);
  });
});
