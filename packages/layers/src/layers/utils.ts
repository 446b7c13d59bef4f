import { ArgumentError, ShapeError } from '@backprop/core-tensor';
import type { SymbolicShape } from '../engine/shape';
import { fmtSymbolic } from '../engine/shape';
import type { Layer } from '../layer';

/** `dense_1 (Dense)`: how every layer names itself at the start of an error message. */
export function who(layer: Pick<Layer, 'name' | 'className'>): string {
  return `${layer.name} (${layer.className})`;
}

/**
 * Checks an input shape's rank in `build`, so a wrong input fails with the layer's name and the layout it wants
 * instead of deep inside an op. `rank` is exact, or `{ min }` for layers that accept any rank from `min` up.
 */
export function assertRank(
  layer: Pick<Layer, 'name' | 'className'>,
  shape: SymbolicShape,
  rank: number | { min: number },
  layout: string,
): void {
  const ok = typeof rank === 'number' ? shape.length === rank : shape.length >= rank.min;
  if (!ok) {
    const want = typeof rank === 'number' ? `rank ${rank}` : `rank ≥ ${rank.min}`;
    throw new ShapeError(
      `${who(layer)}: expected input of ${want} ${layout}, got ${fmtSymbolic(shape)} (rank ${shape.length})`,
    );
  }
}

/** A Keras "int or tuple of 2 ints" argument, validated as positive integers. */
export function toPair(className: string, name: string, v: number | readonly number[]): [number, number] {
  const p = typeof v === 'number' ? [v, v] : [...v];
  if (p.length !== 2 || p.some((x) => !Number.isInteger(x) || x < 1)) {
    throw new ArgumentError(
      `${className}: ${name} must be a positive integer or two of them, got ${JSON.stringify(v)}`,
    );
  }
  return [p[0]!, p[1]!];
}

/** Keras' two padding modes for convolutions and pooling (explicit pads are an op-level feature). */
export type PaddingMode = 'valid' | 'same';

/** Validates a padding option ('valid' when absent; case-insensitive, as Keras). */
export function toPadding(className: string, v: string | undefined): PaddingMode {
  const p = (v ?? 'valid').toLowerCase();
  if (p !== 'valid' && p !== 'same') {
    throw new ArgumentError(`${className}: padding must be 'valid' or 'same', got ${JSON.stringify(v)}`);
  }
  return p;
}

/**
 * Output length of one spatial axis (TF's rule): 'same' gives ceil(n/stride) whatever the window; 'valid' slides
 * the dilated window only over real cells. Unknown stays unknown.
 */
export function convOutputLength(
  n: number | null,
  window: number,
  stride: number,
  padding: PaddingMode,
  dilation = 1,
): number | null {
  if (n === null) return null;
  if (padding === 'same') return Math.ceil(n / stride);
  const effective = (window - 1) * dilation + 1;
  return Math.max(0, Math.floor((n - effective) / stride) + 1);
}

/** Resolves a possibly negative axis against a rank, or throws naming the layer. */
export function resolveAxis(layer: Pick<Layer, 'name' | 'className'>, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(axis) || a < 0 || a >= rank) {
    throw new ArgumentError(`${who(layer)}: axis ${axis} is out of range for input of rank ${rank}`);
  }
  return a;
}
