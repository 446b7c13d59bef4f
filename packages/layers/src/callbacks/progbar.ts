import type { Logs } from './callback';
import { Callback } from './callback';
import { pyExp, pyFixed, pyInt } from './py-format';

/** Options of {@link Progbar}. */
export interface ProgbarArgs {
  /** Where text goes (default: process.stdout in Node, console.log elsewhere). */
  write?: (text: string) => void;
  /** Redraw one line in place, with colours and the time left (default: whether stdout is a TTY). */
  inPlace?: boolean;
  /** Cells in the bar (Keras: 20). */
  width?: number;
  /** 1: the bar; 2: one short line per epoch (Keras' `verbose=2`). Default: fit's `verbose`. */
  verbose?: 1 | 2;
  /** Least time between two redraws in place, in milliseconds (Keras: 50). */
  intervalMs?: number;
  /** Clock in milliseconds (default performance.now). */
  now?: () => number;
}

const BOLD = '\x1b[1m';
const GREEN = '\x1b[32m';
const WHITE = '\x1b[37m';
const RESET = '\x1b[0m';

/** Keras 3's time left: `%ds` up to a minute, then `%d:%02d`, then `%d:%02d:%02d` (seconds truncated). */
export function formatDuration(seconds: number): string {
  const two = (v: number): string => pyInt(v).padStart(2, '0');
  if (seconds > 3600)
    return `${pyInt(Math.floor(seconds / 3600))}:${two(Math.floor((seconds % 3600) / 60))}:${two(seconds % 60)}`;
  if (seconds > 60) return `${pyInt(Math.floor(seconds / 60))}:${two(seconds % 60)}`;
  return `${pyInt(seconds)}s`;
}

/** Keras 3's time per step: ` 6ms/step`, ` 2s/step`, ` 850us/step` (rounded to the unit). */
export function formatPerStep(seconds: number, unit = 'step'): string {
  if (seconds >= 1 || seconds === 0) return `${pyFixed(seconds, 0)}s/${unit}`;
  if (seconds >= 1e-3) return `${pyFixed(seconds * 1000, 0)}ms/${unit}`;
  return `${pyFixed(seconds * 1e6, 0)}us/${unit}`;
}

/**
 * ` - accuracy: 0.9400 - loss: 0.2000 - val_loss: 1.2000e-04`: alphabetical, 4 decimals, and Python's
 * scientific form at or below 1e-3 in magnitude, as Keras prints them. Keras' `verbose=2` line compares the
 * signed value with 1e-3 (so negative values print in scientific form there); `signed` reproduces that.
 */
export function formatLogs(logs: Logs, signed = false): string {
  return Object.keys(logs)
    .sort()
    .map((k) => {
      const v = logs[k]!;
      return ` - ${k}: ${(signed ? v : Math.abs(v)) > 1e-3 ? pyFixed(v, 4) : pyExp(v, 4)}`;
    })
    .join('');
}

/** Length of `s` as shown: escape sequences (`ESC [ … m`) take no room. */
function visibleLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\x1b') while (i < s.length && s[i] !== 'm') i++;
    else n++;
  }
  return n;
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
 * The progress bar of Keras 3's `fit(verbose=1)`, character for character (keras/src/utils/progbar.py):
 * `469/469 ━━━━━━━━━━━━━━━━━━━━ 3s 6ms/step - accuracy: 0.9400 - loss: 0.2000`. On a terminal it redraws
 * in place at most every 50 ms with the time left, the step count and times in bold and the bar in green; at the
 * epoch's end it shows the elapsed seconds and the validation metrics. Elsewhere (a log file, CI) it prints that
 * final line once per epoch, without escape codes. With `verbose: 2` it prints Keras' short form,
 * `469/469 - 3s - 6ms/step - accuracy: 0.9400 - loss: 0.2000`. The time per step leaves out the first step
 * (compilation and warm-up), as Keras does. `Epoch 1/5` heads each epoch when there is more than one.
 */
export class Progbar extends Callback {
  readonly #write: (text: string) => void;
  readonly #inPlace: boolean;
  readonly #width: number;
  readonly #verbose: 1 | 2 | undefined;
  readonly #interval: number;
  readonly #now: () => number;
  #start = 0;
  #afterFirst: number | undefined;
  #seen = 0;
  #lastUpdate = 0;
  #prevWidth = 0;

  constructor(args: ProgbarArgs = {}) {
    super();
    this.#write = args.write ?? defaultWrite();
    this.#inPlace = args.inPlace ?? defaultTTY();
    this.#width = args.width ?? 20;
    this.#verbose = args.verbose;
    this.#interval = args.intervalMs ?? 50;
    this.#now = args.now ?? (() => performance.now());
  }

  get #mode(): 1 | 2 {
    return this.#verbose ?? (this.params.verbose === 2 ? 2 : 1);
  }

  override onEpochBegin(epoch: number): void {
    this.#start = this.#now();
    this.#afterFirst = undefined;
    this.#seen = 0;
    this.#lastUpdate = 0;
    this.#prevWidth = 0;
    if (this.params.epochs > 1) this.#write(`Epoch ${epoch + 1}/${this.params.epochs}\n`);
  }

  override onTrainBatchEnd(batch: number, logs: Logs = {}): void {
    this.#update(batch + 1, logs, false);
  }

  override onEpochEnd(_epoch: number, logs: Logs = {}): void {
    // Keras finalizes at the target even when training stopped early.
    this.#update(this.params.steps ?? this.#seen, logs, true);
  }

  /** Seconds per step, leaving out the first step once there are more (Keras' `_estimate_step_duration`). */
  #perStep(current: number, now: number): number {
    if (current === 0) return 0;
    const perStep =
      this.#afterFirst !== undefined && current > 1
        ? (now - this.#afterFirst) / (current - 1)
        : (now - this.#start) / current;
    if (current === 1) this.#afterFirst = now;
    return perStep / 1000;
  }

  #update(current: number, logs: Logs, finalize: boolean): void {
    this.#seen = current;
    const now = this.#now();
    const perStep = this.#perStep(current, now);
    // An epoch of unknown length has, once it is over, as many steps as it took (Keras' ProgbarLogger).
    const target = this.params.steps ?? (finalize ? current : undefined);
    const elapsed = `${pyFixed((now - this.#start) / 1000, 0)}s`;
    if (this.#mode === 2) {
      if (!finalize) return;
      this.#write(
        `${this.#count(current, target!)} - ${elapsed} - ${formatPerStep(perStep)}${formatLogs(logs, true)}\n`,
      );
      return;
    }
    if (!this.#inPlace) {
      if (finalize) this.#write(`${this.#line(current, target, perStep, elapsed, logs, true)}\n`);
      return;
    }
    if (now - this.#lastUpdate < this.#interval && !finalize) return;
    const line = this.#line(current, target, perStep, elapsed, logs, finalize);
    // Keras erases the previous line with backspaces, then pads a shorter line with spaces.
    const visible = visibleLength(line);
    const pad = ' '.repeat(Math.max(0, this.#prevWidth - visible));
    this.#write(`${'\b'.repeat(this.#prevWidth)}\r${line}${pad}${finalize ? '\n' : ''}`);
    this.#prevWidth = visible;
    this.#lastUpdate = now;
  }

  #count(current: number, target: number): string {
    return `${String(current).padStart(String(target).length)}/${target}`;
  }

  #line(
    current: number,
    target: number | undefined,
    perStep: number,
    elapsed: string,
    logs: Logs,
    finalize: boolean,
  ): string {
    const tty = this.#inPlace;
    const bold = (s: string): string => (tty ? `${BOLD}${s}${RESET}` : s);
    let bar: string;
    if (target !== undefined && target > 0) {
      const filled = Math.trunc((this.#width * current) / target);
      const done = '━'.repeat(filled);
      const left = '━'.repeat(this.#width - filled);
      bar =
        `${bold(this.#count(current, target))} ` +
        (tty ? `${filled > 0 ? `${GREEN}${done}${RESET}` : ''}${WHITE}${left}${RESET}` : done + left);
    } else {
      bar = `${String(current).padStart(7)}/Unknown`;
    }
    const time =
      target !== undefined && target > 0 && !finalize
        ? formatDuration(perStep * (target - current))
        : elapsed;
    return `${bar} ${bold(time)} ${formatPerStep(perStep)}${formatLogs(logs)}`;
  }
}
