/* eslint-disable no-control-regex -- the escape codes of the bar are what these tests check */
import { tensor } from '@backprop/core-tensor';
import { SGD } from '@backprop/optimizers';
import { describe, expect, it } from 'vitest';
import { Dense, Progbar, Sequential, formatLogs } from '../src/index';
import { formatDuration, formatPerStep } from '../src/callbacks/progbar';

const B = '\x1b[1m';
const G = '\x1b[32m';
const W = '\x1b[37m';
const R = '\x1b[0m';

/** A progress bar on a fake clock; `tick(ms)` advances it. */
function bar(opts: { inPlace: boolean; verbose?: 1 | 2; epochs?: number; steps: number | undefined }) {
  let t = 0;
  const out: string[] = [];
  const p = new Progbar({
    write: (s) => void out.push(s),
    inPlace: opts.inPlace,
    verbose: opts.verbose,
    now: () => t,
  });
  p.setParams({ epochs: opts.epochs ?? 2, steps: opts.steps, verbose: opts.verbose ?? 1 });
  return { p, out, tick: (ms: number) => void (t += ms) };
}

// Expected strings follow keras/src/utils/progbar.py (Keras 3) line by line.
describe('Progbar (Keras 3 format)', () => {
  it('prints one line per epoch off a terminal: count, 20 cells, elapsed seconds rounded, ms/step, sorted metrics', () => {
    const { p, out, tick } = bar({ inPlace: false, steps: 469 });
    p.onEpochBegin(0);
    for (let b = 0; b < 469; b++) {
      tick(6);
      p.onTrainBatchEnd(b, { loss: 0.2, accuracy: 0.94 });
    }
    // 469 × 6 ms = 2.814 s: Keras prints f"{2.814:.0f}s", i.e. 3s.
    p.onEpochEnd(0, { loss: 0.2, accuracy: 0.94 });
    expect(out.join('')).toBe(
      'Epoch 1/2\n469/469 ━━━━━━━━━━━━━━━━━━━━ 3s 6ms/step - accuracy: 0.9400 - loss: 0.2000\n',
    );
  });

  it('redraws in place on a terminal with the time left, bold count and times, green done cells', () => {
    const { p, out, tick } = bar({ inPlace: true, steps: 10, epochs: 1 });
    p.onEpochBegin(0);
    tick(1500);
    p.onTrainBatchEnd(0, { loss: 0.5 });
    // 1.5 s per step, 9 steps left: 13.5 s shown truncated as 13s; f"{1.5:.0f}" is 2 (ties to even).
    const first = `${B} 1/10${R} ${G}━━${R}${W}${'━'.repeat(18)}${R} ${B}13s${R} 2s/step - loss: 0.5000`;
    expect(out).toEqual([`\r${first}`]);
    tick(10); // within Keras' 50 ms interval: no redraw
    p.onTrainBatchEnd(1, { loss: 0.4 });
    expect(out).toHaveLength(1);
    tick(1490);
    p.onTrainBatchEnd(2, { loss: 0.25 });
    // The first step is left out of the estimate: (3000 − 1500) ms / 2 steps = 0.75 s; 7 left → 5.25 → 5s.
    const third = `${B} 3/10${R} ${G}━━━━━━${R}${W}${'━'.repeat(14)}${R} ${B}5s${R} 750ms/step - loss: 0.2500`;
    const width = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '').length;
    expect(out[1]).toBe(
      `${'\b'.repeat(width(first))}\r${third}${' '.repeat(Math.max(0, width(first) - width(third)))}`,
    );
    for (let b = 3; b < 10; b++) {
      tick(750);
      p.onTrainBatchEnd(b, { loss: 0.1 });
    }
    tick(1000); // validation
    p.onEpochEnd(0, { loss: 0.1, val_loss: 0.00012, val_accuracy: 0.5 });
    const last = out.at(-1)!;
    // At the end: elapsed (9.25 s → 9s), (9250 − 1500) / 9 ms per step, no time left, validation metrics after the training ones.
    expect(last).toMatch(
      /\r\x1b\[1m10\/10\x1b\[0m \x1b\[32m━{20}\x1b\[0m\x1b\[37m\x1b\[0m \x1b\[1m9s\x1b\[0m 861ms\/step/,
    );
    expect(last.endsWith(' - loss: 0.1000 - val_accuracy: 0.5000 - val_loss: 1.2000e-04\n')).toBe(true);
    expect(out.join('')).not.toContain('Epoch'); // Keras heads epochs only when there is more than one
  });

  it('counts steps of unknown total as Keras does', () => {
    const { p, out, tick } = bar({ inPlace: true, steps: undefined });
    p.onEpochBegin(0);
    tick(100);
    p.onTrainBatchEnd(0, { loss: 1 });
    expect(out.at(-1)).toBe(`\r      1/Unknown ${B}0s${R} 100ms/step - loss: 1.0000`);
    tick(100);
    p.onEpochEnd(0, { loss: 1 });
    expect(out.at(-1)).toMatch(/^\x08+\r\x1b\[1m1\/1\x1b\[0m /);
  });

  it('verbose 2 prints Keras short line per epoch', () => {
    const { p, out, tick } = bar({ inPlace: true, verbose: 2, steps: 469 });
    p.onEpochBegin(0);
    for (let b = 0; b < 469; b++) {
      tick(6);
      p.onTrainBatchEnd(b, { loss: 0.2, accuracy: 0.94 });
    }
    p.onEpochEnd(0, { loss: 0.2, accuracy: 0.94, val_loss: 0.3 });
    expect(out.join('')).toBe(
      'Epoch 1/2\n469/469 - 3s - 6ms/step - accuracy: 0.9400 - loss: 0.2000 - val_loss: 0.3000\n',
    );
  });

  it('formats durations, per-step times and small values like Keras', () => {
    expect(formatDuration(59.9)).toBe('59s');
    expect(formatDuration(60)).toBe('60s');
    expect(formatDuration(125)).toBe('2:05');
    expect(formatDuration(3600)).toBe('60:00');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatPerStep(0)).toBe('0s/step');
    expect(formatPerStep(2.5)).toBe('2s/step');
    expect(formatPerStep(0.0064)).toBe('6ms/step');
    expect(formatPerStep(0.00085)).toBe('850us/step');
    expect(formatLogs({ val_loss: 0.00012, loss: 1, acc: 0 })).toBe(
      ' - acc: 0.0000e+00 - loss: 1.0000 - val_loss: 1.2000e-04',
    );
    expect(formatLogs({ loss: NaN, x: -Infinity })).toBe(' - loss: nan - x: -inf');
    // Keras' verbose-2 line compares the signed value: negative values print in scientific form there.
    expect(formatLogs({ loss: -0.5 }, true)).toBe(' - loss: -5.0000e-01');
    expect(formatLogs({ loss: -0.5 })).toBe(' - loss: -0.5000');
  });

  it('is what fit prints with verbose 2, validation metrics included', async () => {
    const model = new Sequential({ layers: [new Dense({ units: 1, inputShape: [1] })] });
    model.compile({ optimizer: new SGD({ learningRate: 0.01 }), loss: 'mse' });
    const x = tensor([[0], [1], [2], [3]]);
    const y = tensor([[0], [2], [4], [6]]);
    const chunks: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = (s: string) => (chunks.push(s), true);
    try {
      await model.fit(x, y, { epochs: 2, batchSize: 2, verbose: 2, validationData: [x, y] });
    } finally {
      process.stdout.write = write;
    }
    const lines = chunks.join('').trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('Epoch 1/2');
    expect(lines[1]).toMatch(/^2\/2 - \d+s - \d+(us|ms|s)\/step - loss: \d+\.\d{4} - val_loss: \d+\.\d{4}$/);
  });
});
