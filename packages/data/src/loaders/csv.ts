import { ArgumentError } from '@backprop/core-tensor';
import { DataFormatError } from '../errors';
import { maybeGunzip } from '../io/gzip';
import type { DataSource } from '../io/source';
import { readBytes, sourceName } from '../io/source';

/** Options of `parseCsv` and `loadCsv`. */
export interface CsvOptions {
  /** The first (non-skipped) row names the columns. Default true; without it columns are named "0", "1", … */
  header?: boolean;
  /** Field separator, one character. Default `,`. */
  delimiter?: string;
  /** Lines to skip before the header or data (e.g. scikit-learn's count line). Default 0. */
  skipRows?: number;
  /** Lines starting with this string are ignored. */
  comment?: string;
  /** Columns to keep, by name or 0-based index, in the order given. Default: all but the label column. */
  columns?: (string | number)[];
  /** A column to return separately as `labels` (by name or 0-based index). */
  labelColumn?: string | number;
  /** Storage of `values`. Default float32. */
  dtype?: 'float32' | 'float64';
  /** Storage of `labels`: int32 (class ids; a non-integer is an error) by default, or float32/float64 for targets. */
  labelDtype?: 'int32' | 'float32' | 'float64';
  /** Value for empty fields; when omitted an empty field is an error. */
  missingValue?: number;
  /** The name used in error messages (`loadCsv` passes the file or URL). */
  file?: string;
}

/** Numeric CSV contents: selected columns row-major in `values`, and the label column in `labels` if requested. */
export interface CsvData {
  /** Names of the columns in `values`, in order. */
  columnNames: string[];
  numRows: number;
  /** `numRows × columnNames.length` values, row-major. */
  values: Float32Array | Float64Array;
  /** The label column, when `labelColumn` was given. */
  labels?: Int32Array | Float32Array | Float64Array;
  /** The label column's name. */
  labelName?: string;
}

interface Row {
  fields: string[];
  line: number;
}

/**
 * RFC 4180 records: fields separated by `delimiter`, optionally in double quotes (a quoted field may hold the
 * delimiter, newlines, and `""` for a quote). `line` is the 1-based line where the record starts.
 */
function* records(text: string, delimiter: string, file: string): Generator<Row> {
  const n = text.length;
  const endsField = (c: string | undefined): boolean =>
    c === undefined || c === delimiter || c === '\n' || c === '\r';
  let line = 1;
  let i = 0;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        const column = fields.length + 1;
        i++;
        for (;;) {
          if (i >= n) throw new DataFormatError('unterminated quoted field', { file, line: start, column });
          const c = text[i]!;
          i++;
          if (c === '"') {
            if (text[i] !== '"') break;
            i++; // "" inside quotes is one quote
          } else if (c === '\n') {
            line++;
          }
          field += c;
        }
        if (!endsField(text[i])) {
          throw new DataFormatError(`unexpected ${JSON.stringify(text[i])} after a closing quote`, {
            file,
            line,
            column,
          });
        }
      } else {
        let j = i;
        while (!endsField(text[j])) j++;
        field = text.slice(i, j);
        i = j;
      }
      fields.push(field);
      if (text[i] === delimiter) {
        i++;
        continue;
      }
      if (text[i] === '\r') i++;
      if (text[i] === '\n') i++;
      line++;
      break;
    }
    yield { fields, line: start };
  }
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(Infinity|inf)$|^(NaN|nan)$/;

function resolveColumn(spec: string | number, names: string[], file: string, line: number): number {
  const index = typeof spec === 'number' ? spec : names.indexOf(spec);
  if (!Number.isInteger(index) || index < 0 || index >= names.length) {
    throw new DataFormatError(
      `no column ${typeof spec === 'number' ? `with index ${spec}` : `named '${spec}'`}; the columns are ` +
        names.map((c) => `'${c}'`).join(', '),
      { file, line },
    );
  }
  return index;
}

/**
 * Parses numeric CSV text. Every kept field must be a decimal number (`Infinity` and `NaN` are accepted, hex and
 * empty fields are not, unless `missingValue` is set); columns not kept may hold anything. A malformed row — a
 * field that is not a number, a wrong number of fields, an unterminated quote — is a `DataFormatError` naming the
 * file, the line, the column (1-based, with its name) and the problem.
 * @example parseCsv('a,b,label\n1,2,0\n3,4,1', { labelColumn: 'label' }) // values [1,2,3,4], labels [0,1]
 */
export function parseCsv(text: string, options: CsvOptions = {}): CsvData {
  const file = options.file ?? '<csv>';
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new ArgumentError(
      `parseCsv: delimiter must be one character other than a quote or newline, got ${JSON.stringify(delimiter)}`,
    );
  }
  const skip = options.skipRows ?? 0;
  if (!Number.isInteger(skip) || skip < 0)
    throw new ArgumentError(`parseCsv: skipRows must be an integer ≥ 0, got ${skip}`);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a UTF-8 byte order mark is not data

  let names: string[] | undefined;
  let headerLine = 0;
  let keep: number[] = [];
  let label = -1;
  const values: number[] = [];
  const labels: number[] = [];
  const intLabels = (options.labelDtype ?? 'int32') === 'int32';

  const setup = (width: number, line: number): void => {
    names ??= Array.from({ length: width }, (_, k) => String(k));
    headerLine = line;
    label = options.labelColumn === undefined ? -1 : resolveColumn(options.labelColumn, names, file, line);
    keep = options.columns
      ? options.columns.map((c) => resolveColumn(c, names!, file, line))
      : names.map((_, k) => k).filter((k) => k !== label);
  };

  const parseField = (row: Row, k: number): number => {
    const raw = row.fields[k]!.trim();
    if (raw === '' && options.missingValue !== undefined) return options.missingValue;
    if (!NUMBER.test(raw)) {
      const problem =
        raw === ''
          ? `empty field in column '${names![k]}' (set missingValue to accept empty fields)`
          : `${JSON.stringify(raw)} in column '${names![k]}' is not a number`;
      throw new DataFormatError(problem, { file, line: row.line, column: k + 1 });
    }
    if (raw.endsWith('inf')) return raw.startsWith('-') ? -Infinity : Infinity;
    return raw === 'nan' ? NaN : Number(raw);
  };

  const hasHeader = options.header ?? true;
  let numRows = 0;
  let seen = 0;
  for (const row of records(body, delimiter, file)) {
    if (seen++ < skip) continue;
    if (row.fields.length === 1 && row.fields[0]!.trim() === '') continue; // blank line
    if (options.comment !== undefined && row.fields[0]!.startsWith(options.comment)) continue;
    if (names === undefined && hasHeader) {
      names = row.fields.map((f) => f.trim());
      setup(names.length, row.line);
      continue;
    }
    if (names === undefined) setup(row.fields.length, row.line);
    if (row.fields.length !== names!.length) {
      throw new DataFormatError(
        `expected ${names!.length} fields (as in the ${hasHeader ? 'header' : 'first row'} on line ${headerLine}), ` +
          `found ${row.fields.length}`,
        { file, line: row.line },
      );
    }
    numRows++;
    for (const k of keep) values.push(parseField(row, k));
    if (label >= 0) {
      const y = parseField(row, label);
      if (intLabels && !Number.isInteger(y)) {
        throw new DataFormatError(
          `label ${row.fields[label]!.trim()} in column '${names![label]}' is not an integer class id ` +
            "(use labelDtype: 'float32' for regression targets)",
          { file, line: row.line, column: label + 1 },
        );
      }
      labels.push(y);
    }
  }
  if (names === undefined && hasHeader)
    // Nothing at all, not even the header: a file cut to nothing or the wrong file, never an empty table.
    throw new DataFormatError(
      'no header line: the file is empty (or holds only skipped, blank or comment lines)',
      {
        file,
        line: 1,
      },
    );
  if (names === undefined) setup(0, 1);
  const columnNames = keep.map((k) => names![k]!);
  const result: CsvData = {
    columnNames,
    numRows,
    values: options.dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values),
  };
  if (label >= 0) {
    const ld = options.labelDtype ?? 'int32';
    result.labels =
      ld === 'int32'
        ? Int32Array.from(labels)
        : ld === 'float64'
          ? Float64Array.from(labels)
          : Float32Array.from(labels);
    result.labelName = names![label];
  }
  return result;
}

/**
 * Reads and parses a numeric CSV file (see `parseCsv`) from a path, a URL, a Blob or bytes; gzip-compressed
 * files are recognised by their first bytes and decompressed.
 * @example const { values, labels, columnNames } = await loadCsv('iris.csv', { labelColumn: 'species' });
 */
export async function loadCsv(source: DataSource, options: CsvOptions = {}): Promise<CsvData> {
  const file = options.file ?? sourceName(source);
  const bytes = await maybeGunzip(await readBytes(source), file);
  const text = new TextDecoder('utf-8').decode(bytes);
  return parseCsv(text, { ...options, file });
}
