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
let nextNodeId = 0;

export function newNodeId(): number {
  return nextNodeId++;
}
let paused = 0;

export function gradInfo(t: Tensor): GradInfo | undefined {
  return infos.get(t);
}

export function setGradInfo(t: Tensor, info: GradInfo | undefined): void {
  if (info) infos.set(t, info);
  else infos.delete(t);
}

/** True while gradients are being recorded (outside `noGrad`). */
export function isRecording(): boolean {
  return paused === 0;
}

/** Runs `fn` without recording: nothing inside it gets a gradient. Use it for updates and evaluation. */
export function noGrad<T>(fn: () => T): T {
  paused++;
  try {
    return fn();
  } finally {
    paused--;
  }
}

const NOT_DIFFERENTIABLE: GradRule = {
  grad: () => [],
};

// Primitive-backed ops that have no gradient rule. They are still recorded (so a gradient never silently
// vanishes) with a rule that fails clearly if backward reaches them.
const NON_DIFFERENTIABLE_PRIMITIVES = new Set([
  'conv2dBackpropInput',
  'conv2dBackpropFilter',
  'maxPool2dBackprop',
  'avgPool2dBackprop',
]);

function isDifferentiableDType(t: Tensor): boolean {
  return isFloatDType(t.dtype);
}

const recorder: OpObserver = {
  isAtomic: (name) => hasGradient(name) || NON_DIFFERENTIABLE_PRIMITIVES.has(name),
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
    };
    infos.set(output, { node });
  },
};

setObserver(recorder);

/** True for nodes of primitive ops without a gradient rule; backward fails clearly when it reaches one. */
export function isNotDifferentiable(node: Node): boolean {
  return node.rule === NOT_DIFFERENTIABLE;
}
