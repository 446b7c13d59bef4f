/**
 * Export to PyTorch: a `torch.nn.Sequential` as Python source plus its state_dict as safetensors, both derived
 * from one plan so module indices and parameter names always agree.
 *
 * Layouts: our images are NHWC and conv kernels HWIO; PyTorch's are NCHW and OIHW. The generated model takes
 * NCHW images (PyTorch's convention; pass `inputLayout: 'nhwc'` to take ours) and keeps 4-D tensors NCHW inside.
 * Where the element order matters — Flatten, Reshape, Dense or LayerNormalization on 4-D tensors — it permutes
 * back to NHWC first, so the Dense kernel after a Flatten reads its inputs in the order it was trained on.
 */
import type { Variable } from '@backprop/autograd';
import type { SafetensorsTensorInput } from './safetensors';
import { encodeSafetensors } from './safetensors';
import type { LayerStep } from './export-common';
import { layerSteps, permuteData, samePadding, unsupported, weightOf } from './export-common';
import { safetensorsDType } from './tensors';
import { HELPERS, LOADER } from './pytorch-templates';
import type { Sequential } from '../sequential';

/** Options of {@link exportSafetensors}. */
export interface ExportSafetensorsOptions {
  /** 'backprop' (default): our names and layouts; 'pytorch': the state_dict of {@link exportPytorchCode}'s model. */
  naming?: 'backprop' | 'pytorch';
}

/** Options of {@link exportPytorchCode}. */
export interface PytorchCodeOptions {
  /** Layout of 4-D inputs the generated model takes: 'nchw' (default, PyTorch's) or 'nhwc' (backprop's). */
  inputLayout?: 'nchw' | 'nhwc';
  /** The file name `load_model()` reads by default (default 'model.safetensors'). */
  weightsFile?: string;
}

interface TorchModule {
  code: string;
  params: [string, SafetensorsTensorInput][];
}

const WHO = 'exportPytorch';
const TO_NCHW = 'Permute(0, 3, 1, 2)';
const TO_NHWC = 'Permute(0, 2, 3, 1)';

async function raw(v: Variable): Promise<SafetensorsTensorInput> {
  return { dtype: safetensorsDType(v.dtype), shape: [...v.shape], data: await v.data() };
}

async function permuted(v: Variable, perm: number[]): Promise<SafetensorsTensorInput> {
  const p = permuteData(await v.data(), v.shape, perm);
  return { dtype: safetensorsDType(v.dtype), shape: p.shape, data: p.data };
}

function filled(n: number, value: number): SafetensorsTensorInput {
  return { dtype: 'F32', shape: [n], data: new Float32Array(n).fill(value) };
}

const pair = (a: readonly number[]): string => `(${a[0]}, ${a[1]})`;
const py = (x: number): string => (Number.isInteger(x) ? `${x}.0` : String(x));

function activation(name: string, channelDim: number): string | undefined {
  const table: Record<string, string | undefined> = {
    linear: undefined,
    relu: 'nn.ReLU()',
    relu6: 'nn.ReLU6()',
    sigmoid: 'nn.Sigmoid()',
    tanh: 'nn.Tanh()',
    softmax: `nn.Softmax(dim=${channelDim})`,
    logSoftmax: `nn.LogSoftmax(dim=${channelDim})`,
    softplus: 'nn.Softplus()',
    elu: 'nn.ELU()',
    selu: 'nn.SELU()',
    gelu: 'nn.GELU()',
    swish: 'nn.SiLU()',
    silu: 'nn.SiLU()',
    leakyRelu: 'nn.LeakyReLU(0.2)',
  };
  return table[name];
}

/** Modules for one layer. `nchw` is whether the incoming tensor is a 4-D one held channels-first. */
async function convert(step: LayerStep, nchw: boolean): Promise<{ modules: TorchModule[]; nchw: boolean }> {
  const { layer, input, output } = step;
  const cfg = layer.getConfig();
  const m = (code: string, params: TorchModule['params'] = []): TorchModule => ({ code, params });
  const out: TorchModule[] = [];
  const act = (name: unknown, rank: number, held: boolean): void => {
    const a = activation(String(name), held ? 1 : rank - 1);
    if (a) out.push(m(a));
  };
  const toNhwc = (): void => {
    if (nchw) out.push(m(TO_NHWC));
  };
  switch (layer.className) {
    case 'Dense': {
      const k = weightOf(layer, 'kernel')!;
      const b = weightOf(layer, 'bias');
      toNhwc();
      const params: TorchModule['params'] = [['weight', await permuted(k, [1, 0])]];
      if (b) params.push(['bias', await raw(b)]);
      out.push(m(`nn.Linear(${k.shape[0]}, ${k.shape[1]}, bias=${b ? 'True' : 'False'})`, params));
      act(cfg.activation, output.length, false);
      if (nchw) out.push(m(TO_NCHW));
      return { modules: out, nchw };
    }
    case 'Conv2D': {
      const k = weightOf(layer, 'kernel')!;
      const b = weightOf(layer, 'bias');
      const [kh, kw, cin, cout] = k.shape as [number, number, number, number];
      const strides = cfg.strides as number[];
      const dil = cfg.dilationRate as number[];
      let pad = [0, 0];
      if (cfg.padding === 'same') {
        const [t, bo] = samePadding(input[1] ?? null, kh, strides[0]!, dil[0]!, WHO);
        const [l, r] = samePadding(input[2] ?? null, kw, strides[1]!, dil[1]!, WHO);
        // TF puts the odd cell after; nn.Conv2d pads symmetrically, so uneven pads get their own module.
        if (t === bo && l === r) pad = [t, l];
        else out.push(m(`nn.ZeroPad2d((${l}, ${r}, ${t}, ${bo}))`));
      }
      const params: TorchModule['params'] = [['weight', await permuted(k, [3, 2, 0, 1])]];
      if (b) params.push(['bias', await raw(b)]);
      out.push(
        m(
          `nn.Conv2d(${cin}, ${cout}, kernel_size=${pair([kh, kw])}, stride=${pair(strides)}, padding=${pair(pad)}, ` +
            `dilation=${pair(dil)}, bias=${b ? 'True' : 'False'})`,
          params,
        ),
      );
      act(cfg.activation, 4, true);
      return { modules: out, nchw: true };
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const [kh, kw] = cfg.poolSize as number[];
      const strides = cfg.strides as number[];
      const max = layer.className === 'MaxPooling2D';
      let pads = [0, 0, 0, 0];
      if (cfg.padding === 'same') {
        const [t, bo] = samePadding(input[1] ?? null, kh!, strides[0]!, 1, WHO);
        const [l, r] = samePadding(input[2] ?? null, kw!, strides[1]!, 1, WHO);
        pads = [l, r, t, bo];
      }
      const k = pair([kh!, kw!]);
      const padded = pads.some((p) => p > 0);
      // Padded cells must never win a max (pad with -inf) nor count in a mean (divide by real cells, as TF).
      if (!padded) out.push(m(`nn.${max ? 'MaxPool2d' : 'AvgPool2d'}(${k}, stride=${pair(strides)})`));
      else if (max) {
        out.push(m(`nn.ConstantPad2d((${pads.join(', ')}), float('-inf'))`));
        out.push(m(`nn.MaxPool2d(${k}, stride=${pair(strides)})`));
      } else out.push(m(`AvgPoolSame(${k}, ${pair(strides)}, (${pads.join(', ')}))`));
      return { modules: out, nchw: true };
    }
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
      out.push(m(`nn.Adaptive${layer.className === 'GlobalMaxPooling2D' ? 'Max' : 'Avg'}Pool2d(1)`));
      if (cfg.keepDims) return { modules: out, nchw: true };
      out.push(m('nn.Flatten()'));
      return { modules: out, nchw: false };
    case 'BatchNormalization': {
      const rank = input.length;
      if (cfg.axis !== -1 && cfg.axis !== rank - 1)
        throw unsupported(
          WHO,
          layer,
          `only the last axis (channels) can be exported, got axis ${String(cfg.axis)}`,
        );
      const n = input[rank - 1] as number;
      const g = weightOf(layer, 'gamma');
      const b = weightOf(layer, 'beta');
      const params: TorchModule['params'] = [
        ['weight', g ? await raw(g) : filled(n, 1)],
        ['bias', b ? await raw(b) : filled(n, 0)],
        ['running_mean', await raw(weightOf(layer, 'moving_mean')!)],
        ['running_var', await raw(weightOf(layer, 'moving_variance')!)],
        // PyTorch's counter of batches seen: int64, and it only matters for momentum=None, which we never emit.
        ['num_batches_tracked', { dtype: 'I64', shape: [], data: new BigInt64Array(1) }],
      ];
      const args = `${n}, eps=${py(cfg.epsilon as number)}, momentum=${py(1 - (cfg.momentum as number))}`;
      if (rank === 4) out.push(m(`nn.BatchNorm2d(${args})`, params));
      else if (rank === 2) out.push(m(`nn.BatchNorm1d(${args})`, params));
      else if (rank === 3) {
        // BatchNorm1d wants [N, C, L]; ours is [N, L, C].
        out.push(m('Permute(0, 2, 1)'), m(`nn.BatchNorm1d(${args})`, params), m('Permute(0, 2, 1)'));
      } else throw unsupported(WHO, layer, `rank-${rank} inputs are not supported`);
      return { modules: out, nchw };
    }
    case 'LayerNormalization': {
      const rank = input.length;
      if (cfg.axis !== -1 && cfg.axis !== rank - 1)
        throw unsupported(
          WHO,
          layer,
          `only the last axis can be exported, got axis ${JSON.stringify(cfg.axis)}`,
        );
      const n = input[rank - 1] as number;
      const g = weightOf(layer, 'gamma');
      const b = weightOf(layer, 'beta');
      toNhwc();
      const affine = g !== undefined || b !== undefined;
      const params: TorchModule['params'] = affine
        ? [
            ['weight', g ? await raw(g) : filled(n, 1)],
            ['bias', b ? await raw(b) : filled(n, 0)],
          ]
        : [];
      const eps = py(cfg.epsilon as number);
      out.push(m(`nn.LayerNorm(${n}, eps=${eps}, elementwise_affine=${affine ? 'True' : 'False'})`, params));
      if (nchw) out.push(m(TO_NCHW));
      return { modules: out, nchw };
    }
    case 'Embedding': {
      const e = weightOf(layer, 'embeddings')!;
      out.push(m(`nn.Embedding(${e.shape[0]}, ${e.shape[1]})`, [['weight', await raw(e)]]));
      return { modules: out, nchw: false };
    }
    case 'Flatten':
      toNhwc();
      out.push(m('nn.Flatten()'));
      return { modules: out, nchw: false };
    case 'Reshape': {
      toNhwc();
      const target = output.slice(1).map((d) => d ?? -1);
      out.push(m(`Reshape(${target.join(', ')})`));
      if (output.length === 4) out.push(m(TO_NCHW));
      return { modules: out, nchw: output.length === 4 };
    }
    case 'Dropout':
      out.push(m(`nn.Dropout(p=${py(cfg.rate as number)})`));
      return { modules: out, nchw };
    case 'Activation':
      act(cfg.activation, output.length, nchw);
      return { modules: out, nchw };
    default:
      throw unsupported(WHO, layer, 'this layer type has no PyTorch export');
  }
}

async function plan(model: Sequential, inputLayout: 'nchw' | 'nhwc'): Promise<TorchModule[]> {
  const steps = layerSteps(model, WHO);
  const modules: TorchModule[] = [];
  const image = steps[0]!.input.length === 4;
  if (image && inputLayout === 'nhwc') modules.push({ code: TO_NCHW, params: [] });
  let nchw = image;
  for (const step of steps) {
    const r = await convert(step, nchw);
    modules.push(...r.modules);
    nchw = r.nchw;
  }
  // Outputs in backprop's layout, so model(x) compares directly with predict().
  if (nchw) modules.push({ code: TO_NHWC, params: [] });
  return modules;
}

/**
 * The model's weights as safetensors. `naming: 'pytorch'` writes the state_dict of the `nn.Sequential` that
 * {@link exportPytorchCode} generates: `0.weight`, `0.bias`, … with Linear weights [out, in] (Dense kernels
 * transposed), Conv2d weights [out, in, kh, kw] (from HWIO), and BatchNorm `running_mean` / `running_var` /
 * `num_batches_tracked` (I64).
 */
export async function exportSafetensors(
  model: Sequential,
  options: ExportSafetensorsOptions = {},
): Promise<Uint8Array> {
  if ((options.naming ?? 'backprop') === 'backprop') {
    layerSteps(model, 'exportSafetensors');
    const entries = await Promise.all(model.weights.map(async (w) => [w.name, await raw(w)] as const));
    return encodeSafetensors(entries, { format: 'backprop.weights' });
  }
  const modules = await plan(model, 'nchw');
  const entries = modules.flatMap((mod, i) => mod.params.map(([k, t]) => [`${i}.${k}`, t] as const));
  return encodeSafetensors(entries, { format: 'pt' });
}

/**
 * Python source of a `torch.nn.Sequential` equivalent to `model`, with `build_model()` and
 * `load_model(path)` (which loads {@link exportSafetensors}`(model, {naming: 'pytorch'})` and returns the model
 * in eval mode). 4-D inputs are NCHW unless `inputLayout: 'nhwc'`; outputs are in backprop's layout.
 */
export async function exportPytorchCode(
  model: Sequential,
  options: PytorchCodeOptions = {},
): Promise<string> {
  const modules = await plan(model, options.inputLayout ?? 'nchw');
  const used = Object.keys(HELPERS).filter((h) => modules.some((m) => m.code.startsWith(`${h}(`)));
  const lines = modules.map((m, i) => `        ${m.code},  # ${i}`);
  const file = JSON.stringify(options.weightsFile ?? 'model.safetensors');
  return [
    `# Generated by @backprop/layers from the model "${model.name}".`,
    `# Inputs: ${model.inputShape?.length === 4 ? `images ${options.inputLayout === 'nhwc' ? 'NHWC' : 'NCHW'}` : 'as in backprop'}.`,
    'import json',
    'import struct',
    '',
    'import torch',
    'import torch.nn.functional as F',
    'from torch import nn',
    '',
    '',
    ...used.flatMap((h) => [HELPERS[h]!, '']),
    'def build_model():',
    '    return nn.Sequential(',
    ...lines,
    '    )',
    '',
    '',
    LOADER,
    '',
    `def load_model(path=${file}):`,
    '    model = build_model()',
    '    model.load_state_dict(load_safetensors(path))',
    '    return model.eval()',
    '',
  ].join('\n');
}
