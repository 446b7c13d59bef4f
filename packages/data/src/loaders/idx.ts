import { DataFormatError } from '../errors';
import { maybeGunzip } from '../io/gzip';
import type { DataSource } from '../io/source';
import { readBytes, sourceName } from '../io/source';

/** Element types an IDX file can declare (its third magic byte). */
export type IdxType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** The typed array holding each IDX element type. */
export type IdxValues = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A decoded IDX file: its dimensions, element type and values (row-major). */
export interface IdxArray {
  shape: number[];
  type: IdxType;
  values: IdxValues;
}

/** What `parseIdx` should insist on (MNIST images are 3-D uint8, labels 1-D uint8). */
export interface IdxExpectation {
  type?: IdxType;
  rank?: number;
}

const TYPES: Record<number, { type: IdxType; bytes: number }> = {
  0x08: { type: 'uint8', bytes: 1 },
  0x09: { type: 'int8', bytes: 1 },
  0x0b: { type: 'int16', bytes: 2 },
  0x0c: { type: 'int32', bytes: 4 },
  0x0d: { type: 'float32', bytes: 4 },
  0x0e: { type: 'float64', bytes: 8 },
};
const CODES: Record<IdxType, number> = { uint8: 8, int8: 9, int16: 11, int32: 12, float32: 13, float64: 14 };

const hex = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

function expectedMagic(e: Required<IdxExpectation>): string {
  return hex((CODES[e.type] << 8) | e.rank);
}

/**
 * Decodes the IDX format (LeCun's, used by MNIST): a big-endian magic number — two zero bytes, a type code
 * (0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64) and the number of dimensions —
 * then one big-endian uint32 per dimension, then the values. uint8 and int8 values are returned as views of
 * `bytes` (no copy); wider types are byte-swapped into a new array. A wrong magic number, a truncated header,
 * or a value count that disagrees with the file size is a `DataFormatError` naming `file` and the byte offset.
 */
export function parseIdx(bytes: Uint8Array, file = '<bytes>', expect: IdxExpectation = {}): IdxArray {
  const fail = (problem: string, offset: number): never => {
    throw new DataFormatError(problem, { file, offset });
  };
  if (bytes.length < 4) fail(`too short for an IDX header: ${bytes.length} bytes`, 0);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const wanted =
    expect.type !== undefined && expect.rank !== undefined
      ? ` (expected ${expectedMagic(expect as Required<IdxExpectation>)})`
      : '';
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    fail(
      `wrong magic number ${hex(magic)}${wanted}: not an IDX file (an IDX file starts with two zero bytes, a type ` +
        'code and the number of dimensions; a gzip file would start with 1f 8b)',
      0,
    );
  }
  const info = TYPES[bytes[2]!];
  if (!info)
    fail(`wrong magic number ${hex(magic)}${wanted}: unknown IDX type code 0x${bytes[2]!.toString(16)}`, 2);
  const { type, bytes: width } = info!;
  const rank = bytes[3]!;
  if (
    (expect.type !== undefined && expect.type !== type) ||
    (expect.rank !== undefined && expect.rank !== rank)
  ) {
    fail(`wrong magic number ${hex(magic)}${wanted}: this file holds ${rank}-D ${type} values`, 0);
  }
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    fail(
      `truncated header: ${rank} dimensions need ${headerBytes} header bytes, the file has ${bytes.length}`,
      bytes.length,
    );
  }
  const shape: number[] = [];
  for (let d = 0; d < rank; d++) shape.push(view.getUint32(4 + 4 * d));
  const count = shape.reduce((a, b) => a * b, 1);
  const dataBytes = bytes.length - headerBytes;
  if (dataBytes !== count * width) {
    fail(
      `the header declares ${shape.join(' × ')} ${type} values (${count * width} bytes), but the file has ` +
        `${dataBytes} bytes after the ${headerBytes}-byte header (${dataBytes < count * width ? 'truncated' : 'trailing data'})`,
      headerBytes + Math.min(dataBytes, count * width),
    );
  }
  return { shape, type, values: decode(bytes, view, headerBytes, count, type) };
}

function decode(bytes: Uint8Array, view: DataView, at: number, n: number, type: IdxType): IdxValues {
  switch (type) {
    case 'uint8':
      return bytes.subarray(at, at + n);
    case 'int8':
      return new Int8Array(bytes.buffer, bytes.byteOffset + at, n);
    case 'int16': {
      const out = new Int16Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt16(at + 2 * i);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt32(at + 4 * i);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(at + 4 * i);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(at + 8 * i);
      return out;
    }
  }
}

/**
 * Reads and decodes an IDX file (see `parseIdx`), gzip-compressed or not (recognised by its first bytes, not its
 * name), from a path, a URL, a Blob or bytes.
 * @example const { shape, values } = await loadIdx('mnist/train-labels-idx1-ubyte.gz'); // [60000], Uint8Array
 */
export async function loadIdx(source: DataSource, expect: IdxExpectation = {}): Promise<IdxArray> {
  const file = sourceName(source);
  return parseIdx(await maybeGunzip(await readBytes(source), file), file, expect);
}
