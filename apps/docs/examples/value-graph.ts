import { value } from 'backprop';
import type { Value } from 'backprop';

/** The weights of a 2-2-1 tanh network; change one to see how the loss moves. */
export const initial = {
  w11: 0.6,
  w12: -0.4,
  w21: 0.3,
  w22: 0.8,
  b1: 0.1,
  b2: -0.2,
  v1: 1.2,
  v2: -0.7,
  c: 0.05,
};
export type Params = typeof initial;

// The whole network on single numbers: every Value remembers its inputs and its local derivative.
export function forward(p: Params, x1 = 1, x2 = -2, y = 1) {
  const w: Record<string, Value> = {};
  for (const [k, v] of Object.entries(p)) w[k] = value(v, k);
  const [i1, i2] = [value(x1, 'x1'), value(x2, 'x2')];
  const h1 = i1.mul(w.w11!).add(i2.mul(w.w21!)).add(w.b1!).tanh();
  h1.label = 'h1';
  const h2 = i1.mul(w.w12!).add(i2.mul(w.w22!)).add(w.b2!).tanh();
  h2.label = 'h2';
  const out = h1.mul(w.v1!).add(h2.mul(w.v2!)).add(w.c!);
  out.label = 'ŷ';
  const loss = out.sub(value(y, 'y')).pow(2);
  loss.label = 'L';
  return { loss, w };
}

export function run() {
  const { loss, w } = forward(initial);
  loss.backward(); // fills .grad on every node, from L back to the inputs
  const grads = Object.fromEntries(Object.entries(w).map(([k, v]) => [k, v.grad]));
  return { loss: loss.data, grads, graph: loss.toJSON(), dot: loss.toDot() };
}
