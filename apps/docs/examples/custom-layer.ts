import { layers, optimizers, tensor } from 'backprop';
import type { Tensor, Variable } from 'backprop';
import type { layers as L } from 'backprop';

/** y = x · scale + shift, one learned scale and shift per feature (a "diagonal" Dense layer). */
export class ScaleShift extends layers.Layer {
  readonly className = 'ScaleShift';
  scale: Variable | undefined;
  shift: Variable | undefined;

  // build() runs once, the first time the layer sees data: create the weights for that input shape.
  override build(inputShape: L.SymbolicShape): void {
    const features = inputShape[inputShape.length - 1] as number;
    this.scale = this.addWeight('scale', [features], 'ones');
    this.shift = this.addWeight('shift', [features], 'zeros');
    super.build(inputShape);
  }

  // call() is the forward pass, written with ordinary tensor ops: autograd derives the backward pass.
  call(x: Tensor): Tensor {
    return x.mul(this.scale!).add(this.shift!);
  }
}
layers.registerLayer('ScaleShift', ScaleShift); // so that configs (and saved models) can name it

export async function run() {
  const model = new layers.Sequential();
  model.add(new ScaleShift({ inputShape: [2] }));
  model.compile({ optimizer: new optimizers.Adam({ learningRate: 0.1 }), loss: 'meanSquaredError' });
  // Learn y = (3·x1 − 1, −2·x2 + 4).
  const x = tensor([
    [0, 0],
    [1, 1],
    [2, -1],
    [-1, 3],
  ]);
  const y = x.mul(tensor([3, -2])).add(tensor([-1, 4]));
  const history = await model.fit(x, y, { epochs: 300, verbose: 0 });
  const [scale, shift] = model.getWeights().map((w) => Array.from(w.dataSync()));
  return { scale: scale!, shift: shift!, loss: history.history.loss!.at(-1)! };
}
