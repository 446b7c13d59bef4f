import { ArgumentError, StateError } from '@backprop/core-tensor';
import type { Logs } from './callback';
import { Callback } from './callback';
import { isBetter, resolveMode } from './monitor';

function setLr(cb: Callback, lr: number, who: string): void {
  const opt = cb.model?.optimizer;
  if (!opt) throw new StateError(`${who}: the model has no optimizer (compile it first)`);
  if (!Number.isFinite(lr))
    throw new ArgumentError(`${who}: learning rate must be a finite number, got ${lr}`);
  opt.learningRate = lr;
}

/** Sets the learning rate at the start of every epoch to `schedule(epoch, currentLr)` (Keras semantics). */
export class LearningRateScheduler extends Callback {
  constructor(
    readonly schedule: (epoch: number, lr: number) => number,
    readonly verbose = 0,
  ) {
    super();
  }

  override onEpochBegin(epoch: number): void {
    const current = this.model?.optimizer?.currentLearningRate() ?? NaN;
    const lr = this.schedule(epoch, current);
    setLr(this, lr, 'LearningRateScheduler');
    if (this.verbose > 0)
      console.log(`\nEpoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${lr}.`);
  }

  override onEpochEnd(_epoch: number, logs?: Logs): void {
    if (logs) logs.learning_rate = this.model?.optimizer?.currentLearningRate() ?? NaN;
  }
}

export interface ReduceLROnPlateauArgs {
  monitor?: string;
  /** New lr = lr · factor (must be < 1). */
  factor?: number;
  patience?: number;
  mode?: 'auto' | 'min' | 'max';
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again. */
  cooldown?: number;
  minLr?: number;
  verbose?: number;
}

/** Multiplies the learning rate by `factor` when the monitored metric has stopped improving for `patience` epochs. */
export class ReduceLROnPlateau extends Callback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  readonly verbose: number;
  best = NaN;
  wait = 0;
  cooldownCounter = 0;

  constructor(args: ReduceLROnPlateauArgs = {}) {
    super();
    this.monitor = args.monitor ?? 'val_loss';
    this.factor = args.factor ?? 0.1;
    if (!(this.factor < 1))
      throw new ArgumentError(`ReduceLROnPlateau: factor must be < 1, got ${this.factor}`);
    this.patience = args.patience ?? 10;
    this.mode = resolveMode(args.mode ?? 'auto', this.monitor);
    this.minDelta = args.minDelta ?? 1e-4;
    this.cooldown = args.cooldown ?? 0;
    this.minLr = args.minLr ?? 0;
    this.verbose = args.verbose ?? 0;
  }

  override onTrainBegin(): void {
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.wait = 0;
    this.cooldownCounter = 0;
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    const lr = this.model?.optimizer?.currentLearningRate() ?? NaN;
    logs.learning_rate = lr;
    const current = logs[this.monitor];
    if (current === undefined) return;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.wait = 0;
    }
    if (isBetter(current, this.best, this.mode, this.minDelta)) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownCounter <= 0) {
      this.wait++;
      if (this.wait >= this.patience && lr > this.minLr) {
        const next = Math.max(lr * this.factor, this.minLr);
        setLr(this, next, 'ReduceLROnPlateau');
        if (this.verbose > 0)
          console.log(`\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${next}.`);
        this.cooldownCounter = this.cooldown;
        this.wait = 0;
      }
    }
  }
}
