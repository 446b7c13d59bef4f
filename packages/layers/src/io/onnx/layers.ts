/**
 * One layer → ONNX nodes (opset 13). ONNX's Conv and pooling are NCHW while our tensors are NHWC, so a 4-D value
 * carries a layout flag and Transposes are inserted lazily: before Conv/pooling/BatchNormalization when it is
 * NHWC, before anything that reads the last axis as features (Dense, Flatten, Reshape, Softmax, …) when it is
 * NCHW. A conv stack thus pays one Transpose in and one out, and Flatten sees our element order.
 */
import { ArgumentError } from '@backprop/core-tensor';
import type { Variable } from '@backprop/autograd';
import type { LayerStep } from '../export-common';
import { permuteData, samePadding, unsupported, weightOf } from '../export-common';
import type { Attr, GraphBuilder } from './graph';

/** A value flowing through the graph: its name, its rank, and (rank 4) whether it is held NCHW. */
export interface Value {
  name: string;
  rank: number;
  nchw: boolean;
}

const WHO = 'exportOnnx';

async function weight(g: GraphBuilder, v: Variable, perm?: number[]): Promise<string> {
  if (v.dtype !== 'float32')
    throw new ArgumentError(`${WHO}: "${v.name}" is ${v.dtype}; only float32 models export`);
  const data = (await v.data()) as Float32Array;
  if (!perm) return g.float(v.name, v.shape, data);
  const p = permuteData(data, v.shape, perm);
  return g.float(v.name, p.shape, p.data);
}

function layout(g: GraphBuilder, x: Value, nchw: boolean, name: string): Value {
  if (x.rank !== 4 || x.nchw === nchw) return x;
  const perm = nchw ? [0, 3, 1, 2] : [0, 2, 3, 1];
  return {
    ...x,
    name: g.node('Transpose', [x.name], `${name}/to_${nchw ? 'nchw' : 'nhwc'}`, { perm: { ints: perm } }),
    nchw,
  };
}

/** Elementwise activations keep the layout; softmax-like ones need features last. */
function activate(g: GraphBuilder, x: Value, act: string, name: string): Value {
  const f = (scalar: number, what: string): string => g.float(`${name}/${what}`, [], [scalar]);
  const unary = (op: string, attrs: Record<string, Attr> = {}): Value => ({
    ...x,
    name: g.node(op, [x.name], `${name}/${op}`, attrs),
  });
  switch (act) {
    case 'linear':
      return x;
    case 'relu':
      return unary('Relu');
    case 'sigmoid':
      return unary('Sigmoid');
    case 'tanh':
      return unary('Tanh');
    case 'softplus':
      return unary('Softplus');
    case 'elu':
      return unary('Elu', { alpha: { f: 1 } });
    case 'selu':
      return unary('Selu', { alpha: { f: 1.6732632423543772 }, gamma: { f: 1.0507009873554805 } });
    case 'leakyRelu':
      return unary('LeakyRelu', { alpha: { f: 0.2 } });
    case 'relu6':
      return { ...x, name: g.node('Clip', [x.name, f(0, 'min'), f(6, 'max')], `${name}/Clip`) };
    case 'swish':
    case 'silu':
      return {
        ...x,
        name: g.node('Mul', [x.name, g.node('Sigmoid', [x.name], `${name}/Sigmoid`)], `${name}/Mul`),
      };
    case 'gelu': {
      // Exact GELU, x·Φ(x) = 0.5·x·(1 + erf(x/√2)): opset 13 has Erf but no Gelu.
      const erf = g.node(
        'Erf',
        [g.node('Mul', [x.name, f(Math.SQRT1_2, 'rsqrt2')], `${name}/scale`)],
        `${name}/Erf`,
      );
      const onePlus = g.node('Add', [erf, f(1, 'one')], `${name}/one_plus`);
      const half = g.node('Mul', [x.name, f(0.5, 'half')], `${name}/half`);
      return { ...x, name: g.node('Mul', [half, onePlus], `${name}/gelu`) };
    }
    case 'softmax':
    case 'logSoftmax': {
      const y = layout(g, x, false, name);
      const op = act === 'softmax' ? 'Softmax' : 'LogSoftmax';
      return { ...y, name: g.node(op, [y.name], `${name}/${op}`, { axis: { i: -1 } }) };
    }
    default:
      throw new ArgumentError(`${WHO}: activation '${act}' (in ${name}) has no ONNX export`);
  }
}

/** TF-style 'same' pads as ONNX wants them: [top, left, bottom, right]. */
function pads(step: LayerStep, k: number[], s: number[], d: number[]): number[] {
  if (step.layer.getConfig().padding !== 'same') return [0, 0, 0, 0];
  const [t, b] = samePadding(step.input[1] ?? null, k[0]!, s[0]!, d[0]!, WHO);
  const [l, r] = samePadding(step.input[2] ?? null, k[1]!, s[1]!, d[1]!, WHO);
  return [t, l, b, r];
}

/** Converts one layer, appending its nodes; returns the value it produces. */
export async function convertLayer(g: GraphBuilder, step: LayerStep, input: Value): Promise<Value> {
  const { layer, output } = step;
  const cfg = layer.getConfig();
  const name = layer.name;
  const rank = output.length;
  let x = input;
  switch (layer.className) {
    case 'Dense': {
      x = layout(g, x, false, name);
      let y = g.node('MatMul', [x.name, await weight(g, weightOf(layer, 'kernel')!)], `${name}/MatMul`);
      const b = weightOf(layer, 'bias');
      if (b) y = g.node('Add', [y, await weight(g, b)], `${name}/BiasAdd`);
      return activate(g, { name: y, rank, nchw: false }, String(cfg.activation), name);
    }
    case 'Conv2D': {
      x = layout(g, x, true, name);
      const k = weightOf(layer, 'kernel')!;
      const b = weightOf(layer, 'bias');
      const kernel = k.shape.slice(0, 2);
      const strides = cfg.strides as number[];
      const dilations = cfg.dilationRate as number[];
      const inputs = [x.name, await weight(g, k, [3, 2, 0, 1])];
      if (b) inputs.push(await weight(g, b));
      const y = g.node('Conv', inputs, `${name}/Conv`, {
        kernel_shape: { ints: kernel },
        strides: { ints: strides },
        dilations: { ints: dilations },
        pads: { ints: pads(step, kernel, strides, dilations) },
      });
      return activate(g, { name: y, rank: 4, nchw: true }, String(cfg.activation), name);
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      x = layout(g, x, true, name);
      const kernel = cfg.poolSize as number[];
      const strides = cfg.strides as number[];
      const op = layer.className === 'MaxPooling2D' ? 'MaxPool' : 'AveragePool';
      // Padded cells are ignored by MaxPool, and AveragePool's count_include_pad=0 (the default) divides by
      // the real cells: TF's semantics exactly.
      const y = g.node(op, [x.name], `${name}/${op}`, {
        kernel_shape: { ints: kernel },
        strides: { ints: strides },
        pads: { ints: pads(step, kernel, strides, [1, 1]) },
      });
      return { name: y, rank: 4, nchw: true };
    }
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D': {
      x = layout(g, x, true, name);
      const op = layer.className === 'GlobalMaxPooling2D' ? 'GlobalMaxPool' : 'GlobalAveragePool';
      const y = g.node(op, [x.name], `${name}/${op}`);
      if (cfg.keepDims) return { name: y, rank: 4, nchw: true };
      return { name: g.node('Flatten', [y], `${name}/Flatten`, { axis: { i: 1 } }), rank: 2, nchw: false };
    }
    case 'BatchNormalization': {
      if (cfg.axis !== -1 && cfg.axis !== input.rank - 1)
        throw unsupported(
          WHO,
          layer,
          `only the last axis (channels) can be exported, got ${String(cfg.axis)}`,
        );
      const n = step.input[input.rank - 1] as number;
      const gamma = weightOf(layer, 'gamma');
      const beta = weightOf(layer, 'beta');
      const params = [
        gamma ? await weight(g, gamma) : g.float(`${name}/gamma`, [n], new Float32Array(n).fill(1)),
        beta ? await weight(g, beta) : g.float(`${name}/beta`, [n], new Float32Array(n)),
        await weight(g, weightOf(layer, 'moving_mean')!),
        await weight(g, weightOf(layer, 'moving_variance')!),
      ];
      const attrs = { epsilon: { f: cfg.epsilon as number } };
      if (input.rank === 4 || input.rank === 2) {
        x = layout(g, x, true, name);
        return { ...x, name: g.node('BatchNormalization', [x.name, ...params], `${name}/BatchNorm`, attrs) };
      }
      if (input.rank !== 3) throw unsupported(WHO, layer, `rank-${input.rank} inputs are not supported`);
      // ONNX normalizes axis 1 of [N, C, L]; ours is [N, L, C].
      const t = g.node('Transpose', [x.name], `${name}/to_ncl`, { perm: { ints: [0, 2, 1] } });
      const y = g.node('BatchNormalization', [t, ...params], `${name}/BatchNorm`, attrs);
      return { ...x, name: g.node('Transpose', [y], `${name}/to_nlc`, { perm: { ints: [0, 2, 1] } }) };
    }
    case 'LayerNormalization': {
      if (cfg.axis !== -1 && cfg.axis !== input.rank - 1)
        throw unsupported(WHO, layer, `only the last axis can be exported, got ${JSON.stringify(cfg.axis)}`);
      x = layout(g, x, false, name);
      // Opset 13 has no LayerNormalization: mean, centred, variance, normalized, then scale and shift.
      const axes = { axes: { ints: [-1] } };
      const mean = g.node('ReduceMean', [x.name], `${name}/mean`, axes);
      const centred = g.node('Sub', [x.name, mean], `${name}/centred`);
      const variance = g.node(
        'ReduceMean',
        [g.node('Mul', [centred, centred], `${name}/sq`)],
        `${name}/var`,
        axes,
      );
      const eps = g.float(`${name}/epsilon`, [], [cfg.epsilon as number]);
      const std = g.node('Sqrt', [g.node('Add', [variance, eps], `${name}/var_eps`)], `${name}/std`);
      let y = g.node('Div', [centred, std], `${name}/normalized`);
      const gamma = weightOf(layer, 'gamma');
      const beta = weightOf(layer, 'beta');
      if (gamma) y = g.node('Mul', [y, await weight(g, gamma)], `${name}/scale`);
      if (beta) y = g.node('Add', [y, await weight(g, beta)], `${name}/shift`);
      return { ...x, name: y };
    }
    case 'Embedding': {
      const table = await weight(g, weightOf(layer, 'embeddings')!);
      return {
        name: g.node('Gather', [table, x.name], `${name}/Gather`, { axis: { i: 0 } }),
        rank,
        nchw: false,
      };
    }
    case 'Flatten':
      x = layout(g, x, false, name);
      return {
        name: g.node('Flatten', [x.name], `${name}/Flatten`, { axis: { i: 1 } }),
        rank: 2,
        nchw: false,
      };
    case 'Reshape': {
      x = layout(g, x, false, name);
      // 0 copies the batch dimension (allowzero is 0 by default), so any batch size works.
      const shape = g.int64(`${name}/shape`, [rank], [0, ...output.slice(1).map((d) => d ?? -1)]);
      return { name: g.node('Reshape', [x.name, shape], `${name}/Reshape`), rank, nchw: false };
    }
    case 'Dropout':
      // Inference is the identity.
      return x;
    case 'Activation':
      return activate(g, x, String(cfg.activation), name);
    default:
      throw unsupported(WHO, layer, 'this layer type has no ONNX export');
  }
}

/** Brings a 4-D value back to NHWC at the end, so outputs compare directly with predict(). */
export function finalLayout(g: GraphBuilder, x: Value): Value {
  return layout(g, x, false, 'output');
}
