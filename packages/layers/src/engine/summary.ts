import type { Layer } from '../layer';
import type { SymbolicShape } from './shape';
import { fmtSymbolic } from './shape';

function fmtBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(2)} ${units[u]}`;
}

const fmtInt = (n: number): string => n.toLocaleString('en-US');

/** Keras 3's model.summary() table: layer (type), output shape, params, then the totals. */
export function summaryTable(
  modelName: string,
  layers: readonly Layer[],
  outputShapes: readonly SymbolicShape[],
): string {
  const widths = [33, 24, 15];
  const rowsData = layers.map((l, i) => [
    `${l.name} (${l.className})`,
    fmtSymbolic(outputShapes[i]!),
    fmtInt(l.countParams()),
  ]);
  for (const r of rowsData) {
    widths[0] = Math.max(widths[0]!, r[0]!.length + 2);
    widths[1] = Math.max(widths[1]!, r[1]!.length + 2);
  }
  const line = (l: string, m: string, r: string, fill: string): string =>
    l + widths.map((w) => fill.repeat(w)).join(m) + r;
  const cells = (c: string[], sep: string): string =>
    sep +
    c.map((s, i) => ' ' + (i === 2 ? s.padStart(widths[i]! - 2) : s.padEnd(widths[i]! - 2)) + ' ').join(sep) +
    sep;
  const out = [
    `Model: "${modelName}"`,
    line('┏', '┳', '┓', '━'),
    cells(['Layer (type)', 'Output Shape', 'Param #'], '┃'),
    line('┡', '╇', '┩', '━'),
  ];
  rowsData.forEach((r, i) => {
    out.push(cells(r, '│'));
    out.push(i === rowsData.length - 1 ? line('└', '┴', '┘', '─') : line('├', '┼', '┤', '─'));
  });
  if (rowsData.length === 0) out.push(line('└', '┴', '┘', '─'));
  const count = (pick: (l: Layer) => number): number => layers.reduce((n, l) => n + pick(l), 0);
  const bytes = (pick: (l: Layer) => number): number =>
    layers.reduce((n, l) => n + pick(l) * (l.dtype === 'float64' ? 8 : 4), 0);
  const trainable = (l: Layer): number => l.trainableWeights.reduce((n, w) => n + w.size, 0);
  const nonTrainable = (l: Layer): number => l.nonTrainableWeights.reduce((n, w) => n + w.size, 0);
  const total = (l: Layer): number => l.countParams();
  out.push(` Total params: ${fmtInt(count(total))} (${fmtBytes(bytes(total))})`);
  out.push(` Trainable params: ${fmtInt(count(trainable))} (${fmtBytes(bytes(trainable))})`);
  out.push(` Non-trainable params: ${fmtInt(count(nonTrainable))} (${fmtBytes(bytes(nonTrainable))})`);
  return out.join('\n');
}
