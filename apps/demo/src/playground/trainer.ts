import type { Tensor, Variable } from 'backprop';
import {
  argmax,
  data,
  equal,
  gather,
  keep,
  layers,
  losses,
  noGrad,
  optimizers,
  scope,
  setSeed,
  softmax,
  tensor,
  variableGrads,
} from 'backprop';
import type { LossKind, PlaygroundConfig } from './config';
import type { Points2D } from './datasets';
import { makePoints } from './datasets';

/** One Dense layer's health at one step (batch-norm parameters count with the Dense layer before them). */
export interface LayerStat {
  name: string;
  gradNorm: number;
  weightNorm: number;
  /** ‖ΔW‖ / ‖W‖ of this step's update; about 1e-3 is healthy. */
  updateRatio: number;
}

export interface StepStat {
  step: number;
  /** Loss of this step's batch (noisy with small batches). */
  batchLoss: number;
  layers: LayerStat[];
}

export interface EvalStat {
  step: number;
  trainLoss: number;
  trainAcc: number;
  testLoss: number;
  testAcc: number;
}

/** The two classic mistakes next to the scaled initializers: stddev fixed whatever the layer's width. */
export const SMALL_STDDEV = 0.01;
export const LARGE_STDDEV = 1.5;

function initializer(c: PlaygroundConfig): layers.InitializerId {
  // "small" shrinks the signal layer after layer (vanishing); "large" multiplies it (exploding).
  if (c.initializer === 'small') return { className: 'RandomNormal', config: { stddev: SMALL_STDDEV } };
  if (c.initializer === 'large') return { className: 'RandomNormal', config: { stddev: LARGE_STDDEV } };
  return c.initializer;
}

/** The network, its layers grouped per Dense block, and where each block's output (after its activation) is. */
interface Network {
  model: layers.Sequential;
  blocks: layers.Layer[][];
  /** blockEnds[i]: index in model.layers of the layer whose output is block i's activation. */
  blockEnds: number[];
}

function buildNetwork(c: PlaygroundConfig, classes: number): Network {
  const model = new layers.Sequential({ name: 'playground' });
  const blocks: layers.Layer[][] = [];
  const blockEnds: number[] = [];
  const kernelInitializer = initializer(c);
  c.hidden.forEach((h, i) => {
    const block: layers.Layer[] = [];
    const dense = new layers.Dense({
      units: h.units,
      activation: c.batchNorm ? null : h.activation,
      kernelInitializer,
      name: `hidden_${i + 1}`,
      ...(i === 0 ? { inputShape: [2] } : {}),
    });
    block.push(dense);
    model.add(dense);
    if (c.batchNorm) {
      const bn = new layers.BatchNormalization({ name: `bn_${i + 1}` });
      const act = new layers.Activation({ activation: h.activation, name: `act_${i + 1}` });
      model.add(bn);
      model.add(act);
      block.push(bn);
    }
    blocks.push(block);
    blockEnds.push(model.layers.length - 1);
  });
  const out = new layers.Dense({
    units: classes,
    kernelInitializer,
    name: 'output',
    ...(c.hidden.length === 0 ? { inputShape: [2] } : {}),
  });
  model.add(out);
  blocks.push([out]);
  blockEnds.push(model.layers.length - 1);
  model.build([null, 2]);
  return { model, blocks, blockEnds };
}

function buildOptimizer(c: PlaygroundConfig): optimizers.Optimizer {
  const common = { learningRate: c.lr, ...(c.clip > 0 ? { globalClipnorm: c.clip } : {}) };
  switch (c.optimizer) {
    case 'sgd':
      return new optimizers.SGD(common);
    case 'momentum':
      return new optimizers.SGD({ ...common, momentum: 0.9 });
    case 'rmsprop':
      return new optimizers.RMSprop(common);
    case 'adam':
      return new optimizers.Adam(common);
    case 'adamw':
      return new optimizers.AdamW(common);
  }
}

/** The loss of logits against integer labels, for each loss the playground offers. */
export function lossOf(kind: LossKind, labels: Tensor, logits: Tensor, classes: number): Tensor {
  switch (kind) {
    case 'crossentropy':
      return losses.sparseCategoricalCrossentropy(labels, logits, { fromLogits: true });
    case 'mse':
      // Squared error between the softmax probabilities and one-hot targets: the classic slow learner, because
      // a confidently wrong softmax has a tiny gradient.
      return losses.meanSquaredError(data.oneHot(labels, classes), softmax(logits));
    case 'hinge':
      return losses.categoricalHinge(data.oneHot(labels, classes), logits);
  }
}

const sumSq = (v: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return s;
};

/** Cell centres of a `res`×`res` grid over [-extent, extent]², row by row from the top: x0, y0, x1, y1, … */
export function gridPoints(res: number, extent = 1.25): Float32Array {
  const pts = new Float32Array(res * res * 2);
  for (let r = 0; r < res; r++)
    for (let c = 0; c < res; c++) {
      pts[2 * (r * res + c)] = -extent + (2 * extent * (c + 0.5)) / res;
      pts[2 * (r * res + c) + 1] = extent - (2 * extent * (r + 0.5)) / res;
    }
  return pts;
}

/**
 * A seeded training session on 2-D points: one gradient step at a time, with every number the charts need.
 * Pure TypeScript over backprop's public API, so it runs (and is tested) in Node as in the page.
 */
export class Trainer {
  readonly config: PlaygroundConfig;
  readonly points: Points2D;
  readonly model: layers.Sequential;
  readonly blocks: layers.Layer[][];
  readonly blockEnds: number[];
  readonly optimizer: optimizers.Optimizer;
  readonly steps: StepStat[] = [];
  readonly evals: EvalStat[] = [];
  /**
   * The last step's numbers per block, input side first: each unit's output after its activation for every
   * sample of the batch, and ∂L/∂W of the block's kernel (what the histograms show).
   */
  lastActivations: Float32Array[] = [];
  lastGradients: Float32Array[] = [];
  /** The first step and place where a loss, gradient or weight stopped being finite. */
  firstNonFinite: { step: number; layer: string } | undefined;
  step = 0;
  #order: number[] = [];
  #cursor = 0;
  #rand: () => number;
  readonly #xTrain: Tensor;
  readonly #yTrain: Tensor;
  readonly #xTest: Tensor;
  readonly #yTest: Tensor;

  constructor(config: PlaygroundConfig, points?: Points2D) {
    this.config = config;
    this.points = points ?? makePoints(config);
    setSeed(config.seed);
    const built = buildNetwork(config, this.points.classes);
    this.model = built.model;
    this.blocks = built.blocks;
    this.blockEnds = built.blockEnds;
    this.optimizer = buildOptimizer(config);
    const { train, test } = this.points;
    this.#xTrain = keep(tensor(train.xs, [train.ys.length, 2]));
    this.#yTrain = keep(tensor(train.ys, [train.ys.length], 'int32'));
    this.#xTest = keep(tensor(test.xs, [test.ys.length, 2]));
    this.#yTest = keep(tensor(test.ys, [test.ys.length], 'int32'));
    let s = (config.seed ^ 0x9e3779b9) >>> 0;
    this.#rand = () => {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  get trainSize(): number {
    return this.points.train.ys.length;
  }

  get batchSize(): number {
    const b = this.config.batchSize;
    return b <= 0 || b >= this.trainSize ? this.trainSize : b;
  }

  get diverged(): boolean {
    return this.firstNonFinite !== undefined;
  }

  /** The next batch's row numbers: a new shuffled order each epoch. */
  #nextBatch(): number[] {
    const n = this.trainSize;
    const b = this.batchSize;
    if (b === n) return Array.from({ length: n }, (_, i) => i);
    const rows: number[] = [];
    while (rows.length < b) {
      if (this.#cursor >= this.#order.length) {
        this.#order = Array.from({ length: n }, (_, i) => i);
        for (let i = n - 1; i > 0; i--) {
          const j = Math.floor(this.#rand() * (i + 1));
          [this.#order[i], this.#order[j]] = [this.#order[j]!, this.#order[i]!];
        }
        this.#cursor = 0;
      }
      rows.push(this.#order[this.#cursor++]!);
    }
    return rows;
  }

  #blockWeights(): Variable[][] {
    return this.blocks.map((b) => b.flatMap((l) => l.trainableWeights));
  }

  /** One gradient step: forward, loss, backward, optimizer update, and the per-layer statistics. */
  trainStep(): StepStat {
    const rows = this.#nextBatch();
    const classes = this.points.classes;
    const blockWeights = this.#blockWeights();
    const stat = scope(() => {
      const idx = tensor(rows, [rows.length], 'int32');
      const x = gather(this.#xTrain, idx);
      const y = gather(this.#yTrain, idx);
      const outputs: Tensor[] = [];
      const { value, grads } = variableGrads(() => {
        // Layer by layer (what Sequential.call does), keeping each block's activations for the histograms.
        let h = x;
        this.model.layers.forEach((l, i) => {
          h = l.apply(h, { training: true });
          if (this.blockEnds.includes(i)) outputs.push(h);
        });
        return lossOf(this.config.loss, y, h, classes);
      });
      this.lastActivations = outputs.map((o) => Float32Array.from(o.dataSync()));
      this.lastGradients = this.blocks.map((b) => {
        const g = grads.get(b[0]!.trainableWeights[0]!);
        return g ? Float32Array.from(g.dataSync()) : new Float32Array(0);
      });
      const before = blockWeights.map((ws) => ws.map((w) => Float32Array.from(w.dataSync())));
      const gradNorms = blockWeights.map((ws) =>
        Math.sqrt(ws.reduce((s, w) => s + (grads.get(w) ? sumSq(grads.get(w)!.dataSync()) : 0), 0)),
      );
      const pairs: [Tensor, Variable][] = [];
      for (const [w, g] of grads) pairs.push([g, w]);
      noGrad(() => this.optimizer.applyGradients(pairs));
      const layerStats: LayerStat[] = blockWeights.map((ws, i) => {
        let w2 = 0;
        let d2 = 0;
        ws.forEach((w, j) => {
          const a = before[i]![j]!;
          const b = w.dataSync();
          for (let k = 0; k < a.length; k++) {
            w2 += a[k]! * a[k]!;
            d2 += (b[k]! - a[k]!) ** 2;
          }
        });
        const weightNorm = Math.sqrt(w2);
        return {
          name: this.blocks[i]![0]!.name,
          gradNorm: gradNorms[i]!,
          weightNorm,
          updateRatio: weightNorm > 0 ? Math.sqrt(d2) / weightNorm : NaN,
        };
      });
      return { step: this.step, batchLoss: value.item(), layers: layerStats };
    });
    this.#checkFinite(stat);
    this.steps.push(stat);
    this.step++;
    return stat;
  }

  #checkFinite(stat: StepStat): void {
    if (this.firstNonFinite) return;
    if (!Number.isFinite(stat.batchLoss)) {
      this.firstNonFinite = { step: stat.step, layer: this.#firstNonFiniteOutput() ?? 'loss' };
      return;
    }
    // Backprop runs from the output back to the input: report the first layer it reaches with a bad value.
    for (let i = stat.layers.length - 1; i >= 0; i--) {
      const l = stat.layers[i]!;
      if (!Number.isFinite(l.gradNorm) || !Number.isFinite(l.weightNorm) || !Number.isFinite(l.updateRatio)) {
        this.firstNonFinite = { step: stat.step, layer: l.name };
        return;
      }
    }
  }

  /** Which layer's forward output first holds a NaN or ±Inf on the training set (the loss went bad there). */
  #firstNonFiniteOutput(): string | undefined {
    return noGrad(() =>
      scope(() => {
        let h = this.#xTrain;
        for (const l of this.model.layers) {
          h = l.apply(h, { training: false });
          if (!h.dataSync().every(Number.isFinite)) return `${l.name} (forward)`;
        }
        return undefined;
      }),
    );
  }

  #lossAcc(x: Tensor, y: Tensor): { loss: number; acc: number } {
    return noGrad(() =>
      scope(() => {
        const logits = this.model.call(x, { training: false });
        const loss = lossOf(this.config.loss, y, logits, this.points.classes).item();
        const acc = equal(argmax(logits, -1).cast('int32'), y).cast('float32').mean().item();
        return { loss, acc };
      }),
    );
  }

  evaluate(): EvalStat {
    const tr = this.#lossAcc(this.#xTrain, this.#yTrain);
    const te = this.#lossAcc(this.#xTest, this.#yTest);
    const e = { step: this.step, trainLoss: tr.loss, trainAcc: tr.acc, testLoss: te.loss, testAcc: te.acc };
    this.evals.push(e);
    return e;
  }

  /** Trains `n` steps (stopping at the first non-finite value), evaluating every `evalEvery` steps. */
  run(n: number, evalEvery = 10): void {
    for (let i = 0; i < n && !this.diverged; i++) {
      this.trainStep();
      if (this.step % evalEvery === 0) this.evaluate();
    }
  }

  /**
   * Class probabilities on a `res`×`res` grid over [-extent, extent]², row by row from the top (y = +extent):
   * `probs[(row * res + col) * classes + k]`.
   */
  grid(res: number, extent = 1.25): Float32Array {
    const pts = gridPoints(res, extent);
    return noGrad(() =>
      scope(() =>
        Float32Array.from(
          softmax(this.model.call(tensor(pts, [res * res, 2]), { training: false }), -1).dataSync(),
        ),
      ),
    );
  }

  /**
   * One unit's output on the same grid as {@link grid}: `block` counts Dense blocks from the input side, the
   * hidden ones give the unit's activation, the output block gives the class probability `unit`.
   */
  unitGrid(block: number, unit: number, res: number, extent = 1.25): Float32Array {
    const last = block >= this.blocks.length - 1;
    if (last) {
      const k = this.points.classes;
      const probs = this.grid(res, extent);
      return Float32Array.from({ length: res * res }, (_, i) => probs[i * k + unit]!);
    }
    const pts = gridPoints(res, extent);
    const end = this.blockEnds[block]!;
    return noGrad(() =>
      scope(() => {
        let h = tensor(pts, [res * res, 2]);
        for (const l of this.model.layers.slice(0, end + 1)) h = l.apply(h, { training: false });
        const units = h.shape[1]!;
        const all = h.dataSync();
        return Float32Array.from({ length: res * res }, (_, i) => all[i * units + unit]!);
      }),
    );
  }

  /** Each Dense layer's kernel as [in][out] numbers, for drawing the network. */
  kernels(): { shape: [number, number]; values: Float32Array }[] {
    return this.blocks.map((b) => {
      const k = b[0]!.trainableWeights[0]!;
      return { shape: [k.shape[0]!, k.shape[1]!], values: Float32Array.from(k.dataSync()) };
    });
  }

  dispose(): void {
    for (const t of [this.#xTrain, this.#yTrain, this.#xTest, this.#yTest]) t.dispose();
  }
}
