import type { Conv2DGeometry, Pool2DGeometry } from '../backend';
import { getBackend } from '../backend';
import { promoteTypes } from '../dtype';
import { op } from '../dispatch';
import { ArgumentError, ShapeError } from '../errors';
import type { Shape } from '../shape';
import { assertValidShape, fmtShape } from '../shape';
import type { Tensor } from '../tensor';
import type { TensorLike } from './create';
import { cast } from './elementwise';
import { assertFloat, makeTensor, toTensor } from './util';

/** `'valid'` (no padding), `'same'` (output = ceil(input/stride), TF's split), or [[top, bottom], [left, right]]. */
export type Padding = 'valid' | 'same' | readonly [readonly [number, number], readonly [number, number]];

/** Options of `conv2d` and its two gradient ops (TF/Keras semantics). */
export interface Conv2DOptions {
  /** Step of the window, one number or [height, width] (default 1). */
  strides?: number | readonly [number, number];
  /** `'valid'` (default), `'same'` or explicit [[top, bottom], [left, right]]. */
  padding?: Padding;
  /** Spacing between filter taps, one number or [height, width] (default 1: a dense filter). */
  dilations?: number | readonly [number, number];
}

/** Options of `maxPool2d`, `avgPool2d` and their gradient ops (Keras semantics). */
export interface Pool2DOptions {
  /** Window size, one number or [height, width] (default 2). */
  poolSize?: number | readonly [number, number];
  /** Defaults to `poolSize`, as in Keras. */
  strides?: number | readonly [number, number];
  /** `'valid'` (default), `'same'`, or explicit [[top, bottom], [left, right]] each smaller than the window. */
  padding?: Padding;
}

function pair(op: string, name: string, v: number | readonly [number, number]): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  for (const x of p) {
    if (!Number.isInteger(x) || x < 1)
      throw new ArgumentError(`${op}: ${name} must be positive integers, got ${String(v)}`);
  }
  return p;
}

/** Output size and padding of one spatial axis. `k` is the effective (dilated) kernel size. */
function axisGeometry(
  op: string,
  size: number,
  k: number,
  stride: number,
  padding: Padding,
  axis: 0 | 1,
): [number, number, number] {
  if (padding === 'same') {
    const out = Math.ceil(size / stride);
    const total = Math.max(0, (out - 1) * stride + k - size);
    const before = Math.floor(total / 2);
    return [out, before, total - before];
  }
  const [before, after] = padding === 'valid' ? [0, 0] : padding[axis];
  if (
    padding !== 'valid' &&
    (!Number.isInteger(before) || !Number.isInteger(after) || before < 0 || after < 0)
  ) {
    throw new ArgumentError(
      `${op}: explicit padding must be non-negative integers, got ${JSON.stringify(padding)}`,
    );
  }
  const out = Math.floor((size + before + after - k) / stride) + 1;
  if (out < 1) {
    throw new ShapeError(
      `${op}: the window (${k} after dilation) is larger than the padded input (${size + before + after}) on ` +
        `${axis === 0 ? 'height' : 'width'}`,
    );
  }
  return [out, before, after];
}

function checkPadding(op: string, padding: Padding): void {
  const explicit =
    Array.isArray(padding) &&
    padding.length === 2 &&
    padding.every((p: unknown) => Array.isArray(p) && p.length === 2);
  if (padding !== 'valid' && padding !== 'same' && !explicit) {
    throw new ArgumentError(
      `${op}: padding must be 'valid', 'same' or [[top, bottom], [left, right]], got ${JSON.stringify(padding)}`,
    );
  }
}

/** Casts both operands to their common float dtype, as binary ops and matmul do. */
function promoteFloats(op: string, a: Tensor, b: Tensor, names: [string, string]): [Tensor, Tensor] {
  assertFloat(op, a, names[0]);
  assertFloat(op, b, names[1]);
  const dtype = promoteTypes(a.dtype, b.dtype);
  return [a.dtype === dtype ? a : cast(a, dtype), b.dtype === dtype ? b : cast(b, dtype)];
}

/** Shapes, strides and resolved padding of a conv2d of x [N,H,W,C] with filter [KH,KW,C,F] (HWIO). */
export function conv2dGeometry(
  op: string,
  xShape: Shape,
  filterShape: Shape,
  o: Conv2DOptions,
): Conv2DGeometry {
  if (xShape.length !== 4)
    throw new ShapeError(`${op}: x must be rank 4 [batch, height, width, channels], got ${fmtShape(xShape)}`);
  if (filterShape.length !== 4) {
    throw new ShapeError(
      `${op}: filter must be rank 4 [kh, kw, inChannels, outChannels], got ${fmtShape(filterShape)}`,
    );
  }
  const [N, H, W, C] = xShape as [number, number, number, number];
  const [KH, KW, FC, F] = filterShape as [number, number, number, number];
  if (FC !== C) {
    throw new ShapeError(
      `${op}: x has ${C} channels ${fmtShape(xShape)} but filter expects ${FC} ${fmtShape(filterShape)}`,
    );
  }
  const padding = o.padding ?? 'valid';
  checkPadding(op, padding);
  const strides = pair(op, 'strides', o.strides ?? 1);
  const dilations = pair(op, 'dilations', o.dilations ?? 1);
  const [OH, pt, pb] = axisGeometry(op, H, (KH - 1) * dilations[0] + 1, strides[0], padding, 0);
  const [OW, pl, pr] = axisGeometry(op, W, (KW - 1) * dilations[1] + 1, strides[1], padding, 1);
  return {
    inShape: [N, H, W, C],
    filterShape: [KH, KW, C, F],
    outShape: [N, OH, OW, F],
    strides,
    dilations,
    pads: [pt, pb, pl, pr],
  };
}

/** 2-D convolution (cross-correlation, as every framework computes it) of NHWC input with an HWIO filter. */
export function conv2d(x: TensorLike, filter: TensorLike, options: Conv2DOptions = {}): Tensor {
  const t = toTensor(x);
  const w = toTensor(filter);
  return op('conv2d', [t, w], { ...options }, () => {
    const [xc, wc] = promoteFloats('conv2d', t, w, ['x', 'filter']);
    const g = conv2dGeometry('conv2d', t.shape, w.shape, options);
    return makeTensor(getBackend().conv2d(xc.info(), wc.info(), g), g.outShape);
  });
}

/** The gradient of conv2d with respect to its input: dL/dx [N,H,W,C] from dL/dy and the filter. */
export function conv2dBackpropInput(
  dy: TensorLike,
  filter: TensorLike,
  inputShape: Shape,
  options: Conv2DOptions = {},
): Tensor {
  const d = toTensor(dy);
  const w = toTensor(filter);
  return op('conv2dBackpropInput', [d, w], { ...options, inputShape }, () => {
    const [dc, wc] = promoteFloats('conv2dBackpropInput', d, w, ['dy', 'filter']);
    assertValidShape('conv2dBackpropInput', inputShape);
    const g = conv2dGeometry('conv2dBackpropInput', inputShape, w.shape, options);
    checkDy('conv2dBackpropInput', d, g.outShape);
    return makeTensor(getBackend().conv2dBackpropInput(dc.info(), wc.info(), g), g.inShape);
  });
}

/** The gradient of conv2d with respect to its filter: dL/dw [KH,KW,C,F] from x and dL/dy. */
export function conv2dBackpropFilter(
  x: TensorLike,
  dy: TensorLike,
  filterShape: Shape,
  options: Conv2DOptions = {},
): Tensor {
  const t = toTensor(x);
  const d = toTensor(dy);
  return op('conv2dBackpropFilter', [t, d], { ...options, filterShape }, () => {
    const [xc, dc] = promoteFloats('conv2dBackpropFilter', t, d, ['x', 'dy']);
    assertValidShape('conv2dBackpropFilter', filterShape);
    const g = conv2dGeometry('conv2dBackpropFilter', t.shape, filterShape, options);
    checkDy('conv2dBackpropFilter', d, g.outShape);
    return makeTensor(getBackend().conv2dBackpropFilter(xc.info(), dc.info(), g), g.filterShape);
  });
}

function checkDy(op: string, dy: Tensor, expected: Shape, forward = 'conv2d'): void {
  if (dy.rank !== expected.length || dy.shape.some((v, i) => v !== expected[i])) {
    throw new ShapeError(
      `${op}: dy has shape ${fmtShape(dy.shape)}, expected the ${forward} output shape ${fmtShape(expected)}`,
    );
  }
}

/** Shapes, strides and resolved padding of a 2-D pooling of x [N,H,W,C]; validates the options. */
export function pool2dGeometry(
  op: string,
  xShape: Shape,
  kind: 'max' | 'avg',
  o: Pool2DOptions,
): Pool2DGeometry {
  if (xShape.length !== 4)
    throw new ShapeError(`${op}: x must be rank 4 [batch, height, width, channels], got ${fmtShape(xShape)}`);
  const [N, H, W, C] = xShape as [number, number, number, number];
  const poolSize = pair(op, 'poolSize', o.poolSize ?? 2);
  const strides = pair(op, 'strides', o.strides ?? poolSize);
  const padding = o.padding ?? 'valid';
  checkPadding(op, padding);
  const [OH, pt, pb] = axisGeometry(op, H, poolSize[0], strides[0], padding, 0);
  const [OW, pl, pr] = axisGeometry(op, W, poolSize[1], strides[1], padding, 1);
  // A pad as large as the window would make windows of padding only: no maximum, and a mean over 0 cells.
  // With every pad < poolSize each window holds at least one real cell ('same' always satisfies this).
  if (pt >= poolSize[0] || pb >= poolSize[0] || pl >= poolSize[1] || pr >= poolSize[1]) {
    throw new ArgumentError(
      `${op}: explicit padding ${JSON.stringify(padding)} must be smaller than poolSize [${poolSize.join(',')}] ` +
        'on each side',
    );
  }
  return { inShape: [N, H, W, C], outShape: [N, OH, OW, C], poolSize, strides, pads: [pt, pb, pl, pr], kind };
}

function pool(kind: 'max' | 'avg', x: TensorLike, options: Pool2DOptions): Tensor {
  const t = toTensor(x);
  const name = `${kind}Pool2d`;
  return op(name, [t], { ...options }, () => {
    assertFloat(name, t);
    const g = pool2dGeometry(name, t.shape, kind, options);
    return makeTensor(getBackend().pool2d(t.info(), g), g.outShape);
  });
}

function poolBackprop(kind: 'max' | 'avg', dy: TensorLike, x: TensorLike, options: Pool2DOptions): Tensor {
  const d = toTensor(dy);
  const t = toTensor(x);
  const name = `${kind}Pool2dBackprop`;
  return op(name, [d, t], { ...options }, () => {
    const [dc, xc] = promoteFloats(name, d, t, ['dy', 'x']);
    const g = pool2dGeometry(name, t.shape, kind, options);
    checkDy(name, d, g.outShape, `${kind}Pool2d`);
    return makeTensor(getBackend().pool2dBackprop(dc.info(), xc.info(), g), g.inShape);
  });
}

/** Max over each window of NHWC input; padded cells never win. */
export const maxPool2d = (x: TensorLike, options: Pool2DOptions = {}): Tensor => pool('max', x, options);
/** Mean over each window of NHWC input, dividing by the number of real (unpadded) cells. */
export const avgPool2d = (x: TensorLike, options: Pool2DOptions = {}): Tensor => pool('avg', x, options);
/** maxPool2d's gradient: each window's dy goes to the position of its (first) maximum. */
export const maxPool2dBackprop = (dy: TensorLike, x: TensorLike, options: Pool2DOptions = {}): Tensor =>
  poolBackprop('max', dy, x, options);
/** avgPool2d's gradient: each window's dy is spread evenly over its real cells. */
export const avgPool2dBackprop = (dy: TensorLike, x: TensorLike, options: Pool2DOptions = {}): Tensor =>
  poolBackprop('avg', dy, x, options);
