import type { OpObserver, OpRecord, Tensor } from '@backprop/core-tensor';
import { isFloatDType, setObserver } from '@backprop/core-tensor';
import type { GradRule } from './rules';
import { getGradient, hasGradient } from './rules';

/**
 * The recorded graph. Every tensor that depends on something we differentiate with respect to gets a GradInfo:
 * either it is a leaf (a trainable Variable, or an input watched by `grad`), or it is the output of a Node.
 * Nodes hold their rule, what the rule saved, and the GradInfo of each input (their "parents").
 */
export interface Node {
  readonly id: number;
  readonly name: string;
  readonly rule: GradRule;
  readonly attrs: Readonly<Record<string, unknown>>;
  readonly parents: readonly (GradInfo | null)[];
  readonly inputShapes: readonly (readonly number[])[];
  readonly inputDTypes: readonly string[];
  readonly outputShape: readonly number[];
  /** Saved tensors; cleared after backward unless the graph is retained. */
  saved: { inputs: (Tensor | undefined)[]; output: Tensor | undefined } | undefined;
  /**
   * The version (see `bumpVersion`) of each saved input when it was saved. A Variable assigned between the
   * forward and the backward pass would otherwise silently feed its new value into the chain rule.
   */
  readonly savedVersions: readonly number[];
}

export interface GradInfo {
  /** The node that produced the tensor; absent for leaves. */
  readonly node?: Node;
  /**
   * A place gradients can stop and be collected: a trainable Variable, or an argument watched by `grad()`.
   * A watched argument may also have a `node` (it was computed), through which an outer gradient continues.
   */
  readonly sink?: LeafSink;
}

/** Identifies a leaf; a backward pass decides which sinks it collects gradients for. */
export interface LeafSink {
  readonly kind: 'variable' | 'watch';
  readonly shape: readonly number[];
  readonly dtype: string;
}

const infos = new WeakMap<Tensor, GradInfo>();
const versions = new WeakMap<Tensor, number>();
let nextNodeId = 0;

/** @internal Marks `t` as changed in place (Variable.assign); saved copies of the old value become stale. */
export function bumpVersion(t: Tensor): void {
  versions.set(t, (versions.get(t) ?? 0) + 1);
}

/** @internal How many times `t` was changed in place (0 for every ordinary, immutable tensor). */
export function versionOf(t: Tensor): number {
  return versions.get(t) ?? 0;
}

/** @internal A fresh node id (ids only order nodes for debugging and drawings). */
export function newNodeId(): number {
  return nextNodeId++;
}
let paused = 0;

/** @internal The recorded history of `t`, if it depends on something being differentiated. */
export function gradInfo(t: Tensor): GradInfo | undefined {
  return infos.get(t);
}

/** @internal Marks `t` as a leaf (or clears its history). */
export function setGradInfo(t: Tensor, info: GradInfo | undefined): void {
  if (info) infos.set(t, info);
  else infos.delete(t);
}

/** True while gradients are being recorded (outside `noGrad`). */
export function isRecording(): boolean {
  return paused === 0;
}

/**
 * Runs `fn` without recording: nothing computed inside it gets a gradient from an enclosing `backward()` or
 * `grad()`. Use it for parameter updates and evaluation. (A `grad()` called inside still computes its own
 * gradient: asking for one explicitly is not cancelled by noGrad.)
 * @example
 * noGrad(() => w.assign(w.sub(w.grad!.mul(lr)))); // an SGD update that records nothing
 */
export function noGrad<T>(fn: () => T): T {
  paused++;
  try {
    return fn();
  } finally {
    paused--;
  }
}

/** @internal Runs `fn` with recording on even inside noGrad: the forward pass of an explicit grad() call. */
export function recording<T>(fn: () => T): T {
  const outer = paused;
  paused = 0;
  try {
    return fn();
  } finally {
    paused = outer;
  }
}

const NOT_DIFFERENTIABLE: GradRule = {
  grad: () => [],
};

/**
 * Primitive-backed ops that have no gradient rule, mapped to the op whose gradient they are. They are still
 * recorded (so a gradient never silently vanishes) with a rule that fails clearly if backward reaches them: that
 * happens only when differentiating the gradient of the op named here.
 */
export const NOT_TWICE_DIFFERENTIABLE: ReadonlyMap<string, string> = new Map([
  ['maxPool2dBackprop', 'maxPool2d'],
]);

function isDifferentiableDType(t: Tensor): boolean {
  return isFloatDType(t.dtype);
}

const recorder: OpObserver = {
  isAtomic: (name) => hasGradient(name) || NOT_TWICE_DIFFERENTIABLE.has(name),
  onOp(record: OpRecord): void {
    if (paused > 0) return;
    const parents = record.inputs.map((t) => (isDifferentiableDType(t) ? (infos.get(t) ?? null) : null));
    if (parents.every((p) => p === null)) return;
    const output = record.outputs[0];
    if (record.outputs.length !== 1 || !output || !isDifferentiableDType(output)) return;
    // An op may return one of its inputs unchanged (reshape to the same shape): that tensor keeps its history.
    if (record.inputs.includes(output)) return;
    const rule = getGradient(record.name) ?? NOT_DIFFERENTIABLE;
    const want = rule.save?.inputs ?? [];
    const keepInputs = new Set(want === 'all' ? record.inputs.map((_, i) => i) : want);
    const node: Node = {
      id: nextNodeId++,
      name: record.name,
      rule,
      attrs: record.attrs,
      parents,
      inputShapes: record.inputs.map((t) => t.shape),
      inputDTypes: record.inputs.map((t) => t.dtype),
      outputShape: output.shape,
      saved: {
        inputs: record.inputs.map((t, i) => (keepInputs.has(i) ? t : undefined)),
        output: rule.save?.output ? output : undefined,
      },
      savedVersions: record.inputs.map((t, i) => (keepInputs.has(i) ? versionOf(t) : 0)),
    };
    infos.set(output, { node });
  },
};

setObserver(recorder);

/** @internal True for nodes of primitive ops without a gradient rule; backward fails clearly at one. */
export function isNotDifferentiable(node: Node): boolean {
  return node.rule === NOT_DIFFERENTIABLE;
}
