import type { Tensor } from '@backprop/core-tensor';
import { Generator, tensor } from '@backprop/core-tensor';

/** k interleaved spiral arms in 2-D, written here independently of @backprop/data's generator. */
export function spiralData(perClass: number, classes: number, seed: number): { x: Tensor; y: Tensor } {
  const g = new Generator(seed);
  const xs = new Float32Array(perClass * classes * 2);
  const ys = new Int32Array(perClass * classes);
  for (let c = 0; c < classes; c++) {
    for (let i = 0; i < perClass; i++) {
      const r = i / perClass;
      const t = (c * 4 + 4 * r) * 1 + g.normal() * 0.2 * 0.3;
      const k = c * perClass + i;
      xs[2 * k] = r * Math.sin(t);
      xs[2 * k + 1] = r * Math.cos(t);
      ys[k] = c;
    }
  }
  return { x: tensor(xs, [perClass * classes, 2]), y: tensor(ys, [perClass * classes], 'int32') };
}

export const XOR_X = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
export const XOR_Y = [[0], [1], [1], [0]];
