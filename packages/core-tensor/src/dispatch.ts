import type { Tensor } from './tensor';

/** What the dispatcher tells an observer about one op that ran. */
export interface OpRecord {
  readonly name: string;
  readonly inputs: readonly Tensor[];
  readonly attrs: Readonly<Record<string, unknown>>;
  readonly outputs: readonly Tensor[];
}

/**
 * The hook autograd plugs into. core-tensor knows nothing of gradients: it only reports what ran.
 * An op for which `isAtomic(name)` is true is reported as one record and the ops it calls internally are hidden;
 * any other op is not reported itself, so the ops it is composed of are reported instead ("traced through").
 */
export interface OpObserver {
  isAtomic(name: string): boolean;
  onOp(record: OpRecord): void;
}

let observer: OpObserver | undefined;
let hidden = 0;

export function setObserver(o: OpObserver | undefined): OpObserver | undefined {
  const prev = observer;
  observer = o;
  return prev;
}

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
