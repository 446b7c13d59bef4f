import { data, layers, setSeed } from 'backprop';

const { xs, ys } = data.moons({ samples: 200, noise: 0.1, seed: 0 });
const labels = ys.reshape([-1, 1]).cast('float32');

type Variant = 'sigmoid' | 'tanh' | 'relu' | 'sigmoid + batch norm';

/** Eight hidden layers of 16 units; returns each Dense layer's gradient norm (averaged over training) and the loss. */
export async function train(variant: Variant, epochs = 30) {
  setSeed(0);
  const activation = variant === 'sigmoid + batch norm' ? 'sigmoid' : variant;
  const kernelInitializer = variant === 'relu' ? 'heNormal' : 'glorotUniform';
  const model = new layers.Sequential();
  for (let i = 0; i < 8; i++) {
    model.add(new layers.Dense({ units: 16, kernelInitializer, inputShape: i === 0 ? [2] : undefined }));
    if (variant === 'sigmoid + batch norm') model.add(new layers.BatchNormalization());
    model.add(new layers.Activation({ activation }));
  }
  model.add(new layers.Dense({ units: 1, activation: 'sigmoid' }));
  model.build(); // create the weights now, so the monitor sees them from the first step
  model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });

  const monitor = new layers.GradientMonitor({ everyNSteps: 1, warn: () => {} });
  const history = await model.fit(xs, labels, {
    epochs,
    batchSize: 50,
    seed: 0,
    verbose: 0,
    callbacks: [monitor],
  });

  // Mean gradient norm of each Dense layer over all recorded steps, first layer first.
  const dense = monitor.records.filter((r) => r.className === 'Dense');
  const names = [...new Set(dense.map((r) => r.layer))];
  const gradNorms = names.map((n) => {
    const rs = dense.filter((r) => r.layer === n);
    return rs.reduce((s, r) => s + r.gradNorm, 0) / rs.length;
  });
  return { gradNorms, loss: history.history.loss!, warnings: monitor.warnings };
}

export async function run() {
  const variants: Variant[] = ['sigmoid', 'tanh', 'relu', 'sigmoid + batch norm'];
  const out: Record<string, Awaited<ReturnType<typeof train>>> = {};
  for (const v of variants) out[v] = await train(v);
  return out;
}
