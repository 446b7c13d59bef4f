import type { Logs } from './callback';
import { Callback } from './callback';

export interface CSVLoggerArgs {
  separator?: string;
  /** Append to an existing file instead of overwriting it. */
  append?: boolean;
  /** Where rows go; defaults to a file at `filename` (Node only). */
  write?: (text: string, append: boolean) => void | Promise<void>;
}

/** Streams each epoch's logs to a CSV file: `epoch,<metrics in alphabetical order>`. */
export class CSVLogger extends Callback {
  readonly separator: string;
  readonly append: boolean;
  #keys: string[] | undefined;
  #first = true;
  readonly #write: (text: string, append: boolean) => void | Promise<void>;

  constructor(
    readonly filename: string,
    args: CSVLoggerArgs = {},
  ) {
    super();
    this.separator = args.separator ?? ',';
    this.append = args.append ?? false;
    this.#write =
      args.write ??
      (async (text, append) => {
        const fs = await import('node:fs/promises');
        await (append ? fs.appendFile(filename, text) : fs.writeFile(filename, text));
      });
  }

  override onTrainBegin(): void {
    this.#keys = undefined;
    this.#first = true;
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    const sep = this.separator;
    let text = '';
    if (!this.#keys) {
      this.#keys = Object.keys(logs).sort();
      if (!this.append) text += ['epoch', ...this.#keys].join(sep) + '\n';
    }
    text += [String(epoch), ...this.#keys.map((k) => String(logs[k] ?? ''))].join(sep) + '\n';
    const append = this.append || !this.#first;
    this.#first = false;
    await this.#write(text, append);
  }
}
