import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tensor } from '@backprop/core-tensor';
import {
  BatchNormalization,
  Dense,
  ModelFormatError,
  SafetensorsError,
  Sequential,
  decodeSafetensors,
  loadModel,
  loadWeights,
  saveModel,
  saveWeights,
} from '../../src/index';
import { bits, cnn, labels, mlp, uniform } from './helpers';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'backprop-io-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('saveModel / loadModel', () => {
  it('memory: the loaded model predicts bit for bit what the saved one did, and is compiled the same', async () => {
    const model = mlp();
    const x = uniform([16, 4], 1);
    for (let i = 0; i < 3; i++) model.trainOnBatch(x, labels(16, 3, i));
    const artifacts = await saveModel(model, { kind: 'memory' });
    expect(artifacts.modelJson.format).toBe('backprop.model');
    expect(artifacts.modelJson.weights.map((w) => w.name)).toEqual(model.weights.map((w) => w.name));
    expect(artifacts.optimizer).toBeInstanceOf(Uint8Array);

    const loaded = await loadModel(artifacts);
    expect(bits(loaded.predict(x))).toEqual(bits(model.predict(x)));
    expect(loaded.getConfig()).toEqual(model.getConfig());
    expect(loaded.optimizer?.className).toBe('Adam');
    expect(loaded.optimizer?.iterations).toBe(3);
    expect(loaded.compiled?.loss.className).toBe(model.compiled?.loss.className);
    expect(loaded.compiled?.metricIds).toEqual(['accuracy']);
  });

  it('a directory: model.json plus safetensors named like the variables; a file:// URL works too', async () => {
    const model = cnn();
    const x = uniform([5, 6, 6, 2], 2);
    model.trainOnBatch(x, labels(5, 3, 3));
    const dir = join(await tempDir(), 'nested', 'cnn');
    await saveModel(model, dir);
    const files = (await readdir(dir)).sort();
    expect(files).toHaveLength(3);
    expect(files[0]).toBe('model.json');
    expect(files[1]).toMatch(/^optimizer\.[0-9a-f]+\.safetensors$/);
    expect(files[2]).toMatch(/^weights\.[0-9a-f]+\.safetensors$/);
    const weights = decodeSafetensors(new Uint8Array(await readFile(join(dir, files[2]!))));
    const kernelName = `${model.layers[0]!.name}/kernel`;
    expect(weights.tensors.get(kernelName)?.shape).toEqual([3, 3, 2, 4]);
    expect(weights.metadata.format).toBe('backprop');

    for (const source of [dir, join(dir, 'model.json'), pathToFileURL(dir).href]) {
      const loaded = await loadModel(source);
      expect(bits(loaded.predict(x))).toEqual(bits(model.predict(x)));
    }
    // The BatchNormalization moving statistics (non-trainable weights) travel too.
    const loaded = await loadModel(dir);
    expect(bits(loaded.layers[1]!.weights[2]!)).toEqual(bits(model.layers[1]!.weights[2]!));
  });

  it('a second save to the same directory replaces the first and leaves no stale files', async () => {
    const dir = await tempDir();
    const model = mlp();
    await saveModel(model, dir);
    model.trainOnBatch(uniform([4, 4], 3), labels(4, 3, 4));
    await saveModel(model, dir);
    expect(await readdir(dir)).toHaveLength(3);
    const loaded = await loadModel(dir);
    expect(loaded.optimizer?.iterations).toBe(1);
  });

  it('builds a model that knows its input shape before saving, so its initial weights are kept', async () => {
    const model = mlp();
    expect(model.built).toBe(false);
    const loaded = await loadModel(await saveModel(model, { kind: 'memory' }));
    const x = uniform([2, 4], 9);
    expect(bits(loaded.predict(x))).toEqual(bits(model.predict(x)));
  });

  it('saves an unbuilt model (config only) and a model without optimizer state', async () => {
    const unbuilt = new Sequential({ layers: [new Dense({ units: 2 })] });
    const a = await saveModel(unbuilt, { kind: 'memory' });
    expect(a.modelJson.buildInputShape).toBeNull();
    expect((await loadModel(a)).built).toBe(false);

    const model = mlp();
    const b = await saveModel(model, { kind: 'memory' }, { includeOptimizer: false });
    expect(b.optimizer).toBeUndefined();
    expect((await loadModel(b)).optimizer?.iterations).toBe(0);
    expect((await loadModel(b, { compile: false })).compiled).toBeUndefined();
  });

  it('a custom loss function cannot be rebuilt: the error says to load with compile: false', async () => {
    const model = new Sequential({ layers: [new Dense({ units: 1, inputShape: [2] })] });
    model.compile({ optimizer: 'sgd', loss: (yTrue, yPred) => yPred.sub(yTrue).square().mean() });
    const a = await saveModel(model, { kind: 'memory' });
    await expect(loadModel(a)).rejects.toThrow(/compile: false/);
    expect((await loadModel(a, { compile: false })).built).toBe(true);
  });
});

describe('loadModel rejects what it cannot load faithfully', () => {
  it('a weights file changed after saving (checksum), truncated, or missing', async () => {
    const dir = await tempDir();
    await saveModel(mlp(), dir);
    const weightsFile = join(
      dir,
      (await readdir(dir)).find((f) => f.startsWith('weights.'))!,
    );
    const good = await readFile(weightsFile);
    const flipped = Buffer.from(good);
    flipped[flipped.length - 1]! ^= 1;
    await writeFile(weightsFile, flipped);
    await expect(loadModel(dir)).rejects.toThrow(/does not match the SHA-256/);
    await writeFile(weightsFile, good.subarray(0, good.length - 4));
    await expect(loadModel(dir)).rejects.toThrow(/expects \d+ \(partial copy\?\)/);
    await rm(weightsFile);
    await expect(loadModel(dir)).rejects.toThrow(/ENOENT/);
    await expect(loadModel(join(dir, 'nowhere'))).rejects.toThrow(ModelFormatError);
  });

  it('foreign or newer model.json, weights that do not fit, malformed safetensors', async () => {
    const a = await saveModel(mlp(), { kind: 'memory' });
    const withJson = (patch: Record<string, unknown>): typeof a => ({
      ...a,
      modelJson: { ...a.modelJson, ...patch },
    });
    await expect(loadModel(withJson({ format: 'keras' }))).rejects.toThrow(/not a backprop model/);
    await expect(loadModel(withJson({ formatVersion: 99 }))).rejects.toThrow(/format version 99/);
    const wrongShape = a.modelJson.weights.map((w, i) => (i === 0 ? { ...w, shape: [5, 8] } : w));
    await expect(loadModel(withJson({ weights: wrongShape }))).rejects.toThrow(/differ from the saved ones/);
    await expect(loadModel({ ...a, weights: a.weights.subarray(0, 20) })).rejects.toThrow(SafetensorsError);
    await expect(loadModel({ ...a, optimizer: undefined })).rejects.toThrow(/no optimizer file/);
  });

  it('an unknown target scheme is an error naming the ones that work', async () => {
    await expect(saveModel(mlp(), 'ftp://host/model')).rejects.toThrow(/indexeddb:\/\//);
  });
});

describe('saveWeights / loadWeights', () => {
  it('round-trip weights into a fresh model of the same architecture, atomically written', async () => {
    const model = mlp();
    model.trainOnBatch(uniform([8, 4], 5), labels(8, 3, 6));
    const file = join(await tempDir(), 'w.safetensors');
    await saveWeights(model, file);
    const fresh = Sequential.fromConfig(model.getConfig());
    await loadWeights(fresh, file);
    const x = uniform([3, 4], 7);
    expect(bits(fresh.predict(x))).toEqual(bits(model.predict(x)));
  });

  it('refuses weights of another architecture and leaves the model unchanged', async () => {
    const bytes = await saveWeights(mlp(), { kind: 'memory' });
    const other = new Sequential({
      layers: [new Dense({ units: 8, inputShape: [4] }), new BatchNormalization(), new Dense({ units: 2 })],
    });
    other.build();
    const before = other.getWeights().map(bits);
    await expect(loadWeights(other, bytes)).rejects.toThrow(/has tensors the model does not|has no tensor/);
    expect(other.getWeights().map(bits)).toEqual(before);
    await expect(loadWeights(other, tensor([1]).dataSync() as unknown as Uint8Array)).rejects.toThrow();
  });
});
