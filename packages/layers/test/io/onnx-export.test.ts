import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import type { Tensor } from '@backprop/core-tensor';
import { tensor } from '@backprop/core-tensor';
import {
  Activation,
  AveragePooling2D,
  BatchNormalization,
  Conv2D,
  Dense,
  Dropout,
  Embedding,
  Flatten,
  GlobalAveragePooling2D,
  LayerNormalization,
  MaxPooling2D,
  Reshape,
  Sequential,
  exportOnnx,
} from '../../src/index';
import { onnxRoot } from '../../src/io/onnx/schema';
import { labels, uniform } from './helpers';
import { pythonHas, runPython } from './python';

function mlp(): Sequential {
  const model = new Sequential();
  model.add(new Dense({ units: 16, activation: 'relu', inputShape: [10] }));
  model.add(new BatchNormalization());
  model.add(new Dropout({ rate: 0.3 }));
  model.add(new Dense({ units: 4, activation: 'softmax' }));
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  for (let i = 0; i < 3; i++) model.trainOnBatch(uniform([8, 10], i), labels(8, 4, i));
  return model;
}

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
  model.add(new Dropout({ rate: 0.5 }));
  model.add(new Dense({ units: 6, activation: 'gelu' }));
  model.add(new Dense({ units: 3, activation: 'softmax' }));
  model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
  for (let i = 0; i < 3; i++) model.trainOnBatch(uniform([6, 8, 8, 2], i), labels(6, 3, i));
  return model;
}

/** Every other activation, Reshape back to an image, global pooling, LayerNormalization, 3-D BatchNorm. */
function zoo(): Sequential {
  const model = new Sequential();
  model.add(new Dense({ units: 48, activation: 'selu', inputShape: [6] }));
  model.add(new Reshape({ targetShape: [4, 4, 3] }));
  model.add(new Conv2D({ filters: 5, kernelSize: 2, activation: 'relu6' }));
  model.add(new Activation({ activation: 'softmax' }));
  model.add(new Conv2D({ filters: 4, kernelSize: 2, activation: 'silu', padding: 'same' }));
  model.add(new GlobalAveragePooling2D({ keepDims: true }));
  model.add(new Flatten());
  model.add(new Dense({ units: 8, activation: 'leakyRelu' }));
  model.add(new Reshape({ targetShape: [2, 4] }));
  model.add(new LayerNormalization());
  model.add(new BatchNormalization());
  model.add(new Activation({ activation: 'elu' }));
  model.add(new Flatten());
  model.add(new Dense({ units: 3, activation: 'softplus' }));
  model.add(new Activation({ activation: 'tanh' }));
  model.add(new Dense({ units: 3, activation: 'logSoftmax' }));
  model.build();
  return model;
}

function embedding(): Sequential {
  const model = new Sequential();
  model.add(new Embedding({ inputDim: 10, outputDim: 4, inputShape: [5] }));
  model.add(new Flatten());
  model.add(new Dense({ units: 2, activation: 'sigmoid' }));
  model.build();
  return model;
}

async function runOrt(bytes: Uint8Array, x: Tensor): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  const type = x.dtype === 'int32' ? 'int32' : 'float32';
  const feeds = { input: new ort.Tensor(type, x.dataSync() as Float32Array | Int32Array, [...x.shape]) };
  const out = await session.run(feeds);
  return out.output!.data as Float32Array;
}

const cases = [
  ['an MLP with BatchNormalization and Dropout', mlp, () => uniform([7, 10], 50)],
  ['a CNN with uneven same padding, both poolings and Flatten', cnn, () => uniform([5, 8, 8, 2], 51)],
  ['every activation, Reshape, global pooling, LayerNorm', zoo, () => uniform([4, 6], 52)],
  [
    'an Embedding on int32 ids',
    embedding,
    () =>
      tensor(
        [
          [0, 3, 9, 1, 1],
          [2, 2, 5, 7, 8],
        ],
        undefined,
        'int32',
      ),
  ],
] as const;

describe('exportOnnx in ONNX Runtime (onnxruntime-node)', () => {
  it.each(cases)('%s: outputs match predict() within 1e-5', async (_, make, input) => {
    const model = make();
    const x = input();
    const got = await runOrt(await exportOnnx(model), x);
    const expected = model.predict(x).dataSync();
    expect(got).toHaveLength(expected.length);
    let maxError = 0;
    for (let i = 0; i < got.length; i++) maxError = Math.max(maxError, Math.abs(got[i]! - expected[i]!));
    expect(maxError).toBeLessThanOrEqual(1e-5);
  });
});

describe('exportOnnx structure (decoded with protobufjs)', () => {
  it('opset 13, NHWC input and output with a symbolic batch, one Transpose into and out of the conv stack', async () => {
    const ModelProto = onnxRoot().lookupType('onnx.ModelProto');
    const decoded = ModelProto.toObject(ModelProto.decode(await exportOnnx(cnn())), { longs: Number }) as {
      irVersion: number;
      opsetImport: { version: number }[];
      graph: {
        node: { opType: string }[];
        input: { name: string; type: { tensorType: { shape: { dim: Record<string, unknown>[] } } } }[];
        output: { name: string }[];
        initializer: { name: string; dims: number[] }[];
      };
    };
    expect(decoded.irVersion).toBe(7);
    expect(decoded.opsetImport[0]!.version).toBe(13);
    expect(decoded.graph.input[0]!.name).toBe('input');
    expect(decoded.graph.input[0]!.type.tensorType.shape.dim).toEqual([
      { dimParam: 'batch' },
      { dimValue: 8 },
      { dimValue: 8 },
      { dimValue: 2 },
    ]);
    expect(decoded.graph.output[0]!.name).toBe('output');
    expect(decoded.graph.node.map((n) => n.opType)).toEqual([
      'Transpose',
      'Conv',
      'Relu',
      'BatchNormalization',
      'MaxPool',
      'AveragePool',
      'Transpose',
      'Flatten',
      'MatMul',
      'Add',
      'Mul',
      'Erf',
      'Add',
      'Mul',
      'Mul',
      'MatMul',
      'Add',
      'Softmax',
      'Identity',
    ]);
    const conv = decoded.graph.initializer.find((t) => t.name.endsWith('/kernel'))!;
    expect(conv.dims).toEqual([4, 2, 3, 3]);
  });

  it('names the layer it cannot export', async () => {
    const model = new Sequential({ layers: [new BatchNormalization({ axis: 1, inputShape: [3, 4] })] });
    await expect(exportOnnx(model)).rejects.toThrow(
      /batch_normalization\w* \(BatchNormalization\): only the last axis/,
    );
  });
});

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe.skipIf(!pythonHas('onnx'))('exportOnnx passes onnx.checker (Debian python3-onnx)', () => {
  it('full check with shape inference, for every model above', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'backprop-onnx-'));
    dirs.push(dir);
    const files: string[] = [];
    for (const [i, [, make]] of cases.entries()) {
      files.push(join(dir, `m${i}.onnx`));
      await writeFile(files[i]!, await exportOnnx(make()));
    }
    const out = runPython(
      'import sys, onnx\nfor p in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(p), full_check=True)\nprint("ok")',
      files,
    );
    expect(out.trim()).toBe('ok');
  }, 60_000);
});
