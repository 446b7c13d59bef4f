import { ShapeError } from '@backprop/core-tensor';

/** Number of inputs and outputs that feed one unit of a weight; what variance scaling divides by. */
export interface Fans {
  fanIn: number;
  fanOut: number;
}

/**
 * Fan-in and fan-out of a weight shape, computed as Keras does:
 * - rank 0 (a scalar): 1 and 1;
 * - rank 1 (a bias-like vector `[n]`): n and n;
 * - rank 2 (a Dense kernel `[in, out]`): `in` and `out`;
 * - rank ≥ 3 (a convolution kernel, channels last: `[kh, kw, in, out]` for Conv2D, `[k, in, out]` for Conv1D):
 *   with `receptive` = the product of all but the last two dimensions, `fanIn = in · receptive` and
 *   `fanOut = out · receptive`, because each output sums over a window of `receptive` positions in `in` channels.
 *
 * @example
 * computeFans([3, 3, 16, 32]); // { fanIn: 144, fanOut: 288 }
 */
export function computeFans(shape: readonly number[]): Fans {
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError(`computeFans: invalid shape [${shape.join(',')}]: dimensions must be integers ≥ 0`);
  }
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  if (shape.length === 2) return { fanIn: shape[0]!, fanOut: shape[1]! };
  let receptive = 1;
  for (const d of shape.slice(0, -2)) receptive *= d;
  return { fanIn: shape[shape.length - 2]! * receptive, fanOut: shape[shape.length - 1]! * receptive };
}
