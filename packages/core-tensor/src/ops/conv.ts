import type { Conv2DGeometry, Pool2DGeometry } from '../backend';
import { getBackend } from '../backend';
import { op } from '../dispatch';
import { ArgumentError, ShapeError } from '../errors';
import type { Shape } from '../shape';
import { assertValidShape, fmtShape } from '../shape';
import type { Tensor } from '../tensor';
import type { TensorLike } from './create';
import { assertFloat, makeTensor, toTensor } from './util';

/** `'valid'` (no padding), `'same'` (output = ceil(input/stride), TF's split), or [[top, bottom], [left, right]]. */
export type Padding = 'valid' | 'same' | readonly [readonly [number, number], readonly [number, number]];

export interface Conv2DOptions {
  strides?: number | readonly [number, number];
  padding?: Padding;
  dilations?: number | readonly [number, number];
}

export interface Pool2DOptions {
  poolSize?: number | readonly [number, number];
  /** Defaults to `poolSize`, as in Keras. */
  strides?: number | readonly [number, number];
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
  if (padding !== 'valid' && padding !== 'same' && !Array.isArray(padding)) {
    throw new ArgumentError(
      `${op}: padding must be 'valid', 'same' or [[top, bottom], [left, right]], got ${JSON.stringify(padding)}`,
    );
  }
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
    assertFloat('conv2d', t);
    assertFloat('conv2d', w, 'filter');
    const g = conv2dGeometry('conv2d', t.shape, w.shape, options);
    return makeTensor(getBackend().conv2d(t.info(), w.info(), g), g.outShape);
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
    assertValidShape('conv2dBackpropInput', inputShape);
    const g = conv2dGeometry('conv2dBackpropInput', inputShape, w.shape, options);
    checkDy('conv2dBackpropInput', d, g.outShape);
    return makeTensor(getBackend().conv2dBackpropInput(d.info(), w.info(), g), g.inShape);
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
    assertValidShape('conv2dBackpropFilter', filterShape);
    const g = conv2dGeometry('conv2dBackpropFilter', t.shape, filterShape, options);
    checkDy('conv2dBackpropFilter', d, g.outShape);
    return makeTensor(getBackend().conv2dBackpropFilter(t.info(), d.info(), g), g.filterShape);
  });
}

function checkDy(op: string, dy: Tensor, expected: Shape): void {
  if (dy.rank !== expected.length || dy.shape.some((v, i) => v !== expected[i])) {
    throw new ShapeError(
      `${op}: dy has shape ${fmtShape(dy.shape)}, expected the conv2d output shape ${fmtShape(expected)}`,
    );
  }
}

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
    const g = pool2dGeometry(name, t.shape, kind, options);
    checkDy(name, d, g.outShape);
    return makeTensor(getBackend().pool2dBackprop(d.info(), t.info(), g), g.inShape);
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
