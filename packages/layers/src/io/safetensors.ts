/**
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian header length N, N bytes of JSON
 * `{ name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__": { string: string } }`, then the tensor
 * bytes, little-endian, row-major, offsets relative to the end of the header, covering the data exactly once.
 */
import { ArgumentError, StateError } from '@backprop/core-tensor';
import { SafetensorsError } from './errors';
import { isRecord, parseUntrustedJson } from './json';

/** The element types of the format. backprop tensors use F32, F64, I32 and BOOL; the rest are read as raw bytes. */
export type SafetensorsDType =
  'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U64' | 'U32' | 'U16' | 'U8' | 'BOOL';

const ELEMENT_BYTES: Readonly<Record<SafetensorsDType, number>> = {
  F64: 8,
  I64: 8,
  U64: 8,
  F32: 4,
  I32: 4,
  U32: 4,
  F16: 2,
  BF16: 2,
  I16: 2,
  U16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};

/** Bytes per element of a safetensors dtype. */
export function safetensorsElementBytes(dtype: SafetensorsDType): number {
  return ELEMENT_BYTES[dtype];
}

/** One tensor of a file: its dtype, shape and raw little-endian bytes (a view into the file when decoded). */
export interface SafetensorsTensor {
  dtype: SafetensorsDType;
  shape: readonly number[];
  data: Uint8Array;
}

/** What {@link encodeSafetensors} accepts per tensor: any typed array (or bytes) of exactly the right length. */
export interface SafetensorsTensorInput {
  dtype: SafetensorsDType;
  shape: readonly number[];
  data: ArrayBufferView;
}

/** A decoded file: tensors in file order, and the `__metadata__` strings (a null-prototype object). */
export interface SafetensorsFile {
  tensors: Map<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

/** The largest header the reader accepts, as the reference implementation (100 MB). */
export const MAX_HEADER_BYTES = 100_000_000;

const ENTRY_KEYS = new Set(['dtype', 'shape', 'data_offsets']);

const isDType = (x: unknown): x is SafetensorsDType =>
  typeof x === 'string' && Object.prototype.hasOwnProperty.call(ELEMENT_BYTES, x);

const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

/** Element count of a shape, or undefined if it is not a list of counts or overflows a safe integer. */
function elementCount(shape: unknown): number | undefined {
  if (!Array.isArray(shape)) return undefined;
  let n = 1;
  for (const d of shape as unknown[]) {
    if (!isCount(d)) return undefined;
    n *= d;
    if (!Number.isSafeInteger(n)) return undefined;
  }
  return n;
}

function checkMetadata(metadata: unknown): Record<string, string> {
  if (!isRecord(metadata))
    throw new SafetensorsError('invalid-metadata', '__metadata__ must be an object of strings');
  const out = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string' || k === '__proto__')
      throw new SafetensorsError(
        'invalid-metadata',
        `__metadata__ values must be strings; "${k}" is ${JSON.stringify(v)}`,
      );
    out[k] = v;
  }
  return out;
}

function checkName(name: string): void {
  if (name === '__metadata__' || name === '__proto__' || name.length === 0)
    throw new SafetensorsError('invalid-name', `${JSON.stringify(name)} cannot name a tensor`);
}

/**
 * Encodes tensors as a safetensors file. The header is padded with spaces to a multiple of 8 bytes and the
 * tensors are laid out widest dtype first, so every tensor starts at a multiple of its element size and a reader
 * can view it as a typed array without copying.
 * @example
 * const bytes = encodeSafetensors({ w: { dtype: 'F32', shape: [2], data: new Float32Array([1, 2]) } });
 */
export function encodeSafetensors(
  tensors: Iterable<readonly [string, SafetensorsTensorInput]> | Record<string, SafetensorsTensorInput>,
  metadata?: Record<string, string>,
): Uint8Array {
  const list: [string, SafetensorsTensorInput][] = [];
  const seen = new Set<string>();
  const source: Iterable<readonly [string, SafetensorsTensorInput]> =
    Symbol.iterator in tensors ? tensors : Object.entries(tensors);
  for (const [name, t] of source) {
    checkName(name);
    if (seen.has(name)) throw new SafetensorsError('invalid-name', `two tensors are named "${name}"`);
    seen.add(name);
    if (!isDType(t.dtype))
      throw new SafetensorsError('unknown-dtype', `"${name}": unknown dtype ${String(t.dtype)}`);
    const count = elementCount(t.shape);
    if (count === undefined)
      throw new SafetensorsError('invalid-shape', `"${name}": invalid shape ${JSON.stringify(t.shape)}`);
    if (!ArrayBuffer.isView(t.data) || t.data.byteLength !== count * ELEMENT_BYTES[t.dtype])
      throw new SafetensorsError(
        'size-mismatch',
        `"${name}": ${t.dtype} [${t.shape.join(',')}] needs ${count * ELEMENT_BYTES[t.dtype]} bytes, ` +
          `got ${ArrayBuffer.isView(t.data) ? t.data.byteLength : 'no typed array'}`,
      );
    if (ELEMENT_BYTES[t.dtype] > 1) assertLittleEndian();
    list.push([name, t]);
  }
  // Widest first keeps every tensor aligned to its element size; the sort is stable, so order is otherwise kept.
  list.sort((a, b) => ELEMENT_BYTES[b[1].dtype] - ELEMENT_BYTES[a[1].dtype]);

  const header = Object.create(null) as Record<string, unknown>;
  if (metadata !== undefined) header.__metadata__ = checkMetadata(metadata);
  let offset = 0;
  for (const [name, t] of list) {
    const end = offset + t.data.byteLength;
    header[name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, end] };
    offset = end;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + padded + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);
  let at = 8 + padded;
  for (const [, t] of list) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

interface Entry {
  name: string;
  dtype: SafetensorsDType;
  shape: number[];
  begin: number;
  end: number;
}

function readEntry(name: string, value: unknown, dataLength: number): Entry {
  if (!isRecord(value))
    throw new SafetensorsError('invalid-entry', `"${name}" must be {dtype, shape, data_offsets}`);
  const extra = Object.keys(value).filter((k) => !ENTRY_KEYS.has(k));
  if (extra.length > 0)
    throw new SafetensorsError('invalid-entry', `"${name}" has unknown keys: ${extra.join(', ')}`);
  const { dtype, shape, data_offsets: offsets } = value;
  if (!isDType(dtype))
    throw new SafetensorsError(
      'unknown-dtype',
      `"${name}": unknown dtype ${JSON.stringify(dtype)}; known: ${Object.keys(ELEMENT_BYTES).join(', ')}`,
    );
  const count = elementCount(shape);
  if (count === undefined)
    throw new SafetensorsError(
      'invalid-shape',
      `"${name}": shape must be a list of non-negative integers, got ${JSON.stringify(shape)}`,
    );
  if (!Array.isArray(offsets) || offsets.length !== 2 || !isCount(offsets[0]) || !isCount(offsets[1]))
    throw new SafetensorsError(
      'invalid-offsets',
      `"${name}": data_offsets must be [begin, end], got ${JSON.stringify(offsets)}`,
    );
  const [begin, end] = offsets as [number, number];
  if (begin > end)
    throw new SafetensorsError(
      'invalid-offsets',
      `"${name}": data_offsets [${begin}, ${end}] end before begin`,
    );
  const need = count * ELEMENT_BYTES[dtype];
  if (end - begin !== need)
    throw new SafetensorsError(
      'size-mismatch',
      `"${name}": ${dtype} [${(shape as number[]).join(',')}] needs ${need} bytes but data_offsets ` +
        `[${begin}, ${end}] hold ${end - begin}`,
    );
  if (end > dataLength)
    throw new SafetensorsError(
      'out-of-range',
      `"${name}" ends at byte ${end} of the data section, which has only ${dataLength} bytes (truncated file?)`,
    );
  return { name, dtype, shape: [...(shape as number[])], begin, end };
}

/**
 * Decodes and validates a safetensors file without copying tensor data (each `data` is a view into `bytes`).
 * Everything is checked before anything is returned, and nothing is allocated beyond the size of `bytes`:
 * a malformed file throws a {@link SafetensorsError} whose `reason` names the problem.
 */
export function decodeSafetensors(
  bytes: Uint8Array,
  options: { maxHeaderBytes?: number } = {},
): SafetensorsFile {
  if (!(bytes instanceof Uint8Array))
    throw new ArgumentError('decodeSafetensors: expected a Uint8Array of the file bytes');
  if (bytes.byteLength < 8)
    throw new SafetensorsError(
      'too-short',
      `the file has ${bytes.byteLength} bytes; the header length alone takes 8`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lo = view.getUint32(0, true);
  const hi = view.getUint32(4, true);
  const max = options.maxHeaderBytes ?? MAX_HEADER_BYTES;
  if (hi !== 0 || lo > max)
    throw new SafetensorsError(
      'header-too-large',
      `the header claims ${hi * 2 ** 32 + lo} bytes, above the limit of ${max} (not a safetensors file?)`,
    );
  const headerEnd = 8 + lo;
  if (headerEnd > bytes.byteLength)
    throw new SafetensorsError(
      'truncated',
      `the header claims ${lo} bytes but the file has only ${bytes.byteLength - 8} after the length`,
    );
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, headerEnd));
  } catch {
    throw new SafetensorsError('invalid-header', 'the header is not valid UTF-8');
  }
  const parsed = parseUntrustedJson(
    text,
    (kind, message) =>
      new SafetensorsError(kind === 'forbidden-key' ? 'forbidden-key' : 'invalid-header', message),
  );
  if (!isRecord(parsed))
    throw new SafetensorsError('header-not-object', `the header must be a JSON object, got ${typeof parsed}`);

  const dataLength = bytes.byteLength - headerEnd;
  let metadata = Object.create(null) as Record<string, string>;
  const entries: Entry[] = [];
  for (const [name, value] of Object.entries(parsed)) {
    if (name === '__metadata__') metadata = checkMetadata(value);
    else entries.push(readEntry(name, value, dataLength));
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  let previous = '';
  for (const e of entries) {
    if (e.begin < cursor)
      throw new SafetensorsError('overlap', `"${e.name}" starts at byte ${e.begin}, inside "${previous}"`);
    if (e.begin > cursor)
      throw new SafetensorsError(
        'hole',
        `bytes ${cursor}..${e.begin} before "${e.name}" belong to no tensor`,
      );
    cursor = e.end;
    previous = e.name;
  }
  if (cursor !== dataLength)
    throw new SafetensorsError(
      'hole',
      `the data section has ${dataLength} bytes but the tensors cover only ${cursor} (trailing bytes)`,
    );
  const tensors = new Map<string, SafetensorsTensor>();
  for (const e of entries)
    tensors.set(e.name, {
      dtype: e.dtype,
      shape: e.shape,
      data: bytes.subarray(headerEnd + e.begin, headerEnd + e.end),
    });
  return { tensors, metadata };
}

/** The typed array a safetensors dtype reads as (16-bit floats as their raw Uint16 bits). */
export type SafetensorsArray =
  | Float64Array
  | Float32Array
  | BigInt64Array
  | BigUint64Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array;

const ARRAY_TYPES: Record<SafetensorsDType, new (b: ArrayBuffer, o: number, n: number) => SafetensorsArray> =
  {
    F64: Float64Array,
    F32: Float32Array,
    I64: BigInt64Array,
    U64: BigUint64Array,
    I32: Int32Array,
    U32: Uint32Array,
    F16: Uint16Array,
    BF16: Uint16Array,
    I16: Int16Array,
    U16: Uint16Array,
    I8: Int8Array,
    U8: Uint8Array,
    BOOL: Uint8Array,
  };

/**
 * The tensor's elements as a typed array: a view of the file bytes when they are aligned (always, for files
 * {@link encodeSafetensors} wrote and decoded from an aligned buffer), otherwise an aligned copy.
 */
export function safetensorsArray(t: SafetensorsTensor): SafetensorsArray {
  const size = ELEMENT_BYTES[t.dtype];
  if (size > 1) assertLittleEndian();
  const n = t.data.byteLength / size;
  const Ctor = ARRAY_TYPES[t.dtype];
  if (t.data.byteOffset % size === 0 && t.data.buffer instanceof ArrayBuffer)
    return new Ctor(t.data.buffer, t.data.byteOffset, n);
  return new Ctor(t.data.slice().buffer, 0, n);
}

function assertLittleEndian(): void {
  // The format and every mainstream platform are little-endian; a big-endian host would need byte swaps.
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1)
    throw new StateError('safetensors: big-endian platforms are not supported');
}
