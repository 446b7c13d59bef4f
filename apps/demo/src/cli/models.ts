import { layers, optimizers } from 'backprop';
import type { ModelName, OptimizerName } from './args';

/**
 * mlp: 784-256-128-10 with ReLU (He initialization keeps ReLU gradients at scale) and logits out.
 * cnn: two 3×3 convolutions with max pooling, then a dense classifier: the LeNet idea, sized for a CPU.
 */
export function buildModel(
  kind: ModelName,
  inputShape: readonly number[],
  numClasses: number,
): layers.Sequential {
  const model = new layers.Sequential({ name: kind });
  if (kind === 'mlp') {
    model.add(
      new layers.Dense({ units: 256, activation: 'relu', kernelInitializer: 'heNormal', inputShape }),
    );
    model.add(new layers.Dense({ units: 128, activation: 'relu', kernelInitializer: 'heNormal' }));
    model.add(new layers.Dense({ units: numClasses }));
  } else {
    const small = (inputShape[0] ?? 28) < 16; // 8×8 digits: one pooling step only
    model.add(
      new layers.Conv2D({
        filters: 16,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: 'heNormal',
        inputShape,
      }),
    );
    model.add(new layers.MaxPooling2D({ poolSize: 2 }));
    model.add(
      new layers.Conv2D({
        filters: 32,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: 'heNormal',
      }),
    );
    if (!small) model.add(new layers.MaxPooling2D({ poolSize: 2 }));
    model.add(new layers.Flatten());
    model.add(new layers.Dense({ units: 64, activation: 'relu', kernelInitializer: 'heNormal' }));
    model.add(new layers.Dense({ units: numClasses }));
  }
  return model;
}

export function buildOptimizer(name: OptimizerName, learningRate: number): optimizers.Optimizer {
  switch (name) {
    case 'adam':
      return new optimizers.Adam({ learningRate });
    case 'adamw':
      return new optimizers.AdamW({ learningRate });
    case 'sgd':
      return new optimizers.SGD({ learningRate });
    case 'momentum':
      return new optimizers.SGD({ learningRate, momentum: 0.9 });
    case 'nesterov':
      return new optimizers.SGD({ learningRate, momentum: 0.9, nesterov: true });
    case 'rmsprop':
      return new optimizers.RMSprop({ learningRate });
    case 'adagrad':
      return new optimizers.Adagrad({ learningRate });
    case 'adadelta':
      return new optimizers.Adadelta({ learningRate });
    case 'adamax':
      return new optimizers.Adamax({ learningRate });
    case 'nadam':
      return new optimizers.Nadam({ learningRate });
  }
}
