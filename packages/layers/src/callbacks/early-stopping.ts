import type { Tensor } from '@backprop/core-tensor';
import { ArgumentError } from '@backprop/core-tensor';
import type { Logs } from './callback';
import { Callback } from './callback';
import { isBetter, resolveMode } from './monitor';

export interface EarlyStoppingArgs {
  monitor?: string;
  /** The smallest change that counts as an improvement. */
  minDelta?: number;
  /** Epochs without improvement before stopping. */
  patience?: number;
  mode?: 'auto' | 'min' | 'max';
  /** Value the monitored metric must beat before counting starts improving. */
  baseline?: number;
  /** Restore the weights of the best epoch when stopping (or at the end). */
  restoreBestWeights?: boolean;
  /** Epochs to wait before monitoring starts. */
  startFromEpoch?: number;
}

/** Stops training when the monitored metric stops improving (Keras semantics). */
export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly baseline: number | undefined;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  wait = 0;
  stoppedEpoch = -1;
  best = NaN;
  bestEpoch = -1;
  #bestWeights: Tensor[] | undefined;

  constructor(args: EarlyStoppingArgs = {}) {
    super();
    this.monitor = args.monitor ?? 'val_loss';
    this.minDelta = Math.abs(args.minDelta ?? 0);
    this.patience = args.patience ?? 0;
    if (!Number.isInteger(this.patience) || this.patience < 0) {
      throw new ArgumentError(`EarlyStopping: patience must be a non-negative integer, got ${this.patience}`);
    }
    this.mode = resolveMode(args.mode ?? 'auto', this.monitor);
    this.baseline = args.baseline;
    this.restoreBestWeights = args.restoreBestWeights ?? false;
    this.startFromEpoch = args.startFromEpoch ?? 0;
  }

  override onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = -1;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.bestEpoch = -1;
    this.#bestWeights = undefined;
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    const current = logs[this.monitor];
    if (current === undefined || epoch < this.startFromEpoch) return;
    if (this.restoreBestWeights && this.#bestWeights === undefined)
      this.#bestWeights = this.model?.getWeights();
    this.wait++;
    if (isBetter(current, this.best, this.mode, this.minDelta)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.#bestWeights = this.model?.getWeights();
      if (this.baseline === undefined || isBetter(current, this.baseline, this.mode, this.minDelta))
        this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0 && this.model) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
    }
  }

  override onTrainEnd(): void {
    if (this.restoreBestWeights && this.#bestWeights && this.model) this.model.setWeights(this.#bestWeights);
  }
}
