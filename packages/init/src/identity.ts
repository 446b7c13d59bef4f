import type { DType, Tensor } from '@backprop/core-tensor';
import { ShapeError, tensor } from '@backprop/core-tensor';
import type { Initializer } from './initializer';
import { checkNumber, checkShape } from './initializer';

/** Options of {@link Identity}. */
export interface IdentityOptions {
  /** Multiplies the identity (default 1). */
  gain?: number;
}

/**
 * `gain` times the identity matrix (ones on the main diagonal, also for non-square shapes). Only for 2-D
 * weights. A layer that starts as the identity passes its input through unchanged, which is how residual-like
 * recurrent networks (IRNN) are started.
 */
export class Identity implements Initializer {
  readonly className = 'Identity';
  readonly gain: number;
  constructor(options: IdentityOptions = {}) {
    this.gain = checkNumber(this.className, 'gain', options.gain ?? 1);
  }
  /** `gain · I` of the given 2-D shape. */
  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    checkShape(this.className, shape);
    if (shape.length !== 2) {
      throw new ShapeError(`Identity: only 2-D shapes have an identity matrix, got [${shape.join(',')}]`);
    }
    const [rows, cols] = shape as [number, number];
    const values = new Float64Array(rows * cols);
    for (let i = 0; i < Math.min(rows, cols); i++) values[i * cols + i] = this.gain;
    return tensor(values, shape, dtype);
  }
  /** `{ gain }`. */
  getConfig(): Record<string, unknown> {
    return { gain: this.gain };
  }
}

/**
 * An identity initializer (see {@link Identity}).
 * @example
 * identity({ gain: 0.5 }).call([2, 3]); // [[0.5, 0, 0], [0, 0.5, 0]]
 */
export function identity(options: IdentityOptions = {}): Identity {
  return new Identity(options);
}
