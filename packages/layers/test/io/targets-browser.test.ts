import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ModelArtifacts } from '../../src/index';
import { ModelFormatError, browserFiles, loadModel, removeIndexedDBModel, saveModel } from '../../src/index';
import { bits, labels, mlp, uniform } from './helpers';

afterEach(() => {
  vi.unstubAllGlobals();
});

function trained(): ReturnType<typeof mlp> {
  const model = mlp();
  model.trainOnBatch(uniform([6, 4], 1), labels(6, 3, 2));
  return model;
}

describe('indexeddb:// (with fake-indexeddb standing in for a browser)', () => {
  it('saves in one record and loads an identical model; removeIndexedDBModel deletes it', async () => {
    vi.stubGlobal('indexedDB', new IDBFactory());
    const model = trained();
    await saveModel(model, 'indexeddb://my-model');
    const loaded = await loadModel('indexeddb://my-model');
    const x = uniform([3, 4], 3);
    expect(bits(loaded.predict(x))).toEqual(bits(model.predict(x)));
    expect(loaded.optimizer?.iterations).toBe(1);
    await removeIndexedDBModel('my-model');
    await expect(loadModel('indexeddb://my-model')).rejects.toThrow(/no model named "my-model"/);
  });

  it('says what to use instead where IndexedDB does not exist (Node)', async () => {
    await expect(saveModel(mlp(), 'indexeddb://x')).rejects.toThrow(/IndexedDB is not available here/);
  });
});

describe('downloads:// and browserFiles', () => {
  it('offers the json and safetensors files, which browserFiles loads back', async () => {
    const offered: File[] = [];
    const anchor = { download: '', href: '', click: () => undefined };
    anchor.click = () => {
      offered.push(new File([blobs.get(anchor.href)!], anchor.download));
    };
    const blobs = new Map<string, Blob>();
    let n = 0;
    vi.stubGlobal('document', { createElement: () => anchor });
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      const url = `blob:test/${n++}`;
      blobs.set(url, b as Blob);
      return url;
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const model = trained();
    await saveModel(model, 'downloads://mnist');
    expect(offered.map((f) => f.name)).toEqual([
      'mnist.weights.safetensors',
      'mnist.optimizer.safetensors',
      'mnist.json',
    ]);
    const loaded = await loadModel(browserFiles(offered));
    const x = uniform([2, 4], 4);
    expect(bits(loaded.predict(x))).toEqual(bits(model.predict(x)));
    // A missing or altered file is reported, not half-loaded.
    await expect(loadModel(browserFiles(offered.slice(1)))).rejects.toThrow(
      /mnist.weights.safetensors was not/,
    );
    const altered = new File(
      [new Uint8Array(await offered[0]!.arrayBuffer()).map((b, i) => (i === 99 ? b ^ 1 : b))],
      offered[0]!.name,
    );
    await expect(loadModel(browserFiles([altered, ...offered.slice(1)]))).rejects.toThrow(ModelFormatError);
    vi.restoreAllMocks();
  });

  it('downloads:// needs a page', async () => {
    await expect(saveModel(mlp(), 'downloads://x')).rejects.toThrow(/needs a browser page/);
  });
});

describe('http(s):// loading', () => {
  it('loads a saved directory served over HTTP, from the directory URL or the model.json URL', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'backprop-http-'));
    const model = trained();
    await saveModel(model, dir);
    const names = new Set(await readdir(dir));
    const server = createServer((req, res) => {
      const file = (req.url ?? '').replace(/^\/models\/m1\//, '');
      if (!names.has(file)) {
        res.writeHead(404).end();
        return;
      }
      void readFile(join(dir, file)).then((b) => res.end(b));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/models/m1`;
    try {
      const x = uniform([2, 4], 5);
      for (const url of [base, `${base}/`, `${base}/model.json`]) {
        const loaded = await loadModel(url);
        expect(bits(loaded.predict(x))).toEqual(bits(model.predict(x)));
      }
      await expect(loadModel(`${base}x/`)).rejects.toThrow(/answered 404/);
      await expect(saveModel(model, `${base}/`)).rejects.toThrow(/cannot be saved to/);
    } finally {
      server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('custom IOHandler', () => {
  it('receives the artifacts on save and supplies them on load', async () => {
    let stored: ModelArtifacts | undefined;
    const handler = {
      save: (a: ModelArtifacts) => Promise.resolve((stored = a)),
      load: () => Promise.resolve(stored!),
    };
    const model = trained();
    await saveModel(model, handler);
    expect(stored?.weights).toBeInstanceOf(Uint8Array);
    const loaded = await loadModel(handler);
    expect(loaded.getWeights().map(bits)).toEqual(model.getWeights().map(bits));
  });
});
