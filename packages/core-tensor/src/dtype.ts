import { DTypeError } from './errors';

/** Element types. `float32` is the default, `float64` exists for gradcheck and references. */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

/** The typed array that stores each dtype (`bool` as 0/1 bytes). */
export interface DTypeArrayMap {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  bool: Uint8Array;
}
/** Any of the typed arrays that store tensor elements. */
export type TypedArray = DTypeArrayMap[DType];

/** Every dtype, in promotion order. */
export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

/** Whether `x` names a dtype. */
export function isDType(x: unknown): x is DType {
  return typeof x === 'string' && (DTYPES as readonly string[]).includes(x);
}

/** Whether `dtype` is float32 or float64. */
export function isFloatDType(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

/** Storage size of one element: 8 for float64, 4 for float32 and int32, 1 for bool. */
export function bytesPerElement(dtype: DType): number {
  return dtype === 'float64' ? 8 : dtype === 'bool' ? 1 : 4;
}

/** A zero-filled typed array of `size` elements for `dtype`. */
export function allocArray<D extends DType>(dtype: D, size: number): DTypeArrayMap[D];
export function allocArray(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(size);
    case 'float64':
      return new Float64Array(size);
    case 'int32':
      return new Int32Array(size);
    case 'bool':
      return new Uint8Array(size);
  }
}

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/** Result dtype of combining two tensors: bool < int32 < float32 < float64 (float32 wins over int32 as in TF). */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;

/**
 * The value a number takes when stored as `dtype`, the one rounding rule shared by `cast` and the factories:
 * → int32 truncates toward zero, saturates at the int32 range and maps NaN to 0 (a typed-array store would
 * wrap 3e9 around to −1294967296); → bool is `v ≠ 0` (NaN is true); → float32 rounds to nearest on store.
 */
export function storedValue(v: number, dtype: DType): number {
  if (dtype === 'int32') {
    if (Number.isNaN(v)) return 0;
    return v >= INT32_MAX ? INT32_MAX : v <= INT32_MIN ? INT32_MIN : Math.trunc(v);
  }
  if (dtype === 'bool') return v !== 0 ? 1 : 0;
  return v;
}

/** Writes `src` into `dst` (of `dtype`) element by element with {@link storedValue}'s rules. */
export function storeValues(dst: TypedArray, src: ArrayLike<number>, dtype: DType): void {
  if (dtype === 'float32' || dtype === 'float64') {
    for (let i = 0; i < src.length; i++) dst[i] = src[i]!;
    return;
  }
  for (let i = 0; i < src.length; i++) dst[i] = storedValue(src[i]!, dtype);
}

/** Returns `dtype` if it names a dtype, else throws a DTypeError naming `op`. */
export function assertDType(op: string, dtype: unknown): DType {
  if (!isDType(dtype)) {
    throw new DTypeError(
      `${op}: unknown dtype ${JSON.stringify(dtype)}; expected one of ${DTYPES.join(', ')}`,
    );
  }
  return dtype;
}

/** The dtype a typed array stores (undefined for plain arrays and other typed arrays). */
export function dtypeOfArray(values: TypedArray | number[]): DType | undefined {
  if (values instanceof Float32Array) return 'float32';
  if (values instanceof Float64Array) return 'float64';
  if (values instanceof Int32Array) return 'int32';
  if (values instanceof Uint8Array) return 'bool';
  return undefined;
}
