import type { ValueGraph } from 'backprop';
import { losses, noGrad, scope, tensor, value, variableGrads } from 'backprop';
import type { Trainer } from './trainer';

export interface ScalarBackprop {
  /** The sample (in the scaled [-1, 1]² coordinates) and its label. */
  point: [number, number];
  label: number;
  graph: ValueGraph;
  /** Node ids in the order backward() visits them: the loss first. */
  backwardOrder: number[];
  loss: number;
  /** Largest |difference| between the scalar engine's output-weight gradients and the tensor engine's. */
  maxDiffVsTensor: number;
}

/**
 * One training sample's cross-entropy, built from single numbers with the scalar `Value` engine: the output
 * layer's weights and bias as leaves, the last hidden layer's activations (computed by the tensor engine) as
 * inputs. Backward then fills every node's gradient, which is checked against the tensor engine's gradient of
 * the same loss.
 */
export function scalarBackprop(trainer: Trainer, sample: number): ScalarBackprop {
  const { xs, ys } = trainer.points.train;
  const i = ((sample % ys.length) + ys.length) % ys.length;
  const point: [number, number] = [xs[2 * i]!, xs[2 * i + 1]!];
  const label = ys[i]!;
  const model = trainer.model;
  const out = model.layers.at(-1)!;
  const kernel = out.trainableWeights[0]!;
  const bias = out.trainableWeights[1]!;
  const hidden = noGrad(() =>
    scope(() => {
      let h = tensor([point], [1, 2]);
      for (const l of model.layers.slice(0, -1)) h = l.apply(h, { training: false });
      return Array.from(h.dataSync());
    }),
  );
  const [nin, nout] = kernel.shape as [number, number];
  const W = kernel.dataSync();
  const B = bias.dataSync();

  const h = hidden.map((v, k) => value(v, `h${k + 1}`));
  const w = Array.from({ length: nin }, (_, a) =>
    Array.from({ length: nout }, (_, b) => value(W[a * nout + b]!, `w${a + 1},${b + 1}`)),
  );
  const z = Array.from({ length: nout }, (_, b) => {
    let acc = value(B[b]!, `b${b + 1}`);
    for (let a = 0; a < nin; a++) acc = acc.add(h[a]!.mul(w[a]![b]!));
    acc.label = `z${b + 1}`;
    return acc;
  });
  // Cross-entropy from logits: log Σ exp(z) − z_label (fine for the playground's small logits).
  let sumExp = z[0]!.exp();
  for (let b = 1; b < nout; b++) sumExp = sumExp.add(z[b]!.exp());
  sumExp.label = 'Σ exp z';
  const loss = sumExp.log().sub(z[label]!);
  loss.label = 'loss';
  loss.backward();
  const graph = loss.toJSON();

  const tensorGrad = scope(() => {
    const { grads } = variableGrads(
      () =>
        losses.sparseCategoricalCrossentropy(
          tensor([label], [1], 'int32'),
          model.call(tensor([point], [1, 2]), { training: false }),
          { fromLogits: true },
        ),
      [out.trainableWeights[0]!],
    );
    return Array.from(grads.get(out.trainableWeights[0]!)!.dataSync());
  });
  let maxDiff = 0;
  for (let a = 0; a < nin; a++)
    for (let b = 0; b < nout; b++)
      maxDiff = Math.max(maxDiff, Math.abs(w[a]![b]!.grad - tensorGrad[a * nout + b]!));

  return {
    point,
    label,
    graph,
    backwardOrder: graph.nodes.map((n) => n.id).reverse(),
    loss: loss.data,
    maxDiffVsTensor: maxDiff,
  };
}
