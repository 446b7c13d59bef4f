import type { Value } from 'backprop';
import { scope, tensor, value, variableGrads } from 'backprop';
import type { ActivationKind, LossKind } from './config';
import type { Trainer } from './trainer';
import { lossOf } from './trainer';

/** One unit of the scalar network: its pre-activation z, its output a, and the gradients backward() fills. */
export interface ScalarUnit {
  /** Σ w·h + b (NaN for an input unit). */
  z: number;
  a: number;
  dz: number;
  da: number;
}

/** One layer: its units, and the weights and biases coming into it with their gradients. */
export interface ScalarLayer {
  name: string;
  /** 'input', an activation name, or 'logits' for the output layer. */
  activation: string;
  units: ScalarUnit[];
  /** w[i][j]: from unit i of the layer before to unit j of this one. */
  weights: { w: number; dw: number }[][];
  biases: { b: number; db: number }[];
}

/** One training sample's forward and backward pass through the whole network, one number at a time. */
export interface ScalarNetwork {
  point: [number, number];
  label: number;
  loss: LossKind;
  lossValue: number;
  /** The input layer first, the output (logits) layer last. */
  layers: ScalarLayer[];
  /** Values in the graph (every number the scalar engine made). */
  nodes: number;
  /** Largest |scalar − tensor| over every weight and bias gradient. */
  maxDiffVsTensor: number;
}

/** Networks with more weights than this are shown only as the tensor engine sees them. */
export const SCALAR_LIMIT = 5000;

function activate(z: Value, kind: ActivationKind): Value {
  switch (kind) {
    case 'relu':
      return z.relu();
    case 'leakyRelu':
      // z for z > 0, 0.2·z otherwise (TF's alpha, as the tensor engine's leakyRelu).
      return z.leakyRelu(0.2);
    case 'tanh':
      return z.tanh();
    case 'sigmoid':
      return z.sigmoid();
    case 'linear':
      return z;
  }
}

function lossValue(kind: LossKind, z: Value[], label: number): Value {
  // Softmax shifted by the largest logit (a constant), as the tensor engine's log-sum-exp does: no overflow.
  const m = Math.max(...z.map((v) => v.data));
  const e = z.map((v) => v.sub(m).exp());
  const sum = e.slice(1).reduce((s, v) => s.add(v), e[0]!);
  switch (kind) {
    case 'crossentropy':
      return sum.log().add(m).sub(z[label]!);
    case 'mse': {
      // Mean over classes of (softmax − one-hot)², Keras's meanSquaredError on probabilities.
      const sq = e.map((v, k) =>
        v
          .div(sum)
          .sub(k === label ? 1 : 0)
          .pow(2),
      );
      return sq
        .slice(1)
        .reduce((s, v) => s.add(v), sq[0]!)
        .div(z.length);
    }
    case 'hinge': {
      // Keras categoricalHinge: relu(max((1 − y)·z) − Σ y·z + 1); (1 − y)·z is 0 at the true class.
      let neg = value(0);
      z.forEach((v, k) => k !== label && (neg = neg.max(v)));
      return neg.sub(z[label]!).add(1).relu();
    }
  }
}

/**
 * Rebuilds the whole network for one training sample with the scalar `Value` engine (micrograd-style): every
 * weight, bias and input is a leaf, every unit a sum of products followed by its activation, then the loss.
 * `backward()` fills every gradient; each weight's is checked against the tensor engine's gradient of the same
 * loss. Returns a reason instead where the scalar view does not apply (batch norm, a network too large).
 */
export function scalarNetwork(trainer: Trainer, sample: number): ScalarNetwork | { unsupported: string } {
  const cfg = trainer.config;
  if (cfg.batchNorm)
    return { unsupported: 'The step-by-step view shows networks without batch normalization.' };
  const weightCount = trainer.model.countParams();
  if (weightCount > SCALAR_LIMIT)
    return {
      unsupported: `This network has ${weightCount} weights; the step-by-step view shows up to ${SCALAR_LIMIT}.`,
    };
  const { xs, ys } = trainer.points.train;
  const i = ((sample % ys.length) + ys.length) % ys.length;
  const point: [number, number] = [xs[2 * i]!, xs[2 * i + 1]!];
  const label = ys[i]!;

  const leaf = (v: number, name: string): Value => value(v, name);
  const inputs = point.map((v, k) => leaf(v, `x${k + 1}`));
  let h = inputs;
  const built: { a: Value[]; z: Value[]; w: Value[][]; b: Value[] }[] = [{ a: inputs, z: [], w: [], b: [] }];
  trainer.blocks.forEach((block, li) => {
    const [kernel, bias] = block[0]!.trainableWeights;
    const [nin, nout] = kernel!.shape as [number, number];
    const K = kernel!.dataSync();
    const B = bias!.dataSync();
    const w = Array.from({ length: nin }, (_, a) =>
      Array.from({ length: nout }, (_, o) => leaf(K[a * nout + o]!, `w${a + 1},${o + 1}`)),
    );
    const b = Array.from({ length: nout }, (_, o) => leaf(B[o]!, `b${o + 1}`));
    const last = li === trainer.blocks.length - 1;
    const z = b.map((bo, o) => h.reduce((acc, ha, a) => acc.add(ha.mul(w[a]![o]!)), bo));
    const a = last ? z : z.map((zo) => activate(zo, cfg.hidden[li]!.activation));
    built.push({ a, z, w, b });
    h = a;
  });
  const loss = lossValue(cfg.loss, h, label);
  loss.backward();
  const nodes = loss.topologicalOrder().length;

  // The same loss and gradients from the tensor engine (batch of one, inference mode).
  const params = trainer.blocks.flatMap((b) => b[0]!.trainableWeights);
  const tensorGrads = scope(() => {
    const { grads } = variableGrads(
      () =>
        lossOf(
          cfg.loss,
          tensor([label], [1], 'int32'),
          trainer.model.call(tensor([point], [1, 2]), { training: false }),
          trainer.points.classes,
        ),
      params,
    );
    return params.map((p) => Array.from(grads.get(p)?.dataSync() ?? []));
  });
  let maxDiff = 0;
  built.slice(1).forEach((l, li) => {
    const gk = tensorGrads[2 * li]!;
    const gb = tensorGrads[2 * li + 1]!;
    const nout = l.b.length;
    l.w.forEach((row, a) =>
      row.forEach((v, o) => (maxDiff = Math.max(maxDiff, Math.abs(v.grad - (gk[a * nout + o] ?? NaN))))),
    );
    l.b.forEach((v, o) => (maxDiff = Math.max(maxDiff, Math.abs(v.grad - (gb[o] ?? NaN)))));
  });

  const layers: ScalarLayer[] = built.map((l, li) => ({
    name: li === 0 ? 'input' : trainer.blocks[li - 1]![0]!.name,
    activation: li === 0 ? 'input' : li === built.length - 1 ? 'logits' : cfg.hidden[li - 1]!.activation,
    units: l.a.map((a, u) => ({
      z: l.z[u]?.data ?? NaN,
      a: a.data,
      dz: l.z[u]?.grad ?? NaN,
      da: a.grad,
    })),
    weights: l.w.map((row) => row.map((v) => ({ w: v.data, dw: v.grad }))),
    biases: l.b.map((v) => ({ b: v.data, db: v.grad })),
  }));
  return {
    point,
    label,
    loss: cfg.loss,
    lossValue: loss.data,
    layers,
    nodes,
    maxDiffVsTensor: maxDiff,
  };
}
