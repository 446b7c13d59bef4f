import type { Logs } from './callback';
import { Callback } from './callback';

export interface ProgbarArgs {
  /** Where text goes (default: process.stdout in Node, console.log elsewhere). */
  write?: (text: string) => void;
  /** Redraw one line in place (default: whether stdout is a TTY). */
  inPlace?: boolean;
  /** Cells in the bar (Keras: 20). */
  width?: number;
  now?: () => number;
}

/** Keras 3's duration style: `3s`, `1:05`, `1:02:03`. */
export function formatDuration(seconds: number): string {
  const s = Math.floor(seconds);
  if (s >= 3600)
    return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  if (s >= 60) return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  return `${s}s`;
}

export function formatPerStep(seconds: number): string {
  if (seconds >= 1) return `${Math.round(seconds)}s/step`;
  if (seconds >= 1e-3) return `${Math.round(seconds * 1e3)}ms/step`;
  return `${Math.round(seconds * 1e6)}us/step`;
}

/** ` - accuracy: 0.9400 - loss: 0.2000`, alphabetical, 4 decimals (scientific below 1e-3, as Keras). */
export function formatLogs(logs: Logs): string {
  return Object.keys(logs)
    .sort()
    .map((k) => {
      const v = logs[k]!;
      const s = Math.abs(v) > 1e-3 || v === 0 || !Number.isFinite(v) ? v.toFixed(4) : v.toExponential(4);
      return ` - ${k}: ${s}`;
    })
    .join('');
}

function defaultWrite(): (text: string) => void {
  const proc = (globalThis as { process?: { stdout?: { write(s: string): unknown } } }).process;
  if (proc?.stdout) return (t) => void proc.stdout!.write(t);
  return (t) => console.log(t.replace(/\n$/, ''));
}

function defaultTTY(): boolean {
  const proc = (globalThis as { process?: { stdout?: { isTTY?: boolean } } }).process;
  return proc?.stdout?.isTTY === true;
}

/**
 * The progress bar of Keras 3's `fit(verbose=1)`:
 * `469/469 ━━━━━━━━━━━━━━━━━━━━ 3s 6ms/step - accuracy: 0.9400 - loss: 0.2000`.
 * On a terminal it redraws in place with the time left; otherwise it prints one line per epoch.
 */
export class Progbar extends Callback {
  readonly #write: (text: string) => void;
  readonly #inPlace: boolean;
  readonly #width: number;
  readonly #now: () => number;
  #start = 0;
  #seen = 0;
  #last: Logs = {};
  #lastDraw = 0;

  constructor(args: ProgbarArgs = {}) {
    super();
    this.#write = args.write ?? defaultWrite();
    this.#inPlace = args.inPlace ?? defaultTTY();
    this.#width = args.width ?? 20;
    this.#now = args.now ?? (() => performance.now());
  }

  override onEpochBegin(epoch: number): void {
    this.#write(`Epoch ${epoch + 1}/${this.params.epochs}\n`);
    this.#start = this.#now();
    this.#seen = 0;
    this.#lastDraw = 0;
  }

  override onTrainBatchEnd(batch: number, logs: Logs = {}): void {
    this.#seen = batch + 1;
    this.#last = logs;
    if (!this.#inPlace) return;
    const t = this.#now();
    // Redrawing every batch costs more than small batches themselves; 20 frames a second is plenty.
    if (t - this.#lastDraw < 50 && this.#seen !== this.params.steps) return;
    this.#lastDraw = t;
    this.#write(`\r${this.line(false)}\x1b[K`);
  }

  override onEpochEnd(_epoch: number, logs: Logs = {}): void {
    this.#last = logs;
    this.#write(`${this.#inPlace ? '\r' : ''}${this.line(true)}${this.#inPlace ? '\x1b[K' : ''}\n`);
  }

  /** The bar for the current state; `done` shows elapsed time instead of time left. */
  line(done: boolean): string {
    const steps = this.params.steps;
    const seen = this.#seen;
    const elapsed = (this.#now() - this.#start) / 1000;
    const perStep = seen > 0 ? elapsed / seen : 0;
    const total = steps ?? seen;
    const digits = String(total).length;
    const count = steps === undefined ? `${seen}/Unknown` : `${String(seen).padStart(digits)}/${steps}`;
    const filled = steps ? Math.floor((this.#width * seen) / steps) : this.#width;
    const bar = this.#inPlace
      ? `\x1b[32m${'━'.repeat(filled)}\x1b[0m\x1b[37m${'━'.repeat(this.#width - filled)}\x1b[0m`
      : '━'.repeat(filled) + ' '.repeat(this.#width - filled);
    const time =
      done || steps === undefined ? formatDuration(elapsed) : formatDuration(perStep * (steps - seen));
    return `${count} ${bar} ${time} ${formatPerStep(perStep)}${formatLogs(this.#last)}`;
  }
}
