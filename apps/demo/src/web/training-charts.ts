import type { Trainer } from '../playground/trainer';
import { LAYER_COLORS, LiveChart } from './charts';

function layerSeries(trainer: Trainer): { label: string; color: string }[] {
  return trainer.blocks.map((b, i) => ({ label: b[0]!.name, color: LAYER_COLORS[i % LAYER_COLORS.length]! }));
}

/** The four live charts: loss, accuracy, per-layer gradient norms and per-layer update/weight ratios. */
export class TrainingCharts {
  readonly charts: LiveChart[];

  constructor(els: { loss: HTMLElement; acc: HTMLElement; grad: HTMLElement; ratio: HTMLElement }) {
    this.charts = [
      new LiveChart(els.loss, 'Loss (log)', { log: true }),
      new LiveChart(els.acc, 'Accuracy', { yRange: [0, 1] }),
      new LiveChart(els.grad, 'Gradient norm ‖∂L/∂W‖ per layer (log)', { log: true }),
      new LiveChart(els.ratio, 'Update / weight ‖ΔW‖/‖W‖ per layer (log; guide 1e-3)', { log: true }),
    ];
  }

  render(trainer: Trainer): void {
    // One x axis for everything: the (thinned, at most ~400) steps plus every evaluation step.
    const st = trainer.steps;
    const every = Math.max(1, Math.ceil(st.length / 400));
    const thin = st.filter((_, i) => i % every === 0 || i === st.length - 1);
    const ev = trainer.evals;
    const evalAt = new Map(ev.map((e) => [e.step, e]));
    const stepAt = new Map(thin.map((s) => [s.step + 1, s])); // a step's statistics belong to the state after it
    const xs = [...new Set([...evalAt.keys(), ...stepAt.keys()])].sort((a, b) => a - b);
    const col = (f: (x: number) => number | undefined): number[] => xs.map((x) => f(x) ?? NaN);
    const blue = '#1f77b4';
    const red = '#d62728';
    this.charts[0]!.update(
      xs,
      [
        { label: 'batch', color: 'rgba(120,120,120,0.6)' },
        { label: 'train', color: blue },
        { label: 'test', color: red },
      ],
      [
        col((x) => stepAt.get(x)?.batchLoss),
        col((x) => evalAt.get(x)?.trainLoss),
        col((x) => evalAt.get(x)?.testLoss),
      ],
    );
    const exs = ev.map((e) => e.step);
    this.charts[1]!.update(
      exs,
      [
        { label: 'train', color: blue },
        { label: 'test', color: red },
      ],
      [ev.map((e) => e.trainAcc), ev.map((e) => e.testAcc)],
    );
    const sx = thin.map((s) => s.step + 1);
    const series = layerSeries(trainer);
    this.charts[2]!.update(
      sx,
      series,
      series.map((_, li) => thin.map((s) => s.layers[li]?.gradNorm ?? NaN)),
    );
    this.charts[3]!.update(
      sx,
      [...series, { label: '1e-3', color: '#999', dash: [4, 4] }],
      [...series.map((_, li) => thin.map((s) => s.layers[li]?.updateRatio ?? NaN)), sx.map(() => 1e-3)],
    );
  }
}
