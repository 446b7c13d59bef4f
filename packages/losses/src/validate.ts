/**
 * Input checks and alignment shared by every loss and metric. Errors name the loss and the shapes involved, so a
 * user can see which call went wrong without reading our source.
 */
import type { Tensor, TensorLike } from '@backprop/core-tensor';
import {
  ArgumentError,
  DTypeError,
  ShapeError,
  Tensor as TensorClass,
  cast,
  expandDims,
  isFloatDType,
  squeeze,
  tensor,
} from '@backprop/core-tensor';
import type { Reduction } from './types';

/** `[2,3]` — how shapes appear in our messages (the same spelling core-tensor uses). */
export function fmt(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/** yPred must be a float tensor with at least one axis (the axis per-sample losses average over). */
export function checkPrediction(loss: string, yPred: unknown): Tensor {
  if (!(yPred instanceof TensorClass)) {
    throw new ArgumentError(`${loss}: yPred must be a Tensor, got ${yPred === null ? 'null' : typeof yPred}`);
  }
  if (!isFloatDType(yPred.dtype)) {
    throw new DTypeError(
      `${loss}: yPred must be float32 or float64, got ${yPred.dtype} (predictions are what gradients flow into)`,
    );
  }
  if (yPred.rank === 0) {
    throw new ShapeError(`${loss}: yPred must have at least one axis, got a scalar (shape [])`);
  }
  return yPred;
}

/**
 * Brings yTrue to yPred's shape and dtype. Like Keras' `squeeze_or_expand_to_same_rank`, a trailing axis of size 1
 * may be present on one side only (labels `[N]` against predictions `[N, 1]` is the common case); anything else
 * must match exactly. Broadcasting is refused on purpose: `[N]` against `[N, 1]` would silently broadcast to
 * `[N, N]` and train on the wrong loss.
 */
export function alignTargets(loss: string, yTrue: TensorLike, yPred: unknown): [Tensor, Tensor] {
  const p = checkPrediction(loss, yPred);
  let t = tensor(yTrue);
  if (t.rank === p.rank + 1 && t.shape[t.rank - 1] === 1) t = squeeze(t, -1);
  else if (p.rank === t.rank + 1 && p.shape[p.rank - 1] === 1) t = expandDims(t, -1);
  if (t.rank !== p.rank || t.shape.some((d, i) => d !== p.shape[i])) {
    throw new ShapeError(
      `${loss}: yTrue has shape ${fmt(tensor(yTrue).shape)} but yPred has shape ${fmt(p.shape)}; they must ` +
        `match (only a trailing axis of size 1 may be missing on one side)`,
    );
  }
  return [cast(t, p.dtype), p];
}

/**
 * Aligns sample weights with per-sample losses of shape `values`: a trailing size-1 axis is dropped, missing
 * trailing axes are appended (so `[N]` weights broadcast over `[N, T]` per-timestep losses), and the result must
 * broadcast to `values` without growing it.
 */
export function alignWeights(loss: string, sampleWeight: TensorLike, values: Tensor): Tensor {
  const original = tensor(sampleWeight);
  let w = original;
  if (w.rank === values.rank + 1 && w.shape[w.rank - 1] === 1) w = squeeze(w, -1);
  while (w.rank < values.rank) w = expandDims(w, -1);
  const ok = w.rank === values.rank && w.shape.every((d, i) => d === 1 || d === values.shape[i]);
  if (!ok) {
    throw new ShapeError(
      `${loss}: sampleWeight of shape ${fmt(original.shape)} does not fit the per-sample losses of shape ` +
        `${fmt(values.shape)} (give one weight per sample, e.g. shape ${fmt(values.shape.slice(0, 1))})`,
    );
  }
  return cast(w, values.dtype);
}

const REDUCTIONS: readonly Reduction[] = ['mean', 'sum', 'none'];

/** Validates a reduction given at run time (JavaScript callers and deserialized configs are not type-checked). */
export function checkReduction(loss: string, reduction: unknown): Reduction {
  if (reduction === undefined) return 'mean';
  if (typeof reduction === 'string' && (REDUCTIONS as readonly string[]).includes(reduction)) {
    return reduction as Reduction;
  }
  // Keras spells 'mean' this way; accepting it lets Keras configs load.
  if (reduction === 'sum_over_batch_size') return 'mean';
  throw new ArgumentError(
    `${loss}: reduction must be one of ${REDUCTIONS.map((r) => `'${r}'`).join(', ')}, got ${JSON.stringify(reduction)}`,
  );
}

/** A number option that must lie in [lo, hi]. */
export function checkRange(loss: string, option: string, value: number, lo: number, hi: number): number {
  if (typeof value !== 'number' || !(value >= lo && value <= hi)) {
    throw new ArgumentError(`${loss}: ${option} must be a number in [${lo}, ${hi}], got ${String(value)}`);
  }
  return value;
}
