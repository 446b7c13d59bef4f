import { describe, expect, it } from 'vitest';
import type { Value } from './index';
import { value } from './index';

/** Central difference of a scalar function, in float64: the reference the Value engine is checked against. */
const numeric = (f: (x: number) => number, x: number, h = 1e-6): number => (f(x + h) - f(x - h)) / (2 * h);

describe('Value: a scalar autograd engine', () => {
  it('computes values and gradients of every operation', () => {
    const OPS: [string, (v: Value) => Value, (x: number) => number, number][] = [
      ['add', (v) => v.add(3), (x) => x + 3, 0.7],
      ['sub', (v) => v.sub(3).add(value(1).sub(v)), (x) => x - 3 + (1 - x), 0.7],
      ['mul', (v) => v.mul(v).mul(-2), (x) => -2 * x * x, 0.7],
      ['div', (v) => v.div(2).add(value(3).div(v)), (x) => x / 2 + 3 / x, 0.7],
      ['pow', (v) => v.pow(3).add(v.pow(-0.5)), (x) => x ** 3 + x ** -0.5, 0.7],
      ['neg', (v) => v.neg(), (x) => -x, 0.7],
      ['exp', (v) => v.exp(), Math.exp, 0.7],
      ['log', (v) => v.log(), Math.log, 0.7],
      ['tanh', (v) => v.tanh(), Math.tanh, 0.7],
      ['relu (positive)', (v) => v.relu(), (x) => Math.max(0, x), 0.7],
      ['relu (negative)', (v) => v.relu(), (x) => Math.max(0, x), -0.7],
      ['leakyRelu (positive)', (v) => v.leakyRelu(), (x) => (x > 0 ? x : 0.2 * x), 0.7],
      ['leakyRelu (negative, alpha 0.1)', (v) => v.leakyRelu(0.1), (x) => (x > 0 ? x : 0.1 * x), -0.7],
      ['max (this wins)', (v) => v.max(0.3), (x) => Math.max(x, 0.3), 0.7],
      ['max (other wins)', (v) => v.max(v.mul(2)), (x) => Math.max(x, 2 * x), 0.7],
      ['max (negative: this wins)', (v) => v.max(v.mul(2)), (x) => Math.max(x, 2 * x), -0.7],
      ['sigmoid', (v) => v.sigmoid(), (x) => 1 / (1 + Math.exp(-x)), 0.7],
      ['sigmoid (very negative)', (v) => v.sigmoid(), (x) => Math.exp(x) / (1 + Math.exp(x)), -40],
    ];
    for (const [name, f, ref, x0] of OPS) {
      const x = value(x0);
      const y = f(x);
      y.backward();
      expect(y.data, name).toBeCloseTo(ref(x0), 12);
      expect(x.grad, name).toBeCloseTo(numeric(ref, x0), 6);
    }
  });

  it('the micrograd example: L = tanh(a·b + a), each leaf gets its chain-rule gradient', () => {
    const a = value(2, 'a');
    const b = value(-3, 'b');
    const L = a.mul(b).add(a).tanh();
    L.backward();
    const t = Math.tanh(-4);
    expect(L.data).toBe(t);
    expect(a.grad).toBeCloseTo((1 - t * t) * (-3 + 1), 15);
    expect(b.grad).toBeCloseTo((1 - t * t) * 2, 15);
  });

  it('a Value used twice receives both contributions', () => {
    const a = value(3);
    const y = a.add(a); // dy/da = 2
    y.backward();
    expect(a.grad).toBe(2);
    const b = value(3);
    b.mul(b).backward(); // d(b²)/db = 2b
    expect(b.grad).toBe(6);
  });

  it('backward() resets the grads first: calling it twice gives the same result', () => {
    const a = value(3);
    const y = a.mul(a);
    y.backward();
    y.backward();
    expect(a.grad).toBe(6);
  });

  it('orders a deep chain topologically without overflowing the stack', () => {
    const a = value(1);
    let y = a;
    for (let i = 0; i < 20_000; i++) y = y.add(1);
    y.backward();
    expect(a.grad).toBe(1);
    const order = y.topologicalOrder();
    expect(order[0]).toBe(a);
    expect(order.at(-1)).toBe(y);
  });
});

describe('Value graph export', () => {
  const build = (): { a: Value; b: Value; L: Value } => {
    const a = value(2, 'a');
    const b = value(-3, 'b');
    const L = a.mul(b).add(1);
    L.label = 'L';
    L.backward();
    return { a, b, L };
  };

  it('toJSON lists every node with op, value and grad, inputs first, and every edge', () => {
    const { a, b, L } = build();
    const g = L.toJSON();
    const ab = g.nodes.find((n) => n.op === '×')!;
    const one = g.nodes.find((n) => n.op === '' && n.data === 1)!;
    expect(g.nodes).toEqual([
      { id: a.id, label: 'a', op: '', data: 2, grad: -3 },
      { id: b.id, label: 'b', op: '', data: -3, grad: 2 },
      { id: ab.id, label: '', op: '×', data: -6, grad: 1 },
      { id: one.id, label: '', op: '', data: 1, grad: 1 },
      { id: L.id, label: 'L', op: '+', data: -5, grad: 1 },
    ]);
    expect(g.edges).toEqual([
      { from: a.id, to: ab.id },
      { from: b.id, to: ab.id },
      { from: ab.id, to: L.id },
      { from: one.id, to: L.id },
    ]);
    expect(JSON.parse(JSON.stringify(L))).toEqual(g);
  });

  it('toDot draws each value as a record (label, data, grad) and each op as an ellipse between them', () => {
    const { a, L } = build();
    const dot = L.toDot();
    expect(dot.startsWith('digraph G {\n  rankdir=LR;')).toBe(true);
    expect(dot.endsWith('}')).toBe(true);
    expect(dot).toContain(`v${a.id} [shape=record, label="{ a | data 2 | grad -3 }"];`);
    expect(dot).toContain(`op${L.id} [label="+"];`);
    expect(dot).toContain(`op${L.id} -> v${L.id};`);
    expect(dot).toContain(`v${L.id} [shape=record, label="{ L | data -5 | grad 1 }"];`);
    const ops = dot.split('\n').filter((l) => /^ {2}op\d+ \[/.test(l));
    expect(ops).toHaveLength(2);
  });

  it('toDot prints non-integers with 4 decimals and escapes record syntax in labels', () => {
    const x = value(0.123456, 'x|{y}');
    const dot = x.tanh().toDot();
    expect(dot).toContain('label="{ x\\|\\{y\\} | data 0.1235 | grad 0 }"');
  });
});
