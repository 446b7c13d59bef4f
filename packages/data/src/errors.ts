import { BackpropError } from '@backprop/core-tensor';

/** Where in a file a problem sits: a byte offset (binary formats) or a 1-based line and column (text formats). */
export interface DataLocation {
  /** The file, URL or name the bytes came from. */
  file?: string;
  /** Byte offset into the (decompressed) contents. */
  offset?: number;
  /** 1-based line number. */
  line?: number;
  /** 1-based column (field) number. */
  column?: number;
}

/**
 * A data source that could not be read: a missing file, a failed download, a checksum that does not match, an
 * iterable that cannot be replayed. `file` names the source when there is one.
 */
export class DataError extends BackpropError {
  /** The file, URL or name involved, if any. */
  readonly file: string | undefined;
  constructor(message: string, file?: string, options?: { cause?: unknown }) {
    super(message);
    this.file = file;
    // `cause` keeps the low-level error (ENOENT, a zlib code) for debugging without putting it in the message.
    if (options && 'cause' in options) Object.defineProperty(this, 'cause', { value: options.cause });
  }
}

/**
 * Bytes or text that do not follow their format: a wrong IDX magic number, counts that disagree with the file
 * size, truncated gzip, a CSV field that is not a number. The message and the fields name the file, the byte
 * offset or the line and column, and the problem.
 */
export class DataFormatError extends DataError {
  /** Byte offset into the (decompressed) contents, for binary formats. */
  readonly offset: number | undefined;
  /** 1-based line, for text formats. */
  readonly line: number | undefined;
  /** 1-based column (field), for text formats. */
  readonly column: number | undefined;
  constructor(problem: string, where: DataLocation, options?: { cause?: unknown }) {
    super(`${describeLocation(where)}: ${problem}`, where.file, options);
    this.offset = where.offset;
    this.line = where.line;
    this.column = where.column;
  }
}

function describeLocation(where: DataLocation): string {
  const parts = [where.file ?? '<data>'];
  if (where.line !== undefined) parts.push(`line ${where.line}`);
  if (where.column !== undefined) parts.push(`column ${where.column}`);
  if (where.offset !== undefined) parts.push(`byte offset ${where.offset}`);
  return parts.join(', ');
}
