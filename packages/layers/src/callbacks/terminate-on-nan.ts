import type { Logs } from './callback';
import { Callback } from './callback';

/** Stops training at the first batch whose loss is NaN or infinite, and says which batch it was. */
export class TerminateOnNaN extends Callback {
  /** The epoch and batch where the loss stopped being finite, once it has. */
  stoppedAt: { epoch: number; batch: number } | undefined;
  #epoch = 0;

  override onEpochBegin(epoch: number): void {
    this.#epoch = epoch;
  }

  override onTrainBatchEnd(batch: number, logs: Logs = {}): void {
    const loss = logs.loss;
    if (loss !== undefined && !Number.isFinite(loss) && this.model) {
      this.stoppedAt = { epoch: this.#epoch, batch };
      console.warn(`Batch ${batch} of epoch ${this.#epoch + 1}: invalid loss ${loss}, terminating training`);
      this.model.stopTraining = true;
    }
  }
}
