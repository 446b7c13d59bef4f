import type { Logs } from './callback';
import { Callback } from './callback';

/** Records every epoch's logs; `fit` returns it. `history.loss[i]` is epoch i's training loss. */
export class History extends Callback {
  readonly epoch: number[] = [];
  readonly history: Record<string, number[]> = {};

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }
}
