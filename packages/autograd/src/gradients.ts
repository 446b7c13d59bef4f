/**
 * The gradient table: the chain rule of every differentiable op of @backprop/core-tensor, one entry per op name.
 *
 * Each entry receives dy = dL/d(output) and returns dL/d(input) for each input: the op's local derivative times
 * dy. `save` says which tensors the rule reads, so everything else can be freed right after the forward pass.
 * Ops that are compositions of others (mean, variance, gelu, clip, tile, …) have no entry: the engine records
 * their parts and differentiates those. Broadcasting is undone by the engine, not here.
 */
import type { Axis, Conv2DOptions, Pool2DOptions, Tensor } from '@backprop/core-tensor';
import {
  arange,
  avgPool2d,
  conv2d,
  isFinite,
  logicalAnd,
  max,
  maximum,
  normalizeAxis,
  prod,
  broadcastTo,
  avgPool2dBackprop,
  conv2dBackpropFilter,
  conv2dBackpropInput,
  cos,
  div,
  equal,
  exp,
  expandDims,
  flatten,
  gather,
  greater,
  greaterEqual,
  lessEqual,
  log,
  matmul,
  maxPool2dBackprop,
  mul,
  neg,
  normalizeAxes,
  pow,
  reshape,
  scatterAdd,
  sigmoid,
  sign,
  sin,
  slice,
  split,
  square,
  sub,
  sum,
  transpose,
  where,
  abs,
  floor,
  less,
  add,
  logicalNot,
} from '@backprop/core-tensor';
import type { GradContext, GradRule } from './rules';
import { FUSED_GRADIENTS } from './gradients.fused';
import { registerGradient } from './rules';

const x0 = (c: GradContext): Tensor => c.inputs[0]!;
const x1 = (c: GradContext): Tensor => c.inputs[1]!;
const y = (c: GradContext): Tensor => c.output!;
const SAVE_X = { inputs: [0] } as const;
const SAVE_XY = { inputs: [0, 1] } as const;
const SAVE_OUT = { output: true } as const;

/** Shape of a reduction's result with the reduced axes kept as size 1, so dy broadcasts back over them. */
function keptDy(dy: Tensor, c: GradContext): Tensor {
  const shape = c.inputShapes[0]!;
  const axes = normalizeAxes('grad', c.attrs.axis as number | number[] | undefined, shape.length);
  return reshape(
    dy,
    shape.map((d, i) => (axes.includes(i) ? 1 : d)),
  );
}

function keptOut(c: GradContext): Tensor {
  return keptDy(y(c), c);
}

/**
 * The built-in gradient table, keyed by op name (read it to learn each op's derivative; it is registered when the
 * package loads, so changing this object afterwards has no effect: use `registerGradient` or `defineOp`).
 */
export const GRADIENTS: Record<string, GradRule> = {
  // ---- elementwise, one input: dL/dx = dL/dy · f'(x)
  neg: { grad: (dy) => [neg(dy)] },
  abs: { save: SAVE_X, grad: (dy, c) => [mul(dy, sign(x0(c)))] },
  sign: { grad: () => [null] },
  floor: { grad: () => [null] },
  ceil: { grad: () => [null] },
  round: { grad: () => [null] },
  exp: { save: SAVE_OUT, grad: (dy, c) => [mul(dy, y(c))] },
  expm1: { save: SAVE_OUT, grad: (dy, c) => [mul(dy, add(y(c), 1))] },
  log: { save: SAVE_X, grad: (dy, c) => [div(dy, x0(c))] },
  log1p: { save: SAVE_X, grad: (dy, c) => [div(dy, add(x0(c), 1))] },
  sqrt: { save: SAVE_OUT, grad: (dy, c) => [div(dy, mul(y(c), 2))] },
  // d/dx x^(-1/2) = -½ x^(-3/2) = -½ y³
  rsqrt: { save: SAVE_OUT, grad: (dy, c) => [mul(dy, mul(pow(y(c), 3), -0.5))] },
  reciprocal: { save: SAVE_OUT, grad: (dy, c) => [neg(mul(dy, square(y(c))))] },
  square: { save: SAVE_X, grad: (dy, c) => [mul(dy, mul(x0(c), 2))] },
  sin: { save: SAVE_X, grad: (dy, c) => [mul(dy, cos(x0(c)))] },
  cos: { save: SAVE_X, grad: (dy, c) => [neg(mul(dy, sin(x0(c))))] },
  // Written with the output: tanh' = 1 − tanh², σ' = σ(1 − σ). Finite even where the input saturates.
  tanh: { save: SAVE_OUT, grad: (dy, c) => [mul(dy, sub(1, square(y(c))))] },
  sigmoid: { save: SAVE_OUT, grad: (dy, c) => [mul(dy, mul(y(c), sub(1, y(c))))] },
  softplus: { save: SAVE_X, grad: (dy, c) => [mul(dy, sigmoid(x0(c)))] },
  erf: { save: SAVE_X, grad: (dy, c) => [mul(dy, mul(exp(neg(square(x0(c)))), 2 / Math.sqrt(Math.PI)))] },
  cast: { grad: (dy) => [dy] },
  relu: { save: SAVE_X, grad: (dy, c) => [where(greater(x0(c), 0), dy, 0)] },
  leakyRelu: {
    save: SAVE_X,
    grad: (dy, c) => [where(greater(x0(c), 0), dy, mul(dy, c.attrs.alpha as number))],
  },
  // elu'(x) = 1 for x > 0, alpha·eˣ = y + alpha otherwise.
  elu: {
    save: { inputs: [0], output: true },
    grad: (dy, c) => [where(greater(x0(c), 0), dy, mul(dy, add(y(c), c.attrs.alpha as number)))],
  },

  // ---- elementwise, two inputs (the engine sums each gradient back over broadcast axes)
  add: { grad: (dy) => [dy, dy] },
  sub: { grad: (dy) => [dy, neg(dy)] },
  mul: { save: SAVE_XY, grad: (dy, c) => [mul(dy, x1(c)), mul(dy, x0(c))] },
  // d(a/b)/db = −a/b², computed as −(dy/b)·(a/b): squaring b first overflows or underflows long before the
  // answer does (float32 b = 1e-25 makes b² = 0 while the true gradient is a finite 1e20).
  div: {
    save: { inputs: [1], output: true },
    grad: (dy, c) => {
      const da = div(dy, x1(c));
      return [da, neg(mul(da, y(c)))];
    },
  },
  // d(aᵇ)/da = b·aᵇ⁻¹; d(aᵇ)/db = aᵇ·ln a, taken as 0 where a ≤ 0 (ln undefined; PyTorch does the same).
  pow: {
    save: { inputs: [0, 1], output: true },
    grad: (dy, c) => [
      mul(dy, mul(x1(c), pow(x0(c), sub(x1(c), 1)))),
      mul(dy, mul(y(c), where(greater(x0(c), 0), log(where(greater(x0(c), 0), x0(c), 1)), 0))),
    ],
  },
  // Ties send the whole gradient to the first argument, as TF does.
  maximum: {
    save: SAVE_XY,
    grad: (dy, c) => [where(greaterEqual(x0(c), x1(c)), dy, 0), where(less(x0(c), x1(c)), dy, 0)],
  },
  minimum: {
    save: SAVE_XY,
    grad: (dy, c) => [where(lessEqual(x0(c), x1(c)), dy, 0), where(greater(x0(c), x1(c)), dy, 0)],
  },
  mod: { save: SAVE_XY, grad: (dy, c) => [dy, neg(mul(dy, floor(div(x0(c), x1(c)))))] },
  // d atan2(a, b) = (b·da − a·db) / (a² + b²). a² + b² overflows (or underflows) for |a|, |b| beyond about 1e154 in
  // float64 and 1e19 in float32, so both are first divided by s = max(|a|, |b|), as hypot does.
  atan2: {
    save: SAVE_XY,
    grad: (dy, c) => {
      const s = maximum(abs(x0(c)), abs(x1(c)));
      const a = div(x0(c), s);
      const b = div(x1(c), s);
      const ds = div(dy, mul(add(square(a), square(b)), s));
      return [mul(ds, b), neg(mul(ds, a))];
    },
  },
  where: { save: SAVE_X, grad: (dy, c) => [null, where(x0(c), dy, 0), where(logicalNot(x0(c)), dy, 0)] },

  // ---- reductions: the gradient is dy broadcast back over the reduced axes
  sum: { grad: (dy, c) => [broadcastTo(keptDy(dy, c), c.inputShapes[0]!)] },
  // Ties share the gradient equally (PyTorch's convention): mask / count.
  max: { save: { inputs: [0], output: true }, grad: (dy, c) => [shareAmongExtremes(dy, c)] },
  min: { save: { inputs: [0], output: true }, grad: (dy, c) => [shareAmongExtremes(dy, c)] },
  // d(Πx)/dxᵢ = Π_{j≠i} xⱼ, which is Πx / xᵢ except at zeros (see prodGrad).
  prod: { save: { inputs: [0], output: true }, grad: (dy, c) => [mul(keptDy(dy, c), prodGrad(c))] },
  // d logΣexp / dxᵢ = softmax(x)ᵢ. Not exp(x − lse): with huge logits lse is rounded before the subtraction
  // (float32 at 1e4 is only good to 1e-3), so the shifted form of softmax is used, over all the reduced axes.
  logSumExp: {
    save: SAVE_X,
    grad: (dy, c) => {
      const axis = c.attrs.axis as Axis | undefined;
      const m = max(x0(c), axis, true);
      const e = exp(sub(x0(c), where(isFinite(m), m, 0)));
      return [mul(keptDy(dy, c), div(e, sum(e, axis, true)))];
    },
  },
  norm: { save: { inputs: [0], output: true }, grad: (dy, c) => [normGrad(dy, c)] },

  // ---- movement: route each gradient element back to where its value came from
  reshape: { grad: (dy, c) => [reshape(dy, c.inputShapes[0]!)] },
  transpose: {
    grad: (dy, c) => {
      // perm is recorded as the caller wrote it, negative axes included; invert the normalized permutation.
      const rank = c.inputShapes[0]!.length;
      const perm = (c.attrs.perm as number[]).map((a) => normalizeAxis('transpose', a, rank));
      const inverse = perm.map((_, i) => perm.indexOf(i));
      return [transpose(dy, inverse)];
    },
  },
  broadcastTo: { grad: (dy) => [dy] },
  slice: { grad: (dy, c) => [sliceGrad(dy, c)] },
  pad: {
    grad: (dy, c) => {
      const p = c.attrs.paddings as [number, number][];
      const shape = c.inputShapes[0]!;
      return [
        slice(
          dy,
          p.map(([b]) => b),
          p.map(([b], i) => b + shape[i]!),
        ),
      ];
    },
  },
  concat: {
    grad: (dy, c) => {
      const shape = c.inputShapes[0]!;
      const axis = normalizeAxes('concat', c.attrs.axis as number, shape.length)[0]!;
      return split(
        dy,
        c.inputShapes.map((s) => s[axis]!),
        axis,
      );
    },
  },
  gather: {
    save: { inputs: [1] },
    grad: (dy, c) => [scatterAdd(dy, x1(c), gatherAxis(c), c.inputShapes[0]!), null],
  },
  scatterAdd: { save: { inputs: [1] }, grad: (dy, c) => [gather(dy, x1(c), c.attrs.axis as number), null] },

  // ---- linear algebra. For C = A·B: dA = dC·Bᵀ and dB = Aᵀ·dC; the transposed layouts permute these.
  matmul: { save: SAVE_XY, grad: (dy, c) => matmulGrad(dy, c) },

  // ---- softmax family, written with the output so huge logits stay finite
  // dx = y ⊙ (dy − Σ dy⊙y)
  softmax: {
    save: SAVE_OUT,
    grad: (dy, c) => {
      const axis = c.attrs.axis as number;
      return [mul(y(c), sub(dy, sum(mul(dy, y(c)), axis, true)))];
    },
  },
  // dx = dy − softmax(x)·Σ dy, and softmax(x) = exp(log-softmax(x))
  logSoftmax: {
    save: SAVE_OUT,
    grad: (dy, c) => [sub(dy, mul(exp(y(c)), sum(dy, c.attrs.axis as number, true)))],
  },

  // ---- convolution and pooling: their gradients are ops of their own, written as backend kernels
  conv2d: {
    save: SAVE_XY,
    grad: (dy, c) => [
      c.needsGrad[0] ? conv2dBackpropInput(dy, x1(c), c.inputShapes[0]!, convOptions(c)) : null,
      c.needsGrad[1] ? conv2dBackpropFilter(x0(c), dy, c.inputShapes[1]!, convOptions(c)) : null,
    ],
  },
  // conv2d is linear in x and in w, and its two gradients are its adjoints: differentiating one of them gives
  // back conv2d or the other. These two rules make conv2d twice differentiable.
  conv2dBackpropInput: {
    save: SAVE_XY,
    grad: (g, c) => [
      conv2d(g, x1(c), convOptions(c)),
      conv2dBackpropFilter(g, x0(c), c.inputShapes[1]!, convOptions(c)),
    ],
  },
  conv2dBackpropFilter: {
    save: SAVE_XY,
    grad: (g, c) => [
      conv2dBackpropInput(x1(c), g, c.inputShapes[0]!, convOptions(c)),
      conv2d(x0(c), g, convOptions(c)),
    ],
  },
  // maxPool2dBackprop has no rule (its adjoint would need the argmax positions as an op): maxPool2d is
  // differentiable once, and backward says so if asked for more (see NOT_TWICE_DIFFERENTIABLE in tape.ts).
  maxPool2d: { save: SAVE_X, grad: (dy, c) => [maxPool2dBackprop(dy, x0(c), poolOptions(c))] },
  avgPool2d: { save: SAVE_X, grad: (dy, c) => [avgPool2dBackprop(dy, x0(c), poolOptions(c))] },
  // Average pooling is linear, so its gradient's gradient is average pooling again; x only supplied a shape.
  avgPool2dBackprop: { grad: (g, c) => [avgPool2d(g, poolOptions(c)), null] },
};

// The recorded attrs of the backprop ops carry an extra shape; pass on only the geometry options.
function convOptions(c: GradContext): Conv2DOptions {
  const a = c.attrs as Conv2DOptions;
  return { strides: a.strides, padding: a.padding, dilations: a.dilations };
}

function poolOptions(c: GradContext): Pool2DOptions {
  const a = c.attrs as Pool2DOptions;
  return { poolSize: a.poolSize, strides: a.strides, padding: a.padding };
}

/**
 * Π_{j≠i} xⱼ for every i of each reduced slice. Dividing Πx by xᵢ is exact when the slice has no zero. With one
 * zero, only the zero's own gradient is nonzero (the product of the others); with two or more, all are 0.
 * Each branch avoids 0/0 even where it is not selected, so the rule is safe to differentiate again.
 */
function prodGrad(c: GradContext): Tensor {
  const x = x0(c);
  const axis = c.attrs.axis as Axis | undefined;
  const isZero = equal(x, 0);
  const nonZero = where(isZero, 1, x);
  const zeros = sum(where(isZero, 1, 0), axis, true);
  const othersAtZero = where(logicalAnd(equal(zeros, 1), isZero), prod(nonZero, axis, true), 0);
  return where(equal(zeros, 0), div(keptOut(c), nonZero), othersAtZero);
}

function shareAmongExtremes(dy: Tensor, c: GradContext): Tensor {
  const mask = where(equal(x0(c), keptOut(c)), 1, 0);
  const count = sum(mask, c.attrs.axis as number | number[] | undefined, true);
  return mul(keptDy(dy, c), div(mask, count));
}

function normGrad(dy: Tensor, c: GradContext): Tensor {
  const ord = c.attrs.ord as number | string;
  const x = x0(c);
  const n = keptOut(c);
  const g = keptDy(dy, c);
  if (ord === 'euclidean' || ord === 'fro' || ord === 2) {
    // x/‖x‖, defined as 0 at the origin (the subgradient PyTorch picks) instead of 0/0.
    return mul(g, where(greater(n, 0), div(x, where(greater(n, 0), n, 1)), 0));
  }
  if (ord === 1) return mul(g, sign(x));
  if (ord === Infinity) {
    const mask = where(equal(abs(x), n), 1, 0);
    return mul(g, div(mul(sign(x), mask), sum(mask, c.attrs.axis as number | number[] | undefined, true)));
  }
  const p = ord as number;
  // ∂‖x‖ₚ/∂xᵢ = sign(xᵢ)|xᵢ|ᵖ⁻¹ / ‖x‖ₚᵖ⁻¹
  return mul(
    g,
    where(greater(n, 0), div(mul(sign(x), pow(abs(x), p - 1)), pow(where(greater(n, 0), n, 1), p - 1)), 0),
  );
}

function gatherAxis(c: GradContext): number {
  return normalizeAxes('gather', c.attrs.axis as number, c.inputShapes[0]!.length)[0]!;
}

/**
 * slice picks elements of x; its gradient puts dy back at those positions and zeros elsewhere. Slicing a tensor
 * of flat indices with the same arguments tells where each picked element came from, so any begin / end / step
 * (negative ones included) is handled by slice's own rules.
 */
function sliceGrad(dy: Tensor, c: GradContext): Tensor {
  const shape = c.inputShapes[0]!;
  const size = shape.reduce((a, b) => a * b, 1);
  const a = c.attrs as { begin: (number | null)[]; end?: (number | null)[]; step?: (number | null)[] };
  const picked = slice(reshape(arange(0, size, 1, 'int32'), shape), a.begin, a.end, a.step);
  return reshape(scatterAdd(flatten(dy), flatten(picked), 0, [size]), shape);
}

function matmulGrad(dy: Tensor, c: GradContext): [Tensor | null, Tensor | null] {
  const ta = c.attrs.transposeA === true;
  const tb = c.attrs.transposeB === true;
  let a = x0(c);
  let b = x1(c);
  // Vectors were promoted to matrices in the forward pass (a → [1,K], b → [K,1]) and the promoted axis dropped
  // from the result: promote again here, put that axis back into dy, and drop it from the gradient at the end.
  // (The engine cannot tell that [K,1] → [K] is a squeeze rather than a broadcast to undo.)
  const aVec = a.rank === 1;
  const bVec = b.rank === 1;
  if (aVec) a = reshape(a, [1, a.shape[0]!]);
  if (bVec) b = reshape(b, [b.shape[0]!, 1]);
  let g = dy;
  if (aVec) g = expandDims(g, bVec ? 0 : -2);
  if (bVec) g = expandDims(g, -1);
  const T = { transposeA: true };
  const TB = { transposeB: true };
  const TT = { transposeA: true, transposeB: true };
  // Each product is computed only when asked for (needsGrad): the data batch fed to the first layer wants none.
  const [needA, needB] = c.needsGrad;
  let da: Tensor | null;
  let db: Tensor | null;
  if (!ta && !tb) [da, db] = [needA ? matmul(g, b, TB) : null, needB ? matmul(a, g, T) : null];
  else if (ta && !tb) [da, db] = [needA ? matmul(b, g, TB) : null, needB ? matmul(a, g) : null];
  else if (!ta && tb) [da, db] = [needA ? matmul(g, b) : null, needB ? matmul(g, a, T) : null];
  else [da, db] = [needA ? matmul(b, g, TT) : null, needB ? matmul(g, a, TT) : null];
  if (aVec && da) da = reshape(da, [...da.shape.slice(0, -2), da.shape[da.rank - 1]!]);
  if (bVec && db) db = reshape(db, db.shape.slice(0, -1));
  return [da, db];
}

// The fused ops' rules live beside this table (gradients.fused.ts). Registered here, not by an import for side
// effects: the package is `sideEffects: false`, so the bundler would drop such an import.
for (const [name, rule] of Object.entries({ ...GRADIENTS, ...FUSED_GRADIENTS })) registerGradient(name, rule);
