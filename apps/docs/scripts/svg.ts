/**
 * Tiny dependency-free SVG renderers for the docs: a line chart (linear or log y axis) and a layered drawing of
 * a `Value` graph from `toJSON()`. Everything shown in the guides' plots is computed by the examples at build time.
 */

export interface Series {
  name: string;
  /** y values; x is the index unless `x` is given. Non-finite values break the line. */
  y: readonly number[];
  x?: readonly number[];
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  logY?: boolean;
  width?: number;
  height?: number;
  /** Clamp y to this range (values beyond are drawn at the edge). */
  yMin?: number;
  yMax?: number;
}

const COLORS = ['#3366cc', '#dc3912', '#109618', '#ff9900', '#990099', '#0099c6', '#dd4477', '#66aa00'];

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(0).replace('e+', 'e');
  return Number(v.toPrecision(3)).toString();
}

function niceTicks(lo: number, hi: number, count = 5): number[] {
  const span = hi - lo || 1;
  const step0 = span / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => span / s <= count) ?? 10 * mag;
  const ticks: number[] = [];
  // Each tick is k·step for an integer k, not a running sum: a sum drifts, and 0 came out as -6e-17.
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++)
    ticks.push(Number((k * step).toPrecision(12)) + 0);
  return ticks;
}

/** A line chart as an SVG string. */
export function lineChart(series: readonly Series[], opts: ChartOptions): string {
  const W = opts.width ?? 760;
  const H = opts.height ?? 360;
  const m = { l: 64, r: 210, t: 36, b: 48 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const logY = opts.logY ?? false;
  const pts = series.map((s) => s.y.map((y, i) => [s.x?.[i] ?? i, y] as const));
  const finite = pts.flat().filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!logY || y > 0));
  if (finite.length === 0) throw new Error(`lineChart "${opts.title}": no finite points`);
  const xMin = Math.min(...finite.map((p) => p[0]));
  let xMax = Math.max(...finite.map((p) => p[0]));
  let yMin = opts.yMin ?? Math.min(...finite.map((p) => p[1]));
  let yMax = opts.yMax ?? Math.max(...finite.map((p) => p[1]));
  if (xMax === xMin) xMax = xMin + 1;
  const ty = (v: number) => (logY ? Math.log10(v) : v);
  if (logY) {
    yMin = 10 ** Math.floor(Math.log10(yMin));
    yMax = 10 ** Math.ceil(Math.log10(yMax));
    if (yMax === yMin) yMax = yMin * 10;
  } else {
    if (yMax === yMin) yMax = yMin + 1;
    const ticks = niceTicks(yMin, yMax);
    yMin = Math.min(yMin, ticks[0]!);
    yMax = Math.max(yMax, ticks.at(-1)!);
  }
  const [lo, hi] = [ty(yMin), ty(yMax)];
  const sx = (x: number) => m.l + ((x - xMin) / (xMax - xMin)) * pw;
  const sy = (y: number) => {
    const v = Math.min(hi, Math.max(lo, ty(y)));
    return m.t + ph - ((v - lo) / (hi - lo)) * ph;
  };
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${m.l + pw / 2}" y="20" text-anchor="middle" font-size="14" font-weight="600">${esc(opts.title)}</text>`,
  );
  const yTicks = logY
    ? Array.from({ length: Math.round(hi - lo) + 1 }, (_, i) => lo + i)
        .filter((e) => (e - lo) % Math.ceil((hi - lo) / 8) === 0)
        .map((e) => 10 ** e)
    : niceTicks(yMin, yMax);
  for (const t of yTicks) {
    const y = sy(t).toFixed(1);
    out.push(
      `<line x1="${m.l}" x2="${W - m.r}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`,
      `<text x="${m.l - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" fill="#555">${fmt(t)}</text>`,
    );
  }
  for (const t of niceTicks(xMin, xMax, 6)) {
    const x = sx(t).toFixed(1);
    out.push(
      `<line x1="${x}" x2="${x}" y1="${m.t + ph}" y2="${m.t + ph + 4}" stroke="#555"/>`,
      `<text x="${x}" y="${m.t + ph + 16}" text-anchor="middle" fill="#555">${fmt(t)}</text>`,
    );
  }
  out.push(
    `<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`,
    `<text x="${m.l + pw / 2}" y="${H - 10}" text-anchor="middle">${esc(opts.xLabel)}</text>`,
    `<text transform="translate(16 ${m.t + ph / 2}) rotate(-90)" text-anchor="middle">${esc(opts.yLabel)}${logY ? ' (log scale)' : ''}</text>`,
  );
  pts.forEach((p, si) => {
    const color = COLORS[si % COLORS.length]!;
    let d = '';
    let pen = false;
    for (const [x, y] of p) {
      if (!Number.isFinite(y) || (logY && y <= 0)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${sx(x).toFixed(1)} ${sy(y).toFixed(1)}`;
      pen = true;
    }
    const diverged = p.some(([, y]) => !Number.isFinite(y));
    out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"/>`);
    if (p.length < 20) {
      for (const [x, y] of p) {
        if (Number.isFinite(y) && (!logY || y > 0))
          out.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="3" fill="${color}"/>`);
      }
    }
    const ly = m.t + 14 + si * 16;
    out.push(
      `<line x1="${W - m.r + 12}" x2="${W - m.r + 32}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"/>`,
      `<text x="${W - m.r + 36}" y="${ly}" dominant-baseline="middle">${esc(series[si]!.name)}${diverged ? ' (NaN)' : ''}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n');
}

export interface GraphJSON {
  nodes: readonly { id: number; label: string; op: string; data: number; grad: number }[];
  edges: readonly { from: number; to: number }[];
}

/** Draws a Value graph left to right: one column per depth, a box per value with its data and gradient. */
export function valueGraph(g: GraphJSON): string {
  const edges = g.edges.map((e) => [e.from, e.to] as const);
  const depth = new Map<number, number>();
  const parents = new Map<number, number[]>();
  for (const [from, to] of edges) parents.set(to, [...(parents.get(to) ?? []), from]);
  const depthOf = (id: number): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    const ps = parents.get(id) ?? [];
    const d = ps.length === 0 ? 0 : 1 + Math.max(...ps.map(depthOf));
    depth.set(id, d);
    return d;
  };
  g.nodes.forEach((n) => depthOf(n.id));
  // Leaves (inputs, weights, constants) sit just left of the first operation that uses them.
  for (const n of g.nodes) {
    if ((parents.get(n.id) ?? []).length > 0) continue;
    const users = edges.filter(([from]) => from === n.id).map(([, to]) => depthOf(to));
    if (users.length > 0) depth.set(n.id, Math.min(...users) - 1);
  }
  const cols = new Map<number, number[]>();
  for (const n of g.nodes) cols.set(depthOf(n.id), [...(cols.get(depthOf(n.id)) ?? []), n.id]);
  const bw = 118;
  const bh = 52;
  const gx = 52;
  const gy = 18;
  const nCols = Math.max(...cols.keys()) + 1;
  const nRows = Math.max(...[...cols.values()].map((c) => c.length));
  const W = nCols * (bw + gx) + 20;
  const H = nRows * (bh + gy) + 20;
  const pos = new Map<number, { x: number; y: number }>();
  const rank = new Map<number, number>();
  for (let c = nCols - 1; c >= 0; c--) {
    const ids = cols.get(c) ?? [];
    const key = (id: number) => {
      const users = edges.filter(([from]) => from === id).map(([, to]) => rank.get(to) ?? 0);
      return users.length ? users.reduce((a, b) => a + b, 0) / users.length : 0;
    };
    ids.sort((a, b) => key(a) - key(b));
    ids.forEach((id, r) => rank.set(id, (r + 0.5) / ids.length));
  }
  for (const [c, ids] of cols) {
    const off = ((nRows - ids.length) * (bh + gy)) / 2;
    ids.forEach((id, r) => pos.set(id, { x: 10 + c * (bw + gx), y: 10 + off + r * (bh + gy) }));
  }
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="system-ui, sans-serif" font-size="11">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0 0L10 5L0 10z" fill="#888"/></marker></defs>`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
  ];
  for (const [from, to] of edges) {
    const a = pos.get(from)!;
    const b = pos.get(to)!;
    out.push(
      `<path d="M${a.x + bw} ${a.y + bh / 2} C${a.x + bw + gx / 2} ${a.y + bh / 2} ${b.x - gx / 2} ${b.y + bh / 2} ${b.x} ${b.y + bh / 2}" fill="none" stroke="#888" marker-end="url(#arrow)"/>`,
    );
  }
  for (const n of g.nodes) {
    const p = pos.get(n.id)!;
    const title = [n.op ? `${n.op}` : '', n.label].filter(Boolean).join(' → ') || `v${n.id}`;
    const fill = n.op ? '#eef3fc' : '#fdf3e1';
    out.push(
      `<rect x="${p.x}" y="${p.y}" width="${bw}" height="${bh}" rx="6" fill="${fill}" stroke="#6b7fa8"/>`,
      `<text x="${p.x + bw / 2}" y="${p.y + 15}" text-anchor="middle" font-weight="600">${esc(title)}</text>`,
      `<text x="${p.x + bw / 2}" y="${p.y + 31}" text-anchor="middle">data ${esc(n.data.toFixed(4))}</text>`,
      `<text x="${p.x + bw / 2}" y="${p.y + 45}" text-anchor="middle" fill="#b03a2e">grad ${esc(n.grad.toFixed(4))}</text>`,
    );
  }
  out.push('</svg>');
  return out.join('\n');
}
