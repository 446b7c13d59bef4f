import type { Tensor } from '@backprop/core-tensor';
import {
  ArgumentError,
  StateError,
  Tensor as TensorClass,
  isFloatDType,
  onesLike,
  setBackwardHook,
  viewAs,
  zerosLike,
} from '@backprop/core-tensor';
import { runBackward } from './backward';
import type { GradInfo, LeafSink, Node } from './tape';
import { gradInfo, isRecording, newNodeId, recording, setGradInfo } from './tape';
import type { Variable } from './variable';
import { variableForSink } from './variable';

// How many grad()/variableGrads() functions are running. A grad() called inside one records its own backward
// pass, so that its result can be differentiated by the enclosing one (gradients of gradients).
let depth = 0;

/** Runs f's forward pass: recorded (even inside noGrad, since a gradient was asked for) and counted in depth. */
function forward<T>(f: () => T): T {
  depth++;
  try {
    return recording(f);
  } finally {
    depth--;
  }
}

const IDENTITY = { grad: (dy: Tensor) => [dy] };

/**
 * A fresh tensor object sharing `t`'s elements, marked as a leaf of this `grad()` call. If `t` itself has a
 * history (an outer `grad` is watching it, or it was computed from a Variable) and recording is on, the watched
 * copy is linked to it by an identity node so the outer differentiation continues through.
 */
function watch(t: Tensor, link: boolean): { watched: Tensor; sink: LeafSink } {
  const watched = viewAs(t, t.shape);
  const sink: LeafSink = { kind: 'watch', shape: t.shape, dtype: t.dtype };
  const outer = link ? gradInfo(t) : undefined;
  let node: Node | undefined;
  if (outer) {
    node = {
      id: newNodeId(),
      name: 'watch',
      rule: IDENTITY,
      attrs: {},
      parents: [outer],
      inputShapes: [t.shape],
      inputDTypes: [t.dtype],
      outputShape: t.shape,
      saved: { inputs: [], output: undefined },
      savedVersions: [],
    };
  }
  const info: GradInfo = node ? { node, sink } : { sink };
  setGradInfo(watched, info);
  return { watched, sink };
}

/** The arguments of a function being differentiated: tensors, arrays of tensors, or an object of tensors. */
export type GradArgs = readonly Tensor[] | readonly [Record<string, Tensor>];

function seedFor(out: unknown, fn: string): Tensor {
  if (!(out instanceof TensorClass))
    throw new ArgumentError(`${fn}: f must return a Tensor, got ${typeof out}`);
  if (out.size !== 1) {
    throw new ArgumentError(
      `${fn}: f must return a scalar (it returned shape [${out.shape.join(',')}]); reduce it first, e.g. with sum() or mean()`,
    );
  }
  return onesLike(out);
}

interface Watched {
  args: unknown[];
  collect: (grads: Map<LeafSink, Tensor>) => unknown;
  hasHistory: boolean;
}

function watchArgs(args: readonly unknown[], fn: string, link: boolean): Watched {
  const sinks: (LeafSink | null)[] = [];
  const originals: Tensor[] = [];
  let hasHistory = false;
  const wrap = (x: unknown, where: string): Tensor => {
    if (!(x instanceof TensorClass))
      throw new ArgumentError(`${fn}: argument ${where} must be a Tensor, got ${typeof x}`);
    originals.push(x);
    // int and bool inputs have no gradient; they pass through unwatched.
    if (!isFloatDType(x.dtype)) {
      sinks.push(null);
      return x;
    }
    // A computed argument (not a bare Variable) means an enclosing differentiation may continue through this
    // gradient. A bare Variable does not: recording every backward pass taken with respect to parameters would
    // cost memory in every training step, so a gradient of a gradient of parameters goes through variableGrads.
    if (link && gradInfo(x)?.node) hasHistory = true;
    const { watched, sink } = watch(x, link);
    sinks.push(sink);
    return watched;
  };
  const gradOf = (i: number, grads: Map<LeafSink, Tensor>): Tensor | null => {
    const s = sinks[i];
    if (!s) return null;
    return grads.get(s) ?? zerosLike(originals[i]!);
  };
  // One object argument: gradients come back as an object with the same keys.
  const only = args[0];
  if (
    args.length === 1 &&
    only !== null &&
    typeof only === 'object' &&
    !(only instanceof TensorClass) &&
    !Array.isArray(only)
  ) {
    const keys = Object.keys(only);
    const obj = Object.fromEntries(keys.map((k) => [k, wrap((only as Record<string, unknown>)[k], `.${k}`)]));
    return {
      args: [obj],
      hasHistory,
      collect: (g) => Object.fromEntries(keys.map((k, i) => [k, gradOf(i, g)])),
    };
  }
  if (args.length === 1 && Array.isArray(only)) {
    const arr = (only as unknown[]).map((x, i) => wrap(x, `[${i}]`));
    return { args: [arr], hasHistory, collect: (g) => arr.map((_, i) => gradOf(i, g)) };
  }
  const list = args.map((x, i) => wrap(x, String(i)));
  return {
    args: list,
    hasHistory,
    collect: (g) => (list.length === 1 ? gradOf(0, g) : list.map((_, i) => gradOf(i, g))),
  };
}

/** The gradient of one argument per argument: a Tensor for one, an array for several, an object for an object. */
export type Grads<A extends unknown[]> = A extends [Tensor]
  ? Tensor
  : A extends [readonly Tensor[]]
    ? Tensor[]
    : A extends [Record<string, Tensor>]
      ? { [K in keyof A[0]]: Tensor }
      : Tensor[];

/**
 * `valueAndGrad(f)(...args)` returns f's (scalar) value and its gradient with respect to each argument, in the
 * same structure as the arguments: one tensor, several, an array or an object of tensors. int32/bool arguments
 * get `null`; an argument f does not use gets zeros. Nothing is accumulated into Variables' `.grad`: this is the
 * functional (JAX / TF.js) style.
 *
 * Calls nest: `grad(x => grad(f)(x).sum())` is a second derivative. A gradient is itself differentiable (its
 * backward pass is recorded) when computed inside another grad()/valueAndGrad()/variableGrads() function, or with
 * respect to a tensor computed from a Variable: then `backward()` can go through it. With respect to a bare
 * Variable at top level it is a plain result (nothing extra is recorded, as in a training step).
 * @example
 * const { value, grads } = valueAndGrad((w: Tensor, b: Tensor) => x.matmul(w).add(b).square().mean())(w0, b0);
 * const g = grad((p: { w: Tensor; b: Tensor }) => loss(p))({ w: w0, b: b0 }); // { w: dL/dw, b: dL/db }
 */
export function valueAndGrad<A extends unknown[]>(
  f: (...args: A) => Tensor,
): (...args: A) => { value: Tensor; grads: Grads<A> } {
  return (...args: A) => {
    // Inside noGrad nothing outside this call is differentiated: do not link to (or record for) anything outer.
    const outer = isRecording();
    const w = watchArgs(args, 'valueAndGrad', outer);
    const value = forward(() => f(...(w.args as A)));
    const seed = seedFor(value, 'valueAndGrad');
    const info = gradInfo(value);
    const sinks = new Set<LeafSink>();
    const accepts = (s: LeafSink): boolean => sinks.has(s);
    // Sinks are identified by object; gather ours from the watched arguments.
    collectSinks(w.args, sinks);
    const grads = info
      ? runBackward(value, info, seed, {
          accepts,
          retainGraph: false,
          createGraph: outer && (depth > 0 || w.hasHistory),
        })
      : new Map<LeafSink, Tensor>();
    return { value, grads: w.collect(grads) as Grads<A> };
  };
}

function collectSinks(args: unknown[], out: Set<LeafSink>): void {
  for (const a of args) {
    if (a instanceof TensorClass) {
      const s = gradInfo(a)?.sink;
      if (s && s.kind === 'watch') out.add(s);
    } else if (Array.isArray(a)) collectSinks(a, out);
    else if (a !== null && typeof a === 'object') collectSinks(Object.values(a), out);
  }
}

/**
 * `grad(f)(...args)`: the gradient of scalar-valued f with respect to its arguments, in their structure (see
 * {@link valueAndGrad}, which also returns f's value).
 * @example
 * grad((x: Tensor) => x.square().sum())(tensor([1, 2])); // [2, 4]
 */
export function grad<A extends unknown[]>(f: (...args: A) => Tensor): (...args: A) => Grads<A> {
  const vg = valueAndGrad(f);
  return (...args: A) => vg(...args).grads;
}

/**
 * The gradient of f's value with respect to `variables` (all trainable Variables f used, when omitted), without
 * touching their `.grad` (TF.js's `variableGrads`). Returns the value and a Map from each variable to its
 * gradient; a listed variable f does not use gets zeros.
 * @example
 * const { value, grads } = variableGrads(() => model(x).sub(y).square().mean());
 * for (const [v, g] of grads) noGrad(() => v.assign(v.sub(g.mul(0.1))));
 */
export function variableGrads(
  f: () => Tensor,
  variables?: readonly Variable[],
): { value: Tensor; grads: Map<Variable, Tensor> } {
  // Like valueAndGrad: while f runs, a grad() inside it records its backward pass, so its result can be
  // differentiated with respect to the variables here (a gradient penalty, for instance).
  const outer = isRecording();
  const value = forward(f);
  const seed = seedFor(value, 'variableGrads');
  const wanted = variables ? new Set(variables.map((v) => v.sink)) : undefined;
  const info = gradInfo(value);
  const collected = info
    ? runBackward(value, info, seed, {
        accepts: (s) => s.kind === 'variable' && (!wanted || wanted.has(s)),
        retainGraph: false,
        createGraph: outer && depth > 0,
      })
    : new Map<LeafSink, Tensor>();
  const grads = new Map<Variable, Tensor>();
  for (const v of variables ?? []) grads.set(v, collected.get(v.sink) ?? zerosLike(v));
  if (!variables) for (const [s, g] of collected) grads.set(variableForSink(s)!, g);
  return { value, grads };
}

// loss.backward(): the imperative (PyTorch) style. Accumulates into every trainable Variable the loss depends on.
setBackwardHook((loss, upstream, options) => {
  if (!upstream && loss.size !== 1) {
    throw new ArgumentError(
      `backward: the tensor has shape [${loss.shape.join(',')}]; backward() without an upstream gradient needs a ` +
        `scalar (reduce it with sum() or mean(), or pass backward(grad) with the same shape)`,
    );
  }
  if (upstream && (upstream.rank !== loss.rank || upstream.shape.some((d, i) => d !== loss.shape[i]))) {
    throw new ArgumentError(
      `backward: grad has shape [${upstream.shape.join(',')}], the tensor has [${loss.shape.join(',')}]`,
    );
  }
  const info = gradInfo(loss);
  if (!info) {
    throw new StateError(
      'backward: this tensor does not depend on any trainable Variable (nothing was recorded: was it computed ' +
        'inside noGrad(), or from plain tensors only?)',
    );
  }
  const collected = runBackward(loss, info, upstream ?? onesLike(loss), {
    accepts: (s) => s.kind === 'variable',
    retainGraph: options.retainGraph ?? false,
    createGraph: false,
  });
  for (const [sink, g] of collected) variableForSink(sink)?.accumulateGrad(g);
});
