import type { layers } from 'backprop';

/** counts[t][p]: test samples of true class t predicted as p. */
export function confusionMatrix(
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classes: number,
): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) m[labels[i]!]![predicted[i]!]!++;
  return m;
}

/** The matrix as text: rows are true classes, columns predictions, with each class's recall at the end. */
export function formatConfusion(m: readonly (readonly number[])[], classNames: readonly string[]): string {
  const n = m.length;
  const width = Math.max(4, ...m.flat().map((v) => String(v).length)) + 1;
  const names = classNames.map((c, i) => (c.length <= 3 ? c : String(i)));
  const head = `${'true\\pred'.padEnd(10)}${names.map((c) => c.padStart(width)).join('')}   recall`;
  const lines = m.map((row, t) => {
    const total = row.reduce((a, b) => a + b, 0);
    const recall = total ? ((100 * row[t]!) / total).toFixed(1) + '%' : '–';
    const label = (classNames[t] ?? String(t)).slice(0, 9).padEnd(10);
    return `${label}${row.map((v) => String(v).padStart(width)).join('')}   ${recall.padStart(6)}`;
  });
  const worst = worstConfusions(m, 3)
    .map(({ t, p, count }) => `${classNames[t] ?? t} → ${classNames[p] ?? p} (${count})`)
    .join(', ');
  return [head, ...lines, n > 1 && worst ? `most confused: ${worst}` : ''].filter(Boolean).join('\n');
}

export function worstConfusions(
  m: readonly (readonly number[])[],
  k: number,
): { t: number; p: number; count: number }[] {
  const cells: { t: number; p: number; count: number }[] = [];
  m.forEach((row, t) => row.forEach((count, p) => t !== p && count > 0 && cells.push({ t, p, count })));
  return cells.sort((a, b) => b.count - a.count).slice(0, k);
}

export interface LayerHealth {
  layer: string;
  className: string;
  gradNorm: number;
  updateRatio: number;
  zeroFraction: number;
  verdict: string;
}

const median = (xs: number[]): number => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : NaN;
};

/**
 * Per layer, over the whole run: median gradient norm, median update/weight ratio and dead-unit share, with a
 * verdict from the rules of thumb (update/weight ≈ 1e-3 is healthy; a first layer 1000× quieter than the last
 * is vanishing; a norm above 1e3 or NaN is exploding).
 */
export function gradientHealth(records: readonly layers.GradientRecord[]): LayerHealth[] {
  const byLayer = new Map<string, layers.GradientRecord[]>();
  for (const r of records) byLayer.set(r.layer, [...(byLayer.get(r.layer) ?? []), r]);
  const rows = [...byLayer.values()].map((rs) => ({
    layer: rs[0]!.layer,
    className: rs[0]!.className,
    gradNorm: median(rs.map((r) => r.gradNorm)),
    updateRatio: median(rs.map((r) => r.updateRatio)),
    zeroFraction: median(rs.map((r) => r.zeroFraction)),
    finite: rs.every((r) => r.finite),
  }));
  const last = rows.at(-1)?.gradNorm ?? NaN;
  return rows.map((r, i) => {
    const problems: string[] = [];
    if (!r.finite) problems.push('non-finite values: exploded');
    else if (r.gradNorm > 1e3) problems.push('exploding gradient');
    else if (i < rows.length - 1 && r.gradNorm < last * 1e-3) problems.push('vanishing gradient');
    if (r.updateRatio > 1e-1) problems.push('updates too large (lower lr)');
    else if (r.updateRatio < 1e-5) problems.push('updates tiny (raise lr)');
    if (r.zeroFraction > 0.9 && i < rows.length - 1)
      problems.push(`${(100 * r.zeroFraction).toFixed(0)}% dead units`);
    return {
      layer: r.layer,
      className: r.className,
      gradNorm: r.gradNorm,
      updateRatio: r.updateRatio,
      zeroFraction: r.zeroFraction,
      verdict: problems.length ? problems.join('; ') : 'healthy',
    };
  });
}

const sci = (v: number): string => (Number.isFinite(v) ? v.toExponential(2) : String(v));

export function formatHealth(rows: readonly LayerHealth[]): string {
  const head = ['layer', '‖∂L/∂W‖', '‖ΔW‖/‖W‖', 'zeros', 'verdict'];
  const body = rows.map((r) => [
    `${r.layer} (${r.className})`,
    sci(r.gradNorm),
    sci(r.updateRatio),
    Number.isFinite(r.zeroFraction) ? `${(100 * r.zeroFraction).toFixed(0)}%` : '–',
    r.verdict,
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((b) => b[c]!.length)));
  const fmt = (cells: string[]): string =>
    cells
      .map((s, c) => s.padEnd(widths[c]!))
      .join('  ')
      .trimEnd();
  return [fmt(head), ...body.map(fmt)].join('\n');
}
