/**
 * A scalar autograd engine in the spirit of micrograd, for learning: every operation builds its output Value and,
 * right beside it, the closure that applies that operation's local chain rule. backward() is a topological sort
 * and one reversed loop. The tensor engine does the same thing with whole arrays.
 *
 * @example
 * const a = value(2, 'a');
 * const b = value(-3, 'b');
 * const L = a.mul(b).add(a).tanh(); // L = tanh(a·b + a)
 * L.backward();
 * a.grad; // dL/da = (1 − L²)·(b + 1)
 */
export class Value {
  /** dL/d(this), filled by backward(). */
  grad = 0;
  /** @internal This node's local chain rule: adds its contribution to each child's grad. */
  backwardStep: () => void = () => {};
  private static nextId = 0;
  /** A unique, increasing id (names the node in DOT and JSON exports). */
  readonly id = Value.nextId++;

  /**
   * @param data the number this node holds
   * @param children the Values it was computed from (empty for inputs)
   * @param op the operation that produced it ('' for inputs), shown in graph drawings
   * @param label an optional name shown in graph drawings
   */
  constructor(
    public data: number,
    readonly children: readonly Value[] = [],
    readonly op = '',
    public label = '',
  ) {}

  /** this + other */
  add(other: Value | number): Value {
    const o = asValue(other);
    const out = new Value(this.data + o.data, [this, o], '+');
    out.backwardStep = () => {
      this.grad += out.grad; // ∂(a+b)/∂a = 1
      o.grad += out.grad; // ∂(a+b)/∂b = 1
    };
    return out;
  }

  /** this − other */
  sub(other: Value | number): Value {
    const o = asValue(other);
    const out = new Value(this.data - o.data, [this, o], '−');
    out.backwardStep = () => {
      this.grad += out.grad; // ∂(a−b)/∂a = 1
      o.grad -= out.grad; // ∂(a−b)/∂b = −1
    };
    return out;
  }

  /** this × other */
  mul(other: Value | number): Value {
    const o = asValue(other);
    const out = new Value(this.data * o.data, [this, o], '×');
    out.backwardStep = () => {
      this.grad += o.data * out.grad; // ∂(ab)/∂a = b
      o.grad += this.data * out.grad; // ∂(ab)/∂b = a
    };
    return out;
  }

  /** this ÷ other */
  div(other: Value | number): Value {
    const o = asValue(other);
    const out = new Value(this.data / o.data, [this, o], '÷');
    out.backwardStep = () => {
      this.grad += out.grad / o.data; // ∂(a/b)/∂a = 1/b
      o.grad -= (this.data / (o.data * o.data)) * out.grad; // ∂(a/b)/∂b = −a/b²
    };
    return out;
  }

  /** thisᵏ for a constant exponent k. */
  pow(k: number): Value {
    const out = new Value(this.data ** k, [this], `^${k}`);
    out.backwardStep = () => {
      this.grad += k * this.data ** (k - 1) * out.grad; // ∂(aᵏ)/∂a = k·aᵏ⁻¹
    };
    return out;
  }

  /** −this */
  neg(): Value {
    return this.mul(-1);
  }

  /** eᵗʰⁱˢ */
  exp(): Value {
    const out = new Value(Math.exp(this.data), [this], 'exp');
    out.backwardStep = () => {
      this.grad += out.data * out.grad; // (eˣ)' = eˣ
    };
    return out;
  }

  /** Natural logarithm. */
  log(): Value {
    const out = new Value(Math.log(this.data), [this], 'log');
    out.backwardStep = () => {
      this.grad += out.grad / this.data; // (ln x)' = 1/x
    };
    return out;
  }

  /** Hyperbolic tangent. */
  tanh(): Value {
    const t = Math.tanh(this.data);
    const out = new Value(t, [this], 'tanh');
    out.backwardStep = () => {
      this.grad += (1 - t * t) * out.grad; // tanh' = 1 − tanh²
    };
    return out;
  }

  /** max(this, 0) */
  relu(): Value {
    const out = new Value(Math.max(0, this.data), [this], 'relu');
    out.backwardStep = () => {
      this.grad += (this.data > 0 ? 1 : 0) * out.grad; // 1 where the input was positive, else 0
    };
    return out;
  }

  /** this for this > 0, alpha·this otherwise (alpha 0.2 as in TF/Keras and the tensor engine's leakyRelu). */
  leakyRelu(alpha = 0.2): Value {
    const out = new Value(this.data > 0 ? this.data : alpha * this.data, [this], 'leakyRelu');
    out.backwardStep = () => {
      this.grad += (this.data > 0 ? 1 : alpha) * out.grad; // a small slope instead of relu's 0: no dead units
    };
    return out;
  }

  /** The larger of this and other; on a tie the gradient goes to this, as the tensor engine's maximum does. */
  max(other: Value | number): Value {
    const o = asValue(other);
    const first = this.data >= o.data;
    const out = new Value(first ? this.data : o.data, [this, o], 'max');
    out.backwardStep = () => {
      // Only the input that won passes the gradient on: max is a switch, not a blend.
      if (first) this.grad += out.grad;
      else o.grad += out.grad;
    };
    return out;
  }

  /** σ(this) = 1 / (1 + e⁻ᵗʰⁱˢ), computed without overflow for any input. */
  sigmoid(): Value {
    const s =
      this.data >= 0 ? 1 / (1 + Math.exp(-this.data)) : Math.exp(this.data) / (1 + Math.exp(this.data));
    const out = new Value(s, [this], 'σ');
    out.backwardStep = () => {
      this.grad += s * (1 - s) * out.grad; // σ' = σ(1 − σ)
    };
    return out;
  }

  /** Every Value this one depends on, each after all of its children (inputs first, this one last). */
  topologicalOrder(): Value[] {
    const order: Value[] = [];
    const seen = new Set<Value>();
    // Iterative depth-first search: a long chain of operations would overflow the stack with recursion.
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

  /**
   * Sets dL/dL = 1 and applies each node's local chain rule from the output back to the inputs. Every grad in
   * the graph is reset first, so calling it twice gives the same result (the tensor engine, by contrast,
   * accumulates into Variables until zeroGrad). A Value used twice gets both contributions: each rule adds (+=).
   */
  backward(): void {
    const order = this.topologicalOrder();
    for (const v of order) v.grad = 0;
    this.grad = 1;
    for (let i = order.length - 1; i >= 0; i--) order[i]!.backwardStep();
  }

  /** The graph as JSON: one entry per node (op, value, grad) and one per edge (child → the node it feeds). */
  toJSON(): ValueGraph {
    const order = this.topologicalOrder();
    return {
      nodes: order.map((v) => ({ id: v.id, label: v.label, op: v.op, data: v.data, grad: v.grad })),
      edges: order.flatMap((v) => v.children.map((c) => ({ from: c.id, to: v.id }))),
    };
  }

  /**
   * The graph in Graphviz DOT (render with `dot -Tsvg`): each value is a box showing its label, data and grad;
   * each operation is an ellipse between its inputs and its result.
   */
  toDot(): string {
    const lines = ['digraph G {', '  rankdir=LR;'];
    for (const v of this.topologicalOrder()) {
      const name = v.label ? `${escapeRecord(v.label)} | ` : '';
      lines.push(`  v${v.id} [shape=record, label="{ ${name}data ${fmt(v.data)} | grad ${fmt(v.grad)} }"];`);
      if (v.op) {
        lines.push(`  op${v.id} [label="${escapeRecord(v.op)}"];`, `  op${v.id} -> v${v.id};`);
        for (const c of v.children) lines.push(`  v${c.id} -> op${v.id};`);
      }
    }
    lines.push('}');
    return lines.join('\n');
  }
}

/** The JSON form of a Value graph: nodes in topological order (inputs first) and child → parent edges. */
export interface ValueGraph {
  /**
   * One entry per Value, inputs first: its unique `id`, its `label` (`''` if none), the `op` that produced it (`''`
   * for a leaf), its forward value `data` and its gradient `grad` (0 until `backward()` has run).
   */
  nodes: { id: number; label: string; op: string; data: number; grad: number }[];
  /** One entry per use of a Value as an operand: `from` the operand's id `to` the id of the Value it feeds. */
  edges: { from: number; to: number }[];
}

// micrograd prints 4 decimals; integers stay short so hand-made examples read cleanly.
function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(4);
}

// In a DOT record label, these characters are structure, not text.
function escapeRecord(s: string): string {
  return s.replace(/[\\"{}|<>]/g, (c) => `\\${c}`);
}

function asValue(x: Value | number): Value {
  return x instanceof Value ? x : new Value(x);
}

/** Creates a scalar Value (optionally labelled for graph drawings). */
export function value(data: number, label = ''): Value {
  return new Value(data, [], '', label);
}
