import type { ScalarLayer, ScalarNetwork } from '../playground/scalar-net';
import { scalarNetwork } from '../playground/scalar-net';
import type { Trainer } from '../playground/trainer';

export interface BackpropPanelElements {
  intro: HTMLElement;
  graph: HTMLElement;
  next: HTMLElement;
  back: HTMLElement;
  all: HTMLElement;
  sample: HTMLElement;
}

const LOSS_NAMES = { crossentropy: 'cross-entropy', mse: 'mean squared error', hinge: 'hinge' } as const;

const num = (v: number, digits = 4): string =>
  !Number.isFinite(v)
    ? String(v)
    : v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e4)
      ? v.toExponential(2)
      : v.toFixed(digits);

/**
 * Backprop, step by step, for one training sample and the whole network (built from single numbers with the
 * scalar Value engine): each click reveals the next stage — the forward pass layer by layer, the loss, then the
 * gradients flowing back from the output to the input, one layer per click.
 */
export class BackpropPanel {
  #sample = 0;
  #net: ScalarNetwork | { unsupported: string } | undefined;
  /** Stage shown: 0 = just the sample, then one per forward layer, the loss, one per backward layer. */
  #stage = 0;

  constructor(
    readonly els: BackpropPanelElements,
    readonly getTrainer: () => Trainer,
  ) {
    els.next.addEventListener('click', () => this.#go(this.#stage + 1));
    els.back.addEventListener('click', () => this.#go(this.#stage - 1));
    els.all.addEventListener('click', () => this.#go(Infinity));
    els.sample.addEventListener('click', () => {
      this.#sample++;
      this.reset();
      this.render();
    });
  }

  #stages(): number {
    const n = this.#net && 'layers' in this.#net ? this.#net.layers.length : 0;
    // The last stage: after the input (0) and each layer forward, the loss (n), then each layer back to the input.
    return 2 * n;
  }

  #go(stage: number): void {
    this.#stage = Math.max(0, Math.min(this.#stages(), stage));
    this.render();
  }

  /** Forget the sample's graph and the progress (a new network). */
  reset(): void {
    this.#net = undefined;
    this.#stage = 0;
  }

  /** Rebuild the graph from the current weights, keeping how far the user has stepped. */
  refresh(): void {
    this.#net = undefined;
    this.render();
  }

  render(): void {
    const trainer = this.getTrainer();
    const { intro, graph } = this.els;
    if (trainer.diverged) {
      const at = trainer.firstNonFinite!;
      intro.textContent =
        `Nothing to step through: the network's numbers stopped being finite (NaN/Inf at step ${at.step + 1} in ` +
        `${at.layer}), so every value and gradient below would be NaN. Reset, lower the learning rate or clip ` +
        `the gradients to watch backprop again.`;
      graph.replaceChildren();
      graph.dataset.notice = 'non-finite';
      return;
    }
    this.#net ??= scalarNetwork(trainer, this.#sample);
    const net = this.#net;
    if ('unsupported' in net) {
      intro.textContent = net.unsupported;
      graph.replaceChildren();
      graph.dataset.notice = 'unsupported';
      return;
    }
    delete graph.dataset.notice;
    const n = net.layers.length;
    this.#stage = Math.min(this.#stage, this.#stages());
    const stage = this.#stage;
    // Layer li's forward values are shown from stage li; the loss at stage n; layer li's gradients from
    // stage 2n − li (the output layer first, the input last).
    const forwardShown = (li: number): boolean => stage >= li;
    const lossShown = stage >= n;
    const backShown = (li: number): boolean => stage >= 2 * n - li;
    const current =
      stage === 0 ? 'start' : stage < n ? `f${stage}` : stage === n ? 'loss' : `b${2 * n - stage}`;
    const lossName = LOSS_NAMES[net.loss];
    const step =
      stage === 0
        ? 'Press “Backward step ▶” to run the forward pass one layer at a time.'
        : stage < n
          ? `Forward: layer ${net.layers[stage]!.name} computes z = Σ w·h + b for each unit, then its activation.`
          : stage === n
            ? `Loss: ${lossName} of the logits against class ${net.label} is ${num(net.lossValue)}. Next, backward.`
            : stage < 2 * n
              ? `Backward: ∂loss/∂ reaches ${net.layers[2 * n - stage]!.name} (chain rule through its activation, ` +
                `then its weights).`
              : 'Backward done: every gradient is filled; the optimizer would now step each weight against it.';
    intro.textContent =
      `Training sample ${this.#sample + 1} at (${num(net.point[0], 2)}, ${num(net.point[1], 2)}), class ${net.label}, ` +
      `through the whole network built from ${net.nodes} single numbers with the scalar Value engine. ${step} ` +
      `The weight gradients match the tensor engine's to ${net.maxDiffVsTensor.toExponential(1)}.`;

    const cards = net.layers.map((l, li) =>
      layerCard(l, li, forwardShown(li), backShown(li), current === `f${li}` || current === `b${li}`),
    );
    const loss = document.createElement('div');
    loss.className = current === 'loss' ? 'bp-layer bp-loss current' : 'bp-layer bp-loss';
    loss.innerHTML =
      `<h4>loss</h4><p>${lossName}</p><p class="bp-value">${lossShown ? num(net.lossValue) : '…'}</p>` +
      `<p>∂loss/∂loss = ${stage > n ? '1' : '?'}</p>`;
    graph.replaceChildren(...cards, loss);
    graph.dataset.maxDiff = String(net.maxDiffVsTensor);
    graph.dataset.stage = String(stage);
    graph.dataset.stages = String(this.#stages());
  }
}

/** One layer as a card: each unit's z and activation (forward), ∂loss/∂a and ∂loss/∂z (backward), and weights. */
function layerCard(
  l: ScalarLayer,
  li: number,
  forward: boolean,
  backward: boolean,
  current: boolean,
): HTMLElement {
  const card = document.createElement('div');
  card.className = current ? 'bp-layer current' : 'bp-layer';
  card.dataset.layer = String(li);
  const input = li === 0;
  const head = input
    ? '<tr><th>unit</th><th>x</th><th>∂loss/∂x</th></tr>'
    : '<tr><th>unit</th><th>z</th><th>a</th><th>∂loss/∂a</th><th>∂loss/∂z</th></tr>';
  const f = (v: number): string => (forward ? num(v) : '…');
  const b = (v: number): string => (backward ? num(v, 5) : '?');
  const rows = l.units
    .map((u, k) =>
      input
        ? `<tr><td>x${k + 1}</td><td>${f(u.a)}</td><td>${b(u.da)}</td></tr>`
        : `<tr><td>${k + 1}</td><td>${f(u.z)}</td><td>${f(u.a)}</td><td>${b(u.da)}</td><td>${b(u.dz)}</td></tr>`,
    )
    .join('');
  let weights = '';
  if (!input) {
    const cells = l.weights
      .flatMap((row, i) =>
        row.map((w, j) => `<tr><td>w${i + 1},${j + 1}</td><td>${num(w.w)}</td><td>${b(w.dw)}</td></tr>`),
      )
      .concat(l.biases.map((x, j) => `<tr><td>b${j + 1}</td><td>${num(x.b)}</td><td>${b(x.db)}</td></tr>`))
      .join('');
    weights =
      `<details><summary>${l.weights.length * (l.weights[0]?.length ?? 0) + l.biases.length} weights and ` +
      `biases</summary><table><thead><tr><th></th><th>value</th><th>∂loss/∂</th></tr></thead><tbody>${cells}` +
      `</tbody></table></details>`;
  }
  card.innerHTML =
    `<h4>${l.name}</h4><p>${l.activation}</p><table><thead>${head}</thead><tbody>${rows}</tbody></table>` +
    weights;
  return card;
}
