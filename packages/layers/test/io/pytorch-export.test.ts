import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AveragePooling2D,
  BatchNormalization,
  Conv2D,
  Dense,
  Dropout,
  Flatten,
  GlobalAveragePooling2D,
  LayerNormalization,
  MaxPooling2D,
  Reshape,
  Sequential,
  decodeSafetensors,
  encodeSafetensors,
  exportPytorchCode,
  exportSafetensors,
  safetensorsArray,
} from '../../src/index';
import { labels, uniform } from './helpers';
import { pythonHas, runPython } from './python';

/** Conv with an uneven 'same' pad (8 → 4 with stride 2), BN, pooling with and without pads, Flatten, Dense. */
function cnn(): Sequential {
  const model = new Sequential();
  model.add(
    new Conv2D({
      filters: 4,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      activation: 'relu',
      inputShape: [8, 8, 2],
    }),
  );
  model.add(new BatchNormalization());
  model.add(new MaxPooling2D({ poolSize: 2, strides: 1, padding: 'same' }));
  model.add(new AveragePooling2D({ poolSize: 3, strides: 2, padding: 'same' }));
  model.add(new Flatten());
  model.add(new Dense({ units: 5, activation: 'elu' }));
  model.add(new Dropout({ rate: 0.5 }));
  model.add(new Dense({ units: 3, activation: 'softmax' }));
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  // A few steps, so BatchNormalization's moving statistics are not their initial 0 and 1.
  for (let i = 0; i < 3; i++) model.trainOnBatch(uniform([6, 8, 8, 2], i), labels(6, 3, i));
  return model;
}

/** Global pooling, Reshape to 3-D, LayerNormalization, Flatten. */
function other(): Sequential {
  const model = new Sequential();
  model.add(new Conv2D({ filters: 6, kernelSize: 2, inputShape: [4, 4, 3], activation: 'tanh' }));
  model.add(new GlobalAveragePooling2D());
  model.add(new Dense({ units: 8, activation: 'gelu' }));
  model.add(new Reshape({ targetShape: [2, 4] }));
  model.add(new LayerNormalization());
  model.add(new BatchNormalization());
  model.add(new Flatten());
  model.add(new Dense({ units: 2, activation: 'sigmoid' }));
  model.build();
  return model;
}

describe('exportSafetensors({naming: "pytorch"})', () => {
  it('writes state_dict names and PyTorch layouts: Linear [out, in], Conv2d [out, in, kh, kw], BatchNorm buffers', async () => {
    const model = cnn();
    const file = decodeSafetensors(await exportSafetensors(model, { naming: 'pytorch' }));
    const shapes = Object.fromEntries(
      [...file.tensors].map(([k, t]) => [k, `${t.dtype} [${t.shape.join(',')}]`]),
    );
    // ZeroPad2d (0), Conv2d (1), ReLU (2), BatchNorm2d (3), …
    expect(shapes).toMatchObject({
      '1.weight': 'F32 [4,2,3,3]',
      '1.bias': 'F32 [4]',
      '3.weight': 'F32 [4]',
      '3.running_mean': 'F32 [4]',
      '3.running_var': 'F32 [4]',
      '3.num_batches_tracked': 'I64 []',
    });
    const [kernel, , , , movingMean] = model.getWeights();
    const k = kernel!.arraySync() as number[][][][];
    const w = safetensorsArray(file.tensors.get('1.weight')!);
    for (let o = 0; o < 4; o++)
      for (let i = 0; i < 2; i++)
        for (let h = 0; h < 3; h++)
          for (let x = 0; x < 3; x++) expect(w[((o * 2 + i) * 3 + h) * 3 + x]).toBe(k[h]![x]![i]![o]);
    expect([...safetensorsArray(file.tensors.get('3.running_mean')!)]).toEqual([...movingMean!.dataSync()]);

    const linear = [...file.tensors].find(([, t]) => t.shape.join() === '5,16')!;
    const dense = model.layers[5]!.weights[0]!.arraySync() as number[][];
    const lw = safetensorsArray(linear[1]);
    for (let o = 0; o < 5; o++) for (let i = 0; i < 16; i++) expect(lw[o * 16 + i]).toBe(dense[i]![o]);
  });

  it('naming "backprop" keeps our names and layouts', async () => {
    const model = other();
    const file = decodeSafetensors(await exportSafetensors(model));
    expect([...file.tensors.keys()].sort()).toEqual(model.weights.map((w) => w.name).sort());
  });

  it('the generated module permutes NCHW back to NHWC before Flatten', async () => {
    const code = await exportPytorchCode(cnn());
    expect(code).toMatch(/Permute\(0, 2, 3, 1\),\s+# \d+\n\s+nn\.Flatten\(\)/);
    expect(code).toContain('nn.ZeroPad2d((0, 1, 0, 1))');
    expect(code).toContain('AvgPoolSame((3, 3), (2, 2), (0, 1, 0, 1))');
    expect(code).toContain("nn.ConstantPad2d((0, 1, 0, 1), float('-inf'))");
  });
});

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

// Runs each exported model (module file, weights, NHWC input) in PyTorch; prints one JSON list of outputs per model.
const RUN_TORCH = `
import importlib.util, json, sys
import torch
for i in range(1, len(sys.argv), 3):
    spec = importlib.util.spec_from_file_location(f"exported{i}", sys.argv[i])
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    model = mod.load_model(sys.argv[i + 1])
    x = mod.load_safetensors(sys.argv[i + 2])["x"]
    if x.dim() == 4:
        x = x.permute(0, 3, 1, 2).contiguous()
    with torch.no_grad():
        print(json.dumps(model(x).reshape(-1).tolist()))
`;

const TORCH_CASES = [
  ['a CNN with uneven same padding, pooling, BatchNorm, Flatten', cnn, [5, 8, 8, 2]],
  ['global pooling, Reshape, LayerNorm and BatchNorm on 3-D', other, [5, 4, 4, 3]],
] as const;

describe.skipIf(!pythonHas('torch'))('the exported PyTorch model in PyTorch (Debian python3-torch)', () => {
  const results: { torch: number[]; backprop: Float32Array }[] = [];
  // One Python process for all models: starting PyTorch costs more than running them.
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'backprop-torch-'));
    dirs.push(dir);
    const args: string[] = [];
    for (const [i, [, make, shape]] of TORCH_CASES.entries()) {
      const model = make();
      const x = uniform([...shape], 42 + i);
      const files = ['model.py', 'model.safetensors', 'x.safetensors'].map((f) => join(dir, `${i}-${f}`));
      await writeFile(files[0]!, await exportPytorchCode(model));
      await writeFile(files[1]!, await exportSafetensors(model, { naming: 'pytorch' }));
      await writeFile(
        files[2]!,
        encodeSafetensors({ x: { dtype: 'F32', shape: x.shape, data: x.dataSync() } }),
      );
      args.push(...files);
      results.push({ torch: [], backprop: model.predict(x).dataSync() as Float32Array });
    }
    const lines = runPython(RUN_TORCH, args).trim().split('\n');
    lines.forEach((line, i) => (results[i]!.torch = JSON.parse(line) as number[]));
  }, 60_000);

  it.each(TORCH_CASES.map(([name], i) => [name, i] as const))(
    '%s: outputs match predict() within 1e-5',
    (_, i) => {
      const { torch, backprop } = results[i]!;
      expect(torch).toHaveLength(backprop.length);
      const maxError = Math.max(...torch.map((v, j) => Math.abs(v - backprop[j]!)));
      expect(maxError).toBeLessThanOrEqual(1e-5);
    },
  );
});
