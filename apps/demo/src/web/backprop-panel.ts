import type { ScalarBackprop } from '../playground/scalar-view';
import { scalarBackprop } from '../playground/scalar-view';
import type { Trainer } from '../playground/trainer';

export interface BackpropPanelElements {
  intro: HTMLElement;
  graph: HTMLElement;
  next: HTMLElement;
  back: HTMLElement;
  all: HTMLElement;
  sample: HTMLElement;
}

/**
 * Backprop, step by step: one sample's loss as a scalar Value graph, whose gradients are revealed one node per
 * click in the order backward() computes them.
 */
export class BackpropPanel {
  #sample = 0;
  #bp: ScalarBackprop | undefined;
  #shown = 0;

  constructor(
    readonly els: BackpropPanelElements,
    readonly getTrainer: () => Trainer,
  ) {
    els.next.addEventListener('click', () => {
      if (this.#bp) this.#shown = Math.min(this.#bp.backwardOrder.length, this.#shown + 1);
      this.render();
    });
    els.back.addEventListener('click', () => {
      this.#shown = Math.max(0, this.#shown - 1);
      this.render();
    });
    els.all.addEventListener('click', () => {
      if (this.#bp) this.#shown = this.#bp.backwardOrder.length;
      this.render();
    });
    els.sample.addEventListener('click', () => {
      this.#sample++;
      this.reset();
      this.render();
    });
  }

  /** Forget the graph and the progress (a new network). */
  reset(): void {
    this.#bp = undefined;
    this.#shown = 0;
  }

  /** Rebuild the graph from the current weights, keeping how far the user has stepped. */
  refresh(): void {
    this.#bp = undefined;
    this.render();
  }

  render(): void {
    this.#bp ??= scalarBackprop(this.getTrainer(), this.#sample);
    const bp = this.#bp;
    const bpShown = this.#shown;
    const shownIds = new Set(bp.backwardOrder.slice(0, bpShown));
    const current = bp.backwardOrder[bpShown - 1];
    const nodes = bp.graph.nodes;
    this.els.intro.textContent =
      `Training sample ${this.#sample + 1} at (${bp.point[0].toFixed(2)}, ${bp.point[1].toFixed(2)}), class ${bp.label}: ` +
      `its cross-entropy loss ${bp.loss.toFixed(4)} built from single numbers with the scalar Value engine ` +
      `(output layer: hidden activations h, weights w, biases b). Each backward step fills one node's gradient ` +
      `∂loss/∂node; the weight gradients match the tensor engine's to ${bp.maxDiffVsTensor.toExponential(1)}.`;
    const table = document.createElement('table');
    table.innerHTML = '<thead><tr><th>node</th><th>op</th><th>value</th><th>∂loss/∂node</th></tr></thead>';
    const body = document.createElement('tbody');
    // Inputs last, loss first: the order backward() visits them.
    for (const id of bp.backwardOrder) {
      const n = nodes.find((x) => x.id === id)!;
      if (!n.label && !shownIds.has(id) && id !== current) continue; // unnamed intermediates appear as they are reached
      const tr = document.createElement('tr');
      if (id === current) tr.className = 'current';
      tr.innerHTML = `<td>${n.label || `#${n.id}`}</td><td>${n.op || 'input'}</td><td>${n.data.toFixed(4)}</td><td>${
        shownIds.has(id) ? n.grad.toFixed(5) : '?'
      }</td>`;
      body.append(tr);
    }
    table.append(body);
    this.els.graph.replaceChildren(table);
    this.els.graph.dataset.maxDiff = String(bp.maxDiffVsTensor);
  }
}
