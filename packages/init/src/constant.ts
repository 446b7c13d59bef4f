import type { DType, Tensor } from '@backprop/core-tensor';
import { full } from '@backprop/core-tensor';
import type { Initializer } from './initializer';
import { checkNumber, checkShape } from './initializer';

/**
 * All zeros. The usual start for biases: the kernel's random values already break the symmetry between units,
 * so biases need no randomness. (A kernel of zeros would leave every unit identical forever.)
 */
export class Zeros implements Initializer {
  readonly className = 'Zeros';
  /** A tensor of zeros. */
  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    checkShape(this.className, shape);
    return full(shape, 0, dtype);
  }
  /** No options: `{}`. */
  getConfig(): Record<string, unknown> {
    return {};
  }
}

/** All ones: the start for multiplicative weights such as BatchNormalization's `gamma`. */
export class Ones implements Initializer {
  readonly className = 'Ones';
  /** A tensor of ones. */
  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    checkShape(this.className, shape);
    return full(shape, 1, dtype);
  }
  /** No options: `{}`. */
  getConfig(): Record<string, unknown> {
    return {};
  }
}

/** Options of {@link Constant}. */
export interface ConstantOptions {
  /** The fill value (default 0, as in Keras). */
  value?: number;
}

/** Every element equal to `value`. */
export class Constant implements Initializer {
  readonly className = 'Constant';
  readonly value: number;
  constructor(options: ConstantOptions = {}) {
    this.value = checkNumber(this.className, 'value', options.value ?? 0);
  }
  /** A tensor filled with `value`. */
  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    checkShape(this.className, shape);
    return full(shape, this.value, dtype);
  }
  /** `{ value }`. */
  getConfig(): Record<string, unknown> {
    return { value: this.value };
  }
}

/** An initializer of zeros (see {@link Zeros}). */
export function zeros(): Zeros {
  return new Zeros();
}

/** An initializer of ones (see {@link Ones}). */
export function ones(): Ones {
  return new Ones();
}

/**
 * An initializer filling with a constant (see {@link Constant}).
 * @example
 * constant({ value: 0.1 }).call([3]); // [0.1, 0.1, 0.1]
 */
export function constant(options: ConstantOptions = {}): Constant {
  return new Constant(options);
}
