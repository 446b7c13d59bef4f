import { ShapeError, StateError, argmax, setSeed, tensor } from '@backprop/core-tensor';
import { SGD } from '@backprop/optimizers';
import { describe, expect, it } from 'vitest';
import { Dense, Sequential } from '../src/index';
import { XOR_X, XOR_Y, spiralData } from './helpers';

describe('Sequential', () => {
  it('prints a Keras-style summary with output shapes and parameter counts', () => {
    const model = new Sequential({ name: 'mlp' });
    model.add(new Dense({ units: 64, activation: 'relu', inputShape: [784], name: 'hidden' }));
    model.add(new Dense({ units: 10, activation: 'softmax', name: 'out' }));
    const text = model.summary(false);
    expect(text).toContain('Model: "mlp"');
    expect(text).toMatch(/│ hidden \(Dense\)\s+│ \(None, 64\)\s+│\s+50,240 │/);
    expect(text).toMatch(/│ out \(Dense\)\s+│ \(None, 10\)\s+│\s+650 │/);
    expect(text).toContain(' Total params: 50,890 (198.79 KB)');
    expect(text).toContain(' Non-trainable params: 0 (0.00 B)');
  });

  it('learns XOR to 100% accuracy', async () => {
    setSeed(1);
    const model = new Sequential();
    model.add(new Dense({ units: 8, activation: 'tanh', inputShape: [2] }));
    model.add(new Dense({ units: 1, activation: 'sigmoid' }));
    model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    model.optimizer!.learningRate = 0.05;
    const history = await model.fit(tensor(XOR_X), tensor(XOR_Y), {
      epochs: 300,
      batchSize: 4,
      verbose: 0,
      seed: 1,
    });
    const logs = await model.evaluate(tensor(XOR_X), tensor(XOR_Y), { verbose: 0 });
    expect(logs.accuracy).toBe(1);
    expect(history.history.loss![299]!).toBeLessThan(history.history.loss![0]! / 5);
  }, 30_000);

  it('classifies a 3-class spiral with at least 95% accuracy', async () => {
    setSeed(2);
    const { x, y } = spiralData(100, 3, 7);
    const model = new Sequential();
    model.add(new Dense({ units: 64, activation: 'relu', inputShape: [2], kernelInitializer: 'heNormal' }));
    model.add(new Dense({ units: 64, activation: 'relu', kernelInitializer: 'heNormal' }));
    model.add(new Dense({ units: 3, activation: 'softmax' }));
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    model.optimizer!.learningRate = 0.01;
    await model.fit(x, y, { epochs: 100, batchSize: 32, verbose: 0, seed: 3 });
    const pred = argmax(model.predict(x), -1).dataSync();
    const labels = y.dataSync();
    let correct = 0;
    for (let i = 0; i < labels.length; i++) if (pred[i] === labels[i]) correct++;
    expect(correct / labels.length).toBeGreaterThanOrEqual(0.95);
  }, 60_000);

  it('batchSize picks stochastic, mini-batch or full-batch descent (steps per epoch)', async () => {
    const x = tensor(Array.from({ length: 10 }, (_, i) => [i / 10]));
    const y = tensor(Array.from({ length: 10 }, (_, i) => [i / 5]));
    for (const [batchSize, steps] of [
      [1, 10],
      [4, 3],
      [10, 1],
    ] as const) {
      const model = new Sequential({ layers: [new Dense({ units: 1, inputShape: [1] })] });
      model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
      let batches = 0;
      const { Callback } = await import('../src/index');
      class Count extends Callback {
        override onTrainBatchEnd(): void {
          batches++;
        }
      }
      await model.fit(x, y, { epochs: 1, batchSize, verbose: 0, callbacks: [new Count()] });
      expect(batches).toBe(steps);
    }
  });

  it('reports validation metrics from validationSplit', async () => {
    const x = tensor(Array.from({ length: 20 }, (_, i) => [i / 20]));
    const y = tensor(Array.from({ length: 20 }, (_, i) => [(2 * i) / 20]));
    const model = new Sequential({ layers: [new Dense({ units: 1, inputShape: [1] })] });
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
    const h = await model.fit(x, y, { epochs: 2, validationSplit: 0.25, verbose: 0 });
    expect(Object.keys(h.history).sort()).toEqual(['loss', 'mae', 'val_loss', 'val_mae']);
    expect(h.history.val_loss).toHaveLength(2);
  });

  it('trainOnBatch takes one gradient step that lowers the loss', () => {
    const model = new Sequential({ layers: [new Dense({ units: 1, inputShape: [2] })] });
    model.compile({ optimizer: new SGD({ learningRate: 0.01 }), loss: 'mse' });
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    const y = tensor([[1], [2]]);
    const before = model.testOnBatch(x, y).loss!;
    model.trainOnBatch(x, y);
    expect(model.testOnBatch(x, y).loss!).toBeLessThan(before);
  });

  it('rejects bad input with clear errors', async () => {
    const model = new Sequential({ layers: [new Dense({ units: 1, inputShape: [2] })] });
    await expect(model.fit(tensor([[1, 2]]), tensor([[1]]))).rejects.toThrow(/compile the model first/);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    await expect(
      model.fit(
        tensor([
          [1, 2],
          [3, 4],
        ]),
        tensor([[1]]),
        { verbose: 0 },
      ),
    ).rejects.toThrow(ShapeError);
    await expect(model.fit(tensor([[1, NaN]]), tensor([[1]]), { verbose: 0 })).rejects.toThrow(
      /NaN or Infinity/,
    );
    await expect(model.fit(tensor([[1, 2, 3]]), tensor([[1]]), { verbose: 0 })).rejects.toThrow(
      /takes inputs of shape \(None, 2\)/,
    );
    expect(() => new Sequential({ layers: [new Dense({ units: 1 })] }).predict(tensor([[1]]))).toThrow(
      StateError,
    );
  });
});
