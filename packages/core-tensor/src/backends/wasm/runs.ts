import type { Shape } from '../../shape';
import { broadcastStrides } from '../js/data';

/**
 * Visits a broadcast elementwise op over `outShape` as contiguous inner runs: adjacent dims that stay contiguous
 * for every operand are merged, then `run(offsets, outOffset, inner, innerStrides)` is called once per run with
 * each operand's element offset and its inner stride (1, or 0 for a broadcast element), so a kernel needs only
 * those two stride cases.
 */
export function forEachRun(
  shapes: readonly Shape[],
  outShape: Shape,
  run: (offsets: readonly number[], outOffset: number, inner: number, strides: readonly number[]) => void,
): void {
  const size = outShape.reduce((p, d) => p * d, 1);
  if (size === 0) return;
  const k = shapes.length;
  const full = shapes.map((s) => broadcastStrides(s, outShape));
  const dims: number[] = [];
  const st: number[][] = shapes.map(() => []);
  for (let i = 0; i < outShape.length; i++) {
    const n = outShape[i]!;
    if (n === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && full.every((f, j) => st[j]![last] === f[i]! * n)) {
      dims[last]! *= n;
      for (let j = 0; j < k; j++) st[j]![last] = full[j]![i]!;
    } else {
      dims.push(n);
      for (let j = 0; j < k; j++) st[j]!.push(full[j]![i]!);
    }
  }
  if (dims.length === 0) {
    run(new Array<number>(k).fill(0), 0, 1, new Array<number>(k).fill(0));
    return;
  }
  const r = dims.length - 1;
  const inner = dims[r]!;
  const innerStrides = st.map((s) => s[r]!);
  const outer = size / inner;
  const idx = new Array<number>(r).fill(0);
  const off = new Array<number>(k).fill(0);
  for (let o = 0; o < outer; o++) {
    run(off, o * inner, inner, innerStrides);
    for (let d = r - 1; d >= 0; d--) {
      for (let j = 0; j < k; j++) off[j]! += st[j]![d]!;
      if (++idx[d]! < dims[d]!) break;
      for (let j = 0; j < k; j++) off[j]! -= st[j]![d]! * dims[d]!;
      idx[d] = 0;
    }
  }
}
