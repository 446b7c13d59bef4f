/**
 * A scalar autograd engine in the spirit of micrograd, for learning: every operation builds its output Value and,
 * right beside it, the closure that applies that operation's local chain rule. backward() is a topological sort
 * and one reversed loop. The tensor engine does the same thing with whole arrays.
 */
export class Value {
  /** dL/d(this), filled by backward(). */
  grad = 0;
  /** @internal */
  backwardStep: () => void = () => {};
  private static nextId = 0;
  readonly id = Value.nextId++;

  constructor(
    public data: number,
    readonly children: readonly Value[] = [],
    readonly op = '',
    public label = '',
  ) {}

  add(other: Value | number): Value {
    const o = asValue(other);
    const out = new Value(this.data + o.data, [this, o], '+');
    out.backwardStep = () => {
      this.grad += out.grad; // ∂(a+b)/∂a = 1
      o.grad += out.grad;
    };
    return out;
  }

  mul(other: Value | number): Value {
    const o = asValue(other);
    const out = new Value(this.data * o.data, [this, o], '×');
    out.backwardStep = () => {
      this.grad += o.data * out.grad; // ∂(ab)/∂a = b
      o.grad += this.data * out.grad;
    };
    return out;
  }

  /** this^k for a constant exponent k. */
  pow(k: number): Value {
    const out = new Value(this.data ** k, [this], `^${k}`);
    out.backwardStep = () => {
      this.grad += k * this.data ** (k - 1) * out.grad;
    };
    return out;
  }

  neg(): Value {
    return this.mul(-1);
  }

  sub(other: Value | number): Value {
    return this.add(asValue(other).neg());
  }

  div(other: Value | number): Value {
    return this.mul(asValue(other).pow(-1));
  }

  exp(): Value {
    const out = new Value(Math.exp(this.data), [this], 'exp');
    out.backwardStep = () => {
      this.grad += out.data * out.grad; // (eˣ)' = eˣ
    };
    return out;
  }

  log(): Value {
    const out = new Value(Math.log(this.data), [this], 'log');
    out.backwardStep = () => {
      this.grad += out.grad / this.data;
    };
    return out;
  }

  tanh(): Value {
    const t = Math.tanh(this.data);
    const out = new Value(t, [this], 'tanh');
    out.backwardStep = () => {
      this.grad += (1 - t * t) * out.grad;
    };
    return out;
  }

  relu(): Value {
    const out = new Value(Math.max(0, this.data), [this], 'relu');
    out.backwardStep = () => {
      this.grad += (this.data > 0 ? 1 : 0) * out.grad;
    };
    return out;
  }

  sigmoid(): Value {
    const s =
      this.data >= 0 ? 1 / (1 + Math.exp(-this.data)) : Math.exp(this.data) / (1 + Math.exp(this.data));
    const out = new Value(s, [this], 'σ');
    out.backwardStep = () => {
      this.grad += s * (1 - s) * out.grad;
    };
    return out;
  }

  /** Every Value this one depends on, children before parents. */
  topologicalOrder(): Value[] {
    const order: Value[] = [];
    const seen = new Set<Value>();
    const stack: [Value, number][] = [[this, 0]];
    seen.add(this);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const [v, i] = top;
      if (i < v.children.length) {
        top[1]++;
        const c = v.children[i]!;
        if (!seen.has(c)) {
          seen.add(c);
          stack.push([c, 0]);
        }
      } else {
        stack.pop();
        order.push(v);
      }
    }
    return order;
  }

  /** Sets dL/dL = 1 and applies each node's local chain rule from the output back to the inputs. */
  backward(): void {
    const order = this.topologicalOrder();
    for (const v of order) v.grad = 0;
    this.grad = 1;
    for (let i = order.length - 1; i >= 0; i--) order[i]!.backwardStep();
  }

  /** The graph as JSON: one entry per node (op, value, grad) and one per edge (child → parent). */
  toJSON(): ValueGraph {
    const order = this.topologicalOrder();
    return {
      nodes: order.map((v) => ({ id: v.id, label: v.label, op: v.op, data: v.data, grad: v.grad })),
      edges: order.flatMap((v) => v.children.map((c) => ({ from: c.id, to: v.id }))),
    };
  }

  /** The graph in Graphviz DOT: each value box shows its label, data and grad; ops are ellipses. */
  toDot(): string {
    const lines = ['digraph G {', '  rankdir=LR;'];
    for (const v of this.topologicalOrder()) {
      const name = v.label ? `${v.label} | ` : '';
      lines.push(`  v${v.id} [shape=record, label="{ ${name}data ${fmt(v.data)} | grad ${fmt(v.grad)} }"];`);
      if (v.op) {
        lines.push(`  op${v.id} [label="${v.op}"];`, `  op${v.id} -> v${v.id};`);
        for (const c of v.children) lines.push(`  v${c.id} -> op${v.id};`);
      }
    }
    lines.push('}');
    return lines.join('\n');
  }
}

export interface ValueGraph {
  nodes: { id: number; label: string; op: string; data: number; grad: number }[];
  edges: { from: number; to: number }[];
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(4);
}

function asValue(x: Value | number): Value {
  return x instanceof Value ? x : new Value(x);
}

/** Creates a scalar Value (optionally labelled for graph drawings). */
export function value(data: number, label = ''): Value {
  return new Value(data, [], '', label);
}
