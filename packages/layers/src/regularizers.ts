import type { Tensor } from '@backprop/core-tensor';
import { ArgumentError, abs, add, mul, square, sum } from '@backprop/core-tensor';

/** A weight penalty added to the loss: pushes weights toward zero, which fights overfitting. */
export interface Regularizer {
  readonly className: string;
  call(weight: Tensor): Tensor;
  getConfig(): Record<string, unknown>;
}

/** l1·Σ|w| + l2·Σw² (Keras' L1L2; its gradient is l1·sign(w) + 2·l2·w). */
export class L1L2 implements Regularizer {
  readonly className: string = 'L1L2';
  readonly l1: number;
  readonly l2: number;
  constructor(config: { l1?: number; l2?: number } = {}) {
    this.l1 = config.l1 ?? 0;
    this.l2 = config.l2 ?? 0;
    if (!(this.l1 >= 0) || !(this.l2 >= 0))
      throw new ArgumentError(`L1L2: l1 and l2 must be ≥ 0, got ${this.l1}, ${this.l2}`);
  }
  call(w: Tensor): Tensor {
    const parts: Tensor[] = [];
    if (this.l1 > 0) parts.push(mul(sum(abs(w)), this.l1));
    if (this.l2 > 0) parts.push(mul(sum(square(w)), this.l2));
    return parts.reduce((a, b) => add(a, b), mul(sum(w), 0));
  }
  getConfig(): Record<string, unknown> {
    return { l1: this.l1, l2: this.l2 };
  }
}

/** l1·Σ|w| (Keras default 0.01). */
export class L1 extends L1L2 {
  override readonly className = 'L1';
  constructor(config: { l1?: number } = {}) {
    super({ l1: config.l1 ?? 0.01 });
  }
  override getConfig(): Record<string, unknown> {
    return { l1: this.l1 };
  }
}

/** l2·Σw² (Keras default 0.01). */
export class L2 extends L1L2 {
  override readonly className = 'L2';
  constructor(config: { l2?: number } = {}) {
    super({ l2: config.l2 ?? 0.01 });
  }
  override getConfig(): Record<string, unknown> {
    return { l2: this.l2 };
  }
}

/** A regularizer: `'l1'`, `'l2'` or `'l1l2'` (Keras defaults 0.01), a Regularizer, or its `{className, config}`. */
export type RegularizerId =
  Regularizer | 'l1' | 'l2' | 'l1l2' | { className: string; config?: Record<string, unknown> };

/**
 * Resolves a {@link RegularizerId} (undefined or null: none); an unknown name is an ArgumentError listing the
 * known ones. `{className: 'L2', config: {l2: 1e-4}}` gives `new L2({l2: 1e-4})`.
 */
export function getRegularizer(id: RegularizerId | undefined | null): Regularizer | undefined {
  if (id === undefined || id === null) return undefined;
  if (typeof id === 'object' && 'call' in id) return id;
  const [name, config] = typeof id === 'string' ? [id, {}] : [id.className, id.config ?? {}];
  switch (name.toLowerCase().replace('_', '')) {
    case 'l1':
      return new L1(config);
    case 'l2':
      return new L2(config);
    case 'l1l2':
      return new L1L2(config);
  }
  throw new ArgumentError(`regularizer: unknown "${name}"; expected one of l1, l2, l1l2 or a Regularizer`);
}

/** `{className, config}` for a regularizer (null for none): what layer configs store. */
export function serializeRegularizer(
  r: Regularizer | undefined,
): { className: string; config: Record<string, unknown> } | null {
  return r ? { className: r.className, config: r.getConfig() } : null;
}
