import type { Backend, BackendData } from '../../backend';
import type { DType, TypedArray } from '../../dtype';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput, pool2d, pool2dBackprop } from './conv';
import type { JsData } from './data';
import { wrap } from './data';
import { binary, cast, compare, unary, where } from './elementwise';
import { matmul } from './matmul';
import { broadcastTo, concat, gather, pad, scatterAdd, slice, transpose } from './movement';
import { reduce } from './reduce';

/**
 * The reference backend: plain TypeScript loops over typed arrays, float32 and float64. Readable first; it is
 * what every other backend is tested against, and where gradcheck runs (float64).
 */
export function createJsBackend(): Backend {
  return {
    name: 'js',
    dtypes: ['float32', 'float64', 'int32', 'bool'],
    fromArray: (values: TypedArray, dtype: DType) => wrap(values, dtype),
    readSync: (data: BackendData) => (data as JsData).values,
    read: (data: BackendData) => Promise.resolve((data as JsData).values),
    // Typed arrays belong to the JS heap: the GC frees them once no tensor refers to them.
    dispose: () => {},
    unary,
    binary,
    compare,
    where,
    cast,
    reduce,
    transpose,
    broadcastTo,
    slice,
    pad,
    concat,
    gather,
    scatterAdd,
    matmul,
    conv2d,
    conv2dBackpropInput,
    conv2dBackpropFilter,
    pool2d,
    pool2dBackprop,
  };
}
