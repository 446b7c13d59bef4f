import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tensor } from '@backprop/core-tensor';
import { ModelCheckpoint, Sequential, formatFilepath, loadModel, loadWeights } from '../../src/index';
import { bits, labels, mlp, uniform } from './helpers';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'backprop-ckpt-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('formatFilepath', () => {
  it('fills Keras placeholders with Python format specs', () => {
    const v = { epoch: 3, val_loss: 0.123456, loss: -0.5 };
    expect(formatFilepath('ep{epoch:02d}-{val_loss:.2f}', v)).toBe('ep03-0.12');
    expect(formatFilepath('{epoch}/{loss:06.2f}/{val_loss:.1e}', v)).toBe('3/-00.50/1.2e-1');
    expect(formatFilepath('{{epoch}}-{epoch:3d}', v)).toBe('{epoch}-  3');
    expect(() => formatFilepath('{val_acc}', v)).toThrow(
      /uses \{val_acc\} but the logs have epoch, loss, val_loss/,
    );
    expect(() => new ModelCheckpoint({ filepath: 'x-{epoch:%d}' })).toThrow(/unsupported format/);
  });
});

describe('ModelCheckpoint', () => {
  it('saveBestOnly saves only improvements of the monitored value, named with the epoch and the value', async () => {
    const model = mlp();
    model.build();
    const ckpt = new ModelCheckpoint({
      filepath: join(work, 'best', 'e{epoch:02d}-{val_loss:.2f}'),
      saveBestOnly: true,
    });
    ckpt.setModel(model);
    const weightsAt: Buffer[][] = [];
    for (const [epoch, val_loss] of [0.5, 0.6, 0.4, 0.4, 0.45].entries()) {
      model.trainOnBatch(uniform([4, 4], epoch), labels(4, 3, epoch));
      weightsAt.push(model.getWeights().map(bits));
      await ckpt.onEpochEnd(epoch, { loss: 1, val_loss });
    }
    expect(ckpt.saved.map((p) => basename(p))).toEqual(['e01-0.50', 'e03-0.40']);
    expect((await readdir(join(work, 'best'))).sort()).toEqual(['e01-0.50', 'e03-0.40']);
    expect(ckpt.best).toBe(0.4);
    // The checkpoint holds the weights of the epoch it is named after.
    const loaded = await loadModel(join(work, 'best', 'e03-0.40'));
    expect(loaded.getWeights().map(bits)).toEqual(weightsAt[2]);
  });

  it("mode 'auto' maximizes accuracy-like metrics; a missing monitor warns once and saves nothing", async () => {
    const model = mlp();
    model.build();
    const max = new ModelCheckpoint({
      filepath: join(work, 'acc'),
      monitor: 'val_accuracy',
      saveBestOnly: true,
    });
    expect(max.mode).toBe('max');
    max.setModel(model);
    for (const [e, a] of [0.5, 0.7, 0.6].entries()) await max.onEpochEnd(e, { val_accuracy: a });
    expect(max.saved).toHaveLength(2);
    expect(max.best).toBe(0.7);

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const missing = new ModelCheckpoint({ filepath: join(work, 'never'), saveBestOnly: true });
    missing.setModel(model);
    await missing.onEpochEnd(0, { loss: 1 });
    await missing.onEpochEnd(1, { loss: 1 });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(/val_loss available/);
    warn.mockRestore();
    expect(existsSync(join(work, 'never'))).toBe(false);
  });

  it('inside fit: one checkpoint per epoch, or every n batches; the last one resumes the model exactly', async () => {
    const model = mlp();
    const x = uniform([12, 4], 1);
    const y = labels(12, 3, 2);
    const perEpoch = new ModelCheckpoint({ filepath: join(work, 'fit', 'epoch-{epoch}') });
    const perBatches = new ModelCheckpoint({ filepath: join(work, 'fit', 'b-{epoch}-{batch}'), saveFreq: 2 });
    await model.fit(x, y, {
      epochs: 3,
      batchSize: 4,
      shuffle: false,
      verbose: 0,
      callbacks: [perEpoch, perBatches],
    });
    expect(perEpoch.saved.map((p) => basename(p))).toEqual(['epoch-1', 'epoch-2', 'epoch-3']);
    // 3 batches per epoch, a save every 2nd batch overall: epoch 1 batch 2, epoch 2 batch 1, epoch 2 batch 3, …
    expect(perBatches.saved.map((p) => basename(p))).toEqual(['b-1-2', 'b-2-1', 'b-2-3', 'b-3-2']);
    const last = await loadModel(join(work, 'fit', 'epoch-3'));
    expect(bits(last.predict(x))).toEqual(bits(model.predict(x)));
    expect(last.optimizer?.iterations).toBe(9);
  });

  it('saveWeightsOnly writes one safetensors file that loadWeights reads', async () => {
    const model = mlp();
    const ckpt = new ModelCheckpoint({
      filepath: join(work, 'w-{epoch}.safetensors'),
      saveWeightsOnly: true,
    });
    await model.fit(uniform([8, 4], 3), labels(8, 3, 4), { epochs: 1, verbose: 0, callbacks: [ckpt] });
    const fresh = Sequential.fromConfig(model.getConfig());
    await loadWeights(fresh, join(work, 'w-1.safetensors'));
    const x = tensor([[0.1, 0.2, 0.3, 0.4]]);
    expect(bits(fresh.predict(x))).toEqual(bits(model.predict(x)));
  });
});
