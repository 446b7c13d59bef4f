import type { Tensor } from '@backprop/core-tensor';
import { StateError, add, cast, reshape, sum } from '@backprop/core-tensor';
import type { GradInfo, LeafSink, Node } from './tape';
import { NOT_TWICE_DIFFERENTIABLE, isNotDifferentiable, noGrad, versionOf } from './tape';

/** Options of one backward pass (internal: `backward()`, `grad` and `variableGrads` build them). */
export interface BackwardRun {
  /** Which leaves collect gradients in this pass. */
  readonly accepts: (sink: LeafSink) => boolean;
  /** Keep saved tensors so the graph can be walked again. */
  readonly retainGraph: boolean;
  /** Record the backward computation itself, so its result can be differentiated again. */
  readonly createGraph: boolean;
}

/**
 * Sums a gradient back to the shape of the input it belongs to. Broadcasting copied the input along some axes in
 * the forward pass, so by the chain rule every copy's gradient adds up: sum over the leading axes broadcasting
 * added, and over the axes where the input had size 1.
 */
export function unbroadcast(g: Tensor, shape: readonly number[]): Tensor {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  let out = g;
  const lead = out.rank - shape.length;
  if (lead > 0)
    out = sum(
      out,
      Array.from({ length: lead }, (_, i) => i),
    );
  const axes = shape.flatMap((d, i) => (d === 1 && out.shape[i] !== 1 ? [i] : []));
  if (axes.length > 0) out = sum(out, axes, true);
  return reshape(out, shape);
}

/** Fails clearly when what a rule saved was disposed or changed in place since the forward pass. */
function checkSaved(node: Node, inputs: readonly (Tensor | undefined)[], output: Tensor | undefined): void {
  for (const t of [...inputs, output]) {
    if (t?.isDisposed) {
      throw new StateError(
        `backward: a tensor that ${node.name} saved for the backward pass (shape [${t.shape.join(',')}]) was ` +
          `disposed before backward() ran; keep the forward pass and backward() in the same scope()`,
      );
    }
  }
  inputs.forEach((t, i) => {
    if (t && versionOf(t) !== node.savedVersions[i]) {
      const name = (t as { name?: unknown }).name;
      throw new StateError(
        `backward: ${typeof name === 'string' ? `variable "${name}"` : 'a tensor'} was assigned a new value ` +
          `after ${node.name} used it, so its gradient would be computed with the wrong value; call backward() ` +
          `before assign() (forward, backward, then update)`,
      );
    }
  });
}

/** Nodes reachable from `root`, parents before children, keeping only those on a path to an accepted leaf. */
function usefulNodesInOrder(root: Node, run: BackwardRun): { order: Node[]; useful: Set<Node> } {
  const order: Node[] = [];
  const useful = new Set<Node>();
  const visited = new Set<Node>();
  const leads = (p: GradInfo | null): boolean =>
    p !== null &&
    ((p.sink !== undefined && run.accepts(p.sink)) || (p.node !== undefined && useful.has(p.node)));
  // Iterative post-order DFS: deep networks would overflow the call stack with recursion.
  const stack: [Node, number][] = [[root, 0]];
  visited.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [node, i] = top;
    if (i < node.parents.length) {
      top[1]++;
      const p = node.parents[i];
      // An accepted leaf stops the walk: its gradient is collected there, not propagated past it.
      if (p?.node && !(p.sink && run.accepts(p.sink)) && !visited.has(p.node)) {
        visited.add(p.node);
        stack.push([p.node, 0]);
      }
      continue;
    }
    stack.pop();
    if (node.parents.some(leads)) useful.add(node);
    order.push(node);
  }
  return { order: order.filter((n) => useful.has(n)), useful };
}

function accumulate<K>(map: Map<K, Tensor>, key: K, g: Tensor): void {
  const prev = map.get(key);
  // A value used twice receives both contributions: the multivariate chain rule sums over every path.
  map.set(key, prev ? add(prev, g) : g);
}

/**
 * Reverse-mode differentiation from `root` (seeded with dL/droot = `seed`): walks the recorded nodes from the
 * output back to the leaves, applying each op's local chain rule to turn dL/d(output) into dL/d(inputs).
 * Returns the gradient collected at each accepted leaf.
 */
export function runBackward(
  root: Tensor,
  rootInfo: GradInfo,
  seed: Tensor,
  run: BackwardRun,
): Map<LeafSink, Tensor> {
  const collected = new Map<LeafSink, Tensor>();
  const exec = <T>(fn: () => T): T => (run.createGraph ? fn() : noGrad(fn));
  if (rootInfo.sink && run.accepts(rootInfo.sink)) {
    collected.set(rootInfo.sink, seed);
    return collected;
  }
  if (!rootInfo.node) return collected;
  const { order, useful } = usefulNodesInOrder(rootInfo.node, run);
  const grads = new Map<Node, Tensor>([[rootInfo.node, seed]]);
  for (let k = order.length - 1; k >= 0; k--) {
    const node = order[k]!;
    const dy = grads.get(node);
    if (!dy) continue;
    grads.delete(node);
    if (isNotDifferentiable(node)) {
      const of = NOT_TWICE_DIFFERENTIABLE.get(node.name) ?? 'another op';
      throw new StateError(
        `backward: ${of} is not twice differentiable: its gradient ${node.name} has no gradient rule. ` +
          `Differentiate ${of} only once, or write the op with defineOp and a differentiable backward`,
      );
    }
    const saved = node.saved;
    if (!saved) {
      throw new StateError(
        `backward: the graph through ${node.name} was already freed by an earlier backward(); pass ` +
          `{ retainGraph: true } to the first backward() to walk the same graph twice`,
      );
    }
    checkSaved(node, saved.inputs, saved.output);
    const toSink = node.parents.map((p) => p?.sink !== undefined && run.accepts(p.sink));
    const needsGrad = node.parents.map(
      (p, i) => p !== null && (toSink[i]! || (p.node !== undefined && useful.has(p.node))),
    );
    const inputGrads = exec(() =>
      node.rule.grad(dy, {
        inputs: saved.inputs,
        output: saved.output,
        attrs: node.attrs,
        inputShapes: node.inputShapes,
        needsGrad,
      }),
    );
    node.parents.forEach((p, i) => {
      const raw = inputGrads[i];
      if (!p || !raw || !needsGrad[i]) return;
      const g = exec(() => {
        const shaped = unbroadcast(raw, node.inputShapes[i]!);
        const dtype = node.inputDTypes[i]!;
        return shaped.dtype === dtype ? shaped : cast(shaped, dtype as 'float32' | 'float64');
      });
      if (toSink[i]) exec(() => accumulate(collected, p.sink!, g));
      else exec(() => accumulate(grads, p.node!, g));
    });
    // A recorded backward pass (createGraph) reads these saved tensors again when it is differentiated.
    if (!run.retainGraph && !run.createGraph) node.saved = undefined;
  }
  return collected;
}
