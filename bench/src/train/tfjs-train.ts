/** The same models, data sizes and optimizer in TensorFlow.js layers (`tf.sequential` + `fit`). */
import { loadTfjs, useTfBackend } from '../tfjs';
import { EpochTimer } from './epoch-timer';
import type { ChildReport, ModelName, Schedule } from './spec';
import { BATCH_SIZE, CLASSES, INPUT_SHAPE, datasetSize } from './spec';

export async function trainTfjs(
  backend: 'cpu' | 'wasm',
  model: ModelName,
  sched: Schedule,
): Promise<ChildReport> {
  const tfjs = await loadTfjs();
  if (typeof tfjs === 'string') return { unsupported: tfjs };
  const ok = await useTfBackend(tfjs.tf, backend);
  if (ok !== true) return { unsupported: ok };
  const { tf, layers } = tfjs;
  const m = layers.sequential();
  if (model === 'mlp') {
    m.add(layers.layers.dense({ units: 256, activation: 'relu', inputShape: INPUT_SHAPE.mlp }));
    m.add(layers.layers.dense({ units: 128, activation: 'relu' }));
    m.add(layers.layers.dense({ units: CLASSES }));
  } else {
    m.add(
      layers.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: INPUT_SHAPE.cnn }),
    );
    m.add(layers.layers.maxPooling2d({ poolSize: 2 }));
    m.add(layers.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }));
    m.add(layers.layers.maxPooling2d({ poolSize: 2 }));
    m.add(layers.layers.flatten());
    m.add(layers.layers.dense({ units: CLASSES }));
  }
  m.compile({
    optimizer: tf.train.adam(1e-3),
    loss: (yTrue, yPred) => tf.losses.softmaxCrossEntropy(yTrue, yPred),
  });
  const x = tf.randomUniform([datasetSize(sched.quick), ...INPUT_SHAPE[model]], 0, 1, 'float32', 1);
  const labels = tf.randomUniform([datasetSize(sched.quick)], 0, CLASSES, 'int32', 2);
  const y = tf.tidy(() => tf.cast(tf.oneHot(labels, CLASSES), 'float32'));
  labels.dispose();
  const dataRssMiB = process.memoryUsage.rss() / 2 ** 20;
  const timer = new EpochTimer(sched, BATCH_SIZE[model]);
  try {
    await m.fit(x, y, {
      epochs: 1_000_000,
      batchSize: BATCH_SIZE[model],
      verbose: 0,
      callbacks: {
        onBatchEnd: () => {
          if (timer.step()) m.stopTraining = true;
          return Promise.resolve();
        },
      },
    });
  } catch (e) {
    // tfjs-wasm registers no Conv2DBackpropFilter kernel: it can run a CNN forward but not train it.
    return { unsupported: `tfjs-${backend}: ${(e as Error).message.split('\n')[0]}` };
  }
  return {
    ...timer.report(),
    dataRssMiB,
    detail: `tfjs ${tf.version_core}, backend ${tf.getBackend()}, 1 thread`,
  };
}
