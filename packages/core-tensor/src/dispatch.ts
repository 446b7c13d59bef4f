import type { Tensor } from './tensor';

/** What the dispatcher tells an observer about one op that ran. */
export interface OpRecord {
  /** The op name as passed to `op()` ('add', 'matmul', 'conv2d', …). */
  readonly name: string;
  /** The tensor operands, in the op's argument order. */
  readonly inputs: readonly Tensor[];
  /** The non-tensor arguments (axis, keepDims, transposeA, strides, …) as the op received them. */
  readonly attrs: Readonly<Record<string, unknown>>;
  /** What the op returned (one tensor, or several for ops that return a list). */
  readonly outputs: readonly Tensor[];
}

/**
 * The hook autograd plugs into. core-tensor knows nothing of gradients: it only reports what ran.
 * An op for which `isAtomic(name)` is true is reported as one record and the ops it calls internally are hidden;
 * any other op is not reported itself, so the ops it is composed of are reported instead ("traced through").
 */
export interface OpObserver {
  /** Whether `name` is reported as one record (its internal ops hidden). */
  isAtomic(name: string): boolean;
  /** Called after each reported op has run. */
  onOp(record: OpRecord): void;
}

let observer: OpObserver | undefined;
let hidden = 0;

/** Installs the observer (undefined removes it) and returns the previous one. */
export function setObserver(o: OpObserver | undefined): OpObserver | undefined {
  const prev = observer;
  observer = o;
  return prev;
}

/** The installed observer, if any. */
export function getObserver(): OpObserver | undefined {
  return observer;
}

/** Runs `fn` with nothing reported to the observer. */
export function unobserved<T>(fn: () => T): T {
  hidden++;
  try {
    return fn();
  } finally {
    hidden--;
  }
}

/**
 * Whether op `name` may run as one fused backend kernel instead of its composed path: true when nothing would
 * see the composed ops anyway (no observer, inside `unobserved` or an atomic op, or an observer that records
 * `name` as one op). Otherwise the observer traces through the composition and a fused kernel would hide it.
 */
export function mayFuse(name: string): boolean {
  return hidden > 0 || observer === undefined || observer.isAtomic(name);
}

/**
 * The single entry point of every op: runs `impl` and reports it. Validation happens inside `impl` (before any
 * computation), so an invalid call reports nothing.
 */
export function op<R extends Tensor | Tensor[]>(
  name: string,
  inputs: readonly Tensor[],
  attrs: Readonly<Record<string, unknown>>,
  impl: () => R,
): R {
  const o = hidden === 0 ? observer : undefined;
  if (!o || !o.isAtomic(name)) return impl();
  hidden++;
  let out: R;
  try {
    out = impl();
  } finally {
    hidden--;
  }
  o.onOp({ name, inputs, attrs, outputs: Array.isArray(out) ? out : [out] });
  return out;
}
