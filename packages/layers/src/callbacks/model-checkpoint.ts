import { ArgumentError, StateError } from '@backprop/core-tensor';
import { saveModel, saveWeights } from '../io/model-io';
import { Sequential } from '../sequential';
import type { Logs } from './callback';
import { Callback } from './callback';
import { isBetter, resolveMode } from './monitor';

/** Options of {@link ModelCheckpoint} (Keras 3 names and defaults). */
export interface ModelCheckpointArgs {
  /**
   * Where to save, with Keras placeholders filled in: `{epoch}` (1-based), `{batch}` (1-based, with a numeric
   * `saveFreq`) and any log key such as `{val_loss}`, optionally formatted Python style: `{epoch:02d}`,
   * `{val_loss:.4f}`. A directory path (Node), `indexeddb://…`, or for `saveWeightsOnly` a file path.
   */
  filepath: string;
  /** The log value that `saveBestOnly` compares (default 'val_loss'). */
  monitor?: string;
  /** 1 prints a line per save or skipped improvement (default 0). */
  verbose?: 0 | 1;
  /** Save only when the monitored value improves on the best so far (default false). */
  saveBestOnly?: boolean;
  /** Save only the weights (one safetensors file) instead of the whole model (default false). */
  saveWeightsOnly?: boolean;
  /** Whether lower ('min') or higher ('max') is better; 'auto' (default) decides from the monitor's name. */
  mode?: 'auto' | 'min' | 'max';
  /** 'epoch' (default) saves at the end of each epoch; a number n saves every n training batches. */
  saveFreq?: 'epoch' | number;
  /** With `saveBestOnly`, the value to beat before the first save (default: none). */
  initialValueThreshold?: number;
  /** Save the optimizer state with the model, for an exact resume (default true). */
  includeOptimizer?: boolean;
}

/**
 * Saves the model (or its weights) during training, atomically, so a crash mid-save never costs the previous
 * checkpoint. With `saveBestOnly`, only improvements of `monitor` are saved.
 * @example
 * new ModelCheckpoint({ filepath: 'ckpt/epoch-{epoch:02d}-{val_loss:.3f}', saveBestOnly: true })
 */
export class ModelCheckpoint extends Callback {
  readonly filepath: string;
  readonly monitor: string;
  readonly verbose: 0 | 1;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly mode: 'min' | 'max';
  readonly saveFreq: 'epoch' | number;
  readonly includeOptimizer: boolean;
  /** The best monitored value saved so far (kept across `fit` calls, as in Keras). */
  best: number;
  /** Paths written so far, in order. */
  readonly saved: string[] = [];
  #epoch = 0;
  #batchesSinceSave = 0;
  #warned = false;

  constructor(args: ModelCheckpointArgs) {
    super();
    if (typeof args?.filepath !== 'string' || args.filepath.length === 0)
      throw new ArgumentError('ModelCheckpoint: filepath must be a non-empty string');
    formatFilepath(args.filepath, {}, true);
    this.filepath = args.filepath;
    this.monitor = args.monitor ?? 'val_loss';
    this.verbose = args.verbose ?? 0;
    this.saveBestOnly = args.saveBestOnly ?? false;
    this.saveWeightsOnly = args.saveWeightsOnly ?? false;
    this.mode = resolveMode(args.mode ?? 'auto', this.monitor);
    const freq = args.saveFreq ?? 'epoch';
    if (freq !== 'epoch' && !(Number.isInteger(freq) && freq > 0))
      throw new ArgumentError(
        `ModelCheckpoint: saveFreq must be 'epoch' or a positive integer, got ${String(freq)}`,
      );
    this.saveFreq = freq;
    this.includeOptimizer = args.includeOptimizer ?? true;
    this.best = args.initialValueThreshold ?? (this.mode === 'min' ? Infinity : -Infinity);
  }

  override onEpochBegin(epoch: number): void {
    this.#epoch = epoch;
  }

  override async onTrainBatchEnd(batch: number, logs: Logs = {}): Promise<void> {
    if (this.saveFreq === 'epoch' || ++this.#batchesSinceSave < this.saveFreq) return;
    this.#batchesSinceSave = 0;
    await this.#maybeSave(this.#epoch, batch, logs);
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    if (this.saveFreq === 'epoch') await this.#maybeSave(epoch, undefined, logs);
  }

  async #maybeSave(epoch: number, batch: number | undefined, logs: Logs): Promise<void> {
    const values: Record<string, number> = { ...logs, epoch: epoch + 1 };
    if (batch !== undefined) values.batch = batch + 1;
    const path = formatFilepath(this.filepath, values);
    if (this.saveBestOnly) {
      const current = logs[this.monitor];
      if (current === undefined) {
        if (!this.#warned)
          console.warn(
            `ModelCheckpoint: can save best model only with ${this.monitor} available (have: ` +
              `${Object.keys(logs).join(', ') || 'nothing'}); skipping`,
          );
        this.#warned = true;
        return;
      }
      if (!isBetter(current, this.best, this.mode, 0)) {
        if (this.verbose)
          console.log(`Epoch ${epoch + 1}: ${this.monitor} did not improve from ${this.best}`);
        return;
      }
      if (this.verbose)
        console.log(
          `Epoch ${epoch + 1}: ${this.monitor} improved from ${this.best} to ${current}, saving to ${path}`,
        );
      this.best = current;
    } else if (this.verbose) console.log(`Epoch ${epoch + 1}: saving model to ${path}`);
    await this.#save(path);
  }

  async #save(path: string): Promise<void> {
    const model = this.model;
    if (!(model instanceof Sequential))
      throw new StateError('ModelCheckpoint: needs a Sequential model (set by fit, or by setModel)');
    if (this.saveWeightsOnly) await saveWeights(model, path);
    else await saveModel(model, path, { includeOptimizer: this.includeOptimizer });
    this.saved.push(path);
  }
}

const PLACEHOLDER = /\{\{|\}\}|\{([A-Za-z_][\w]*)(?::([^{}]*))?\}/g;
const SPEC = /^(0)?(\d+)?(?:\.(\d+))?([dfe])?$/;

/**
 * Fills Keras/Python-style placeholders: `{epoch:02d}` → `03`, `{val_loss:.2f}` → `0.12`, `{{` → `{`.
 * Unknown names are an error listing the known ones. `checkOnly` validates the template's syntax only.
 */
export function formatFilepath(template: string, values: Record<string, number>, checkOnly = false): string {
  return template.replace(PLACEHOLDER, (whole, name: string | undefined, spec: string | undefined) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    const m = SPEC.exec(spec ?? '');
    if (!m)
      throw new ArgumentError(
        `ModelCheckpoint: unsupported format "${whole}" (use e.g. {epoch:02d}, {loss:.4f})`,
      );
    if (checkOnly) return '';
    const value = values[name!];
    if (value === undefined)
      throw new ArgumentError(
        `ModelCheckpoint: filepath uses {${name}} but the logs have ${Object.keys(values).sort().join(', ')}`,
      );
    const [, zero, width, precision, type] = m;
    let text =
      type === 'd'
        ? String(Math.round(value))
        : type === 'e'
          ? value.toExponential(Number(precision ?? 6))
          : type === 'f' || precision !== undefined
            ? value.toFixed(Number(precision ?? 6))
            : String(value);
    const w = Number(width ?? 0);
    if (text.length < w)
      text =
        zero && /^-/.test(text)
          ? '-' + text.slice(1).padStart(w - 1, '0')
          : text.padStart(w, zero ? '0' : ' ');
    return text;
  });
}
