import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** Layer colours, input side first; the output layer is always the last colour used. */
export const LAYER_COLORS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#bcbd22',
  '#7f7f7f',
];

export interface SeriesSpec {
  label: string;
  color: string;
  dash?: number[];
}

/** Values a log axis cannot show (≤ 0, NaN, ±Inf) become gaps instead of breaking the scale. */
const forLog = (v: number): number | null => (Number.isFinite(v) && v > 0 ? v : null);

/**
 * A small wrapper over uPlot: a live line chart keyed by step, rebuilt when its series change (the network
 * editor adds or removes layers) and otherwise updated in place with setData.
 */
export class LiveChart {
  #plot: uPlot | undefined;
  #key = '';
  constructor(
    readonly el: HTMLElement,
    readonly title: string,
    readonly opts: { log?: boolean; yRange?: [number, number]; height?: number },
  ) {}

  update(xs: number[], series: SeriesSpec[], ys: number[][]): void {
    const key = series.map((s) => s.label).join('|');
    const width = Math.max(240, this.el.clientWidth || 320);
    if (!this.#plot || key !== this.#key) {
      this.#plot?.destroy();
      this.#key = key;
      const log = this.opts.log === true;
      this.#plot = new uPlot(
        {
          title: this.title,
          width,
          height: this.opts.height ?? 170,
          legend: { live: false },
          cursor: { show: false },
          scales: {
            x: { time: false },
            y: log ? { distr: 3 } : this.opts.yRange ? { range: this.opts.yRange } : { auto: true },
          },
          axes: [
            { size: 28 },
            {
              size: 52,
              values: log
                ? (_u, vals) => vals.map((v) => (v == null ? '' : Number(v).toExponential(0)))
                : undefined,
            },
          ],
          series: [
            { label: 'step' },
            // Gaps are bridged: evaluations come every 10 steps; a NaN ends the run anyway.
            ...series.map((s) => ({
              label: s.label,
              stroke: s.color,
              width: 1.5,
              dash: s.dash,
              spanGaps: true,
            })),
          ],
        },
        [[], ...series.map(() => [])],
        this.el,
      );
    }
    const data = [
      xs,
      ...ys.map((y) => (this.opts.log ? y.map(forLog) : y.map((v) => (Number.isFinite(v) ? v : null)))),
    ];
    this.#plot.setData(data as uPlot.AlignedData);
    if (Math.abs(this.#plot.width - width) > 4)
      this.#plot.setSize({ width, height: this.opts.height ?? 170 });
  }
}
