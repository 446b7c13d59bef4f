import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tensor } from '@backprop/core-tensor';
import { loadTfjsModel } from '../../src/index';

// Written by @tensorflow/tfjs-layers 4.22 (model.save to memory) from a Conv2D/BatchNormalization/MaxPooling2D/
// Flatten/Dropout/Dense/Reshape model, with its own predictions on a fixed input: an independent reference.
const FIXTURE = join(import.meta.dirname, 'fixtures', 'tfjs-cnn');

interface Expected {
  input: { shape: number[]; data: number[] };
  output: { shape: number[]; data: number[] };
}

async function expected(): Promise<Expected> {
  return JSON.parse(await readFile(join(FIXTURE, 'expected.json'), 'utf8')) as Expected;
}

function maxError(a: ArrayLike<number>, b: readonly number[]): number {
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('loadTfjsModel', () => {
  it('loads a TF.js layers model (model.json + shard) and predicts what TF.js predicted', async () => {
    const model = await loadTfjsModel(FIXTURE);
    const { input, output } = await expected();
    const y = model.predict(tensor(input.data, input.shape));
    expect(y.shape).toEqual(output.shape);
    expect(maxError(y.dataSync(), output.data)).toBeLessThanOrEqual(1e-5);
    expect(model.layers.map((l) => l.className)).toEqual([
      'Conv2D',
      'BatchNormalization',
      'MaxPooling2D',
      'Flatten',
      'Dropout',
      'Dense',
      'Reshape',
      'Flatten',
      'Dense',
    ]);
  });

  it("reads the Keras converter's layout too: model_config wrapper, InputLayer, kernel:0 names", async () => {
    const json = JSON.parse(await readFile(join(FIXTURE, 'model.json'), 'utf8')) as {
      modelTopology: { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
      weightsManifest: { weights: { name: string }[] }[];
    };
    const layers = json.modelTopology.config.layers;
    const first = layers[0]!.config;
    layers.unshift({
      class_name: 'InputLayer',
      config: { batch_shape: first.batch_input_shape, name: 'input' },
    });
    delete first.batch_input_shape;
    for (const w of json.weightsManifest[0]!.weights) w.name += ':0';
    const modelJson = {
      ...json,
      modelTopology: { keras_version: '3.0.0', model_config: json.modelTopology },
    };
    const shard = new Uint8Array(await readFile(join(FIXTURE, 'group1-shard1of1.bin')));
    const model = await loadTfjsModel({ modelJson, shards: [shard] });
    const { input, output } = await expected();
    expect(
      maxError(model.predict(tensor(input.data, input.shape)).dataSync(), output.data),
    ).toBeLessThanOrEqual(1e-5);
  });

  it('rejects what it cannot load, saying why', async () => {
    const json = JSON.parse(await readFile(join(FIXTURE, 'model.json'), 'utf8')) as Record<string, unknown>;
    const shard = new Uint8Array(await readFile(join(FIXTURE, 'group1-shard1of1.bin')));
    await expect(loadTfjsModel({ modelJson: json, shards: [shard.subarray(0, 100)] })).rejects.toThrow(
      /too few/,
    );
    const lstm = {
      ...json,
      modelTopology: { class_name: 'Sequential', config: { layers: [{ class_name: 'LSTM', config: {} }] } },
    };
    await expect(loadTfjsModel({ modelJson: lstm, shards: [] })).rejects.toThrow(/"LSTM" is not supported/);
    const functional = { ...json, modelTopology: { class_name: 'Functional', config: {} } };
    await expect(loadTfjsModel({ modelJson: functional, shards: [] })).rejects.toThrow(/only Sequential/);
  });
});
