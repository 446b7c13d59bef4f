import type { Tensor } from '@backprop/core-tensor';
import type { Variable } from '@backprop/autograd';

/** Metric values by name (`loss`, `accuracy`, `val_loss`, …), as Keras passes them to callbacks. */
export type Logs = Record<string, number>;

/** The model interface callbacks see (kept small so callbacks do not depend on Sequential itself). */
export interface CallbackModel {
  stopTraining: boolean;
  readonly layers: readonly StepLayer[];
  readonly optimizer: { learningRate: unknown; currentLearningRate(): number } | undefined;
  getWeights(): Tensor[];
  setWeights(weights: readonly Tensor[]): void;
}

export interface StepLayer {
  readonly name: string;
  readonly className: string;
  readonly trainableWeights: readonly Variable[];
  readonly weights: readonly Variable[];
}

/**
 * What a training step can report beyond its loss: each trainable weight's gradient, each weight before the
 * update, and each layer's output. Only computed on steps where some callback asks for it (`wantsStepDetails`).
 */
export interface StepDetails {
  readonly step: number;
  readonly epoch: number;
  readonly loss: number;
  readonly grads: ReadonlyMap<Variable, Tensor>;
  readonly weightsBefore: ReadonlyMap<Variable, Tensor>;
  readonly layerOutputs: readonly Tensor[];
}

/**
 * Hooks called by `fit` (and `evaluate` / `predict` for the test and predict hooks). Override what you need;
 * each may be async. `this.model` is set before training starts.
 */
export abstract class Callback {
  model: CallbackModel | undefined;
  /** Training parameters: epochs, steps per epoch, verbose. */
  params: { epochs: number; steps: number | undefined; verbose: number } = {
    epochs: 0,
    steps: undefined,
    verbose: 0,
  };

  setModel(model: CallbackModel): void {
    this.model = model;
  }
  setParams(params: { epochs: number; steps: number | undefined; verbose: number }): void {
    this.params = params;
  }
  onTrainBegin(_logs?: Logs): void | Promise<void> {}
  onTrainEnd(_logs?: Logs): void | Promise<void> {}
  onEpochBegin(_epoch: number, _logs?: Logs): void | Promise<void> {}
  onEpochEnd(_epoch: number, _logs?: Logs): void | Promise<void> {}
  onTrainBatchBegin(_batch: number, _logs?: Logs): void | Promise<void> {}
  onTrainBatchEnd(_batch: number, _logs?: Logs): void | Promise<void> {}
  onTestBegin(_logs?: Logs): void | Promise<void> {}
  onTestEnd(_logs?: Logs): void | Promise<void> {}
  /** Return true to receive `onStepDetails` for this global step (costs extra work on that step). */
  wantsStepDetails(_step: number): boolean {
    return false;
  }
  onStepDetails(_details: StepDetails): void {}
}

/** Calls every callback in order, awaiting each. */
export class CallbackList {
  constructor(readonly callbacks: readonly Callback[]) {}

  async call<K extends 'onTrainBegin' | 'onTrainEnd' | 'onTestBegin' | 'onTestEnd'>(
    hook: K,
    logs?: Logs,
  ): Promise<void> {
    for (const c of this.callbacks) await c[hook](logs);
  }

  async callAt<K extends 'onEpochBegin' | 'onEpochEnd' | 'onTrainBatchBegin' | 'onTrainBatchEnd'>(
    hook: K,
    index: number,
    logs?: Logs,
  ): Promise<void> {
    for (const c of this.callbacks) await c[hook](index, logs);
  }

  wantsStepDetails(step: number): boolean {
    return this.callbacks.some((c) => c.wantsStepDetails(step));
  }

  stepDetails(details: StepDetails): void {
    for (const c of this.callbacks) if (c.wantsStepDetails(details.step)) c.onStepDetails(details);
  }
}
