import {
  data,
  getBackendName,
  layers,
  noGrad,
  scope,
  setBackend,
  softmax,
  tensor,
  wasmSimdSupported,
} from 'backprop';
import type { PlaygroundConfig } from '../playground/config';
import {
  ACTIVATIONS,
  DATASETS,
  DEFAULT_CONFIG,
  INITIALIZERS,
  LOSSES,
  OPTIMIZERS,
  sanitizeConfig,
} from '../playground/config';
import type { Points2D } from '../playground/datasets';
import { splitPoints } from '../playground/datasets';
import type { Experiment } from '../playground/experiments';
import { EXPERIMENTS, experimentById } from '../playground/experiments';
import { Trainer } from '../playground/trainer';
import { BackpropPanel } from './backprop-panel';
import { drawBoundary, drawNetwork, drawUnitMap, networkLayout, unitAt } from './draw';
import { drawHistograms } from './histograms';
import { setupMnist } from './mnist-tab';
import { TEACHER_CONTROLS, parseHidden } from './teacher';
import { TrainingCharts } from './training-charts';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
};

const BATCH_CHOICES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 0]; // 0 = all samples
const INIT_LABELS: Record<string, string> = {
  heNormal: 'He normal (ReLU)',
  glorotUniform: 'Glorot/Xavier uniform',
  lecunNormal: 'LeCun normal',
  small: 'Too small: N(0, 0.01²)',
  large: 'Too large: N(0, 1.5²)',
};
const ACTIVATION_LABELS: Record<string, string> = { leakyRelu: 'leaky ReLU', relu: 'ReLU' };
const BOUNDARY_RES = 48;

// ---------------------------------------------------------------------------------------------------------------
// State: the config (mirrored in the URL), the trainer built from it, and the play loop.

// The fastest backend this browser has: WebAssembly SIMD where WebAssembly.validate accepts the SIMD kernels.
setBackend(wasmSimdSupported() ? 'wasm' : 'js');

const hashParam = (name: string): string | undefined =>
  new RegExp(`[#&]${name}=([^&]*)`).exec(location.hash)?.[1];

function configFromUrl(): PlaygroundConfig {
  const m = /[#&]c=([^&]+)/.exec(location.hash);
  if (!m) return structuredClone(DEFAULT_CONFIG);
  try {
    return sanitizeConfig(JSON.parse(decodeURIComponent(m[1]!)));
  } catch {
    return structuredClone(DEFAULT_CONFIG);
  }
}

let config = configFromUrl();
let customPoints: Points2D | undefined;
let customName = '';
let trainer = new Trainer(config, customPoints);
let playing = false;
let experiment: Experiment | undefined;
let stepsLeft = Infinity;
let tab: 'playground' | 'mnist' = hashParam('tab') === 'mnist' ? 'mnist' : 'playground';
/** Teacher mode is on when the URL has a teacher= list (possibly empty): the controls it names are hidden. */
let teacherHidden: Set<string> | undefined = parseHidden(hashParam('teacher'));
let hovered: { column: number; unit: number } | undefined;

function saveUrl(): void {
  let hash = `#c=${encodeURIComponent(JSON.stringify(config))}`;
  if (teacherHidden) hash += `&teacher=${[...teacherHidden].join(',')}`;
  if (tab !== 'playground') hash += `&tab=${tab}`;
  history.replaceState(null, '', hash);
}

// ---------------------------------------------------------------------------------------------------------------
// Controls

function fillSelect(id: string, choices: readonly string[], labels: Record<string, string> = {}): void {
  $<HTMLSelectElement>(id).replaceChildren(
    ...choices.map((c) =>
      Object.assign(document.createElement('option'), { value: c, textContent: labels[c] ?? c }),
    ),
  );
}

fillSelect('dataset', DATASETS);
fillSelect('initializer', INITIALIZERS, INIT_LABELS);
fillSelect('optimizer', OPTIMIZERS, {
  sgd: 'SGD',
  momentum: 'SGD + momentum',
  rmsprop: 'RMSprop',
  adam: 'Adam',
  adamw: 'AdamW',
});
fillSelect('loss', LOSSES, { crossentropy: 'Cross-entropy', mse: 'Mean squared error', hinge: 'Hinge' });

const fmtLr = (lr: number): string => (lr >= 0.01 ? String(+lr.toPrecision(2)) : lr.toExponential(0));

function renderControls(): void {
  $<HTMLSelectElement>('dataset').value = config.dataset;
  $<HTMLInputElement>('classes').value = String(config.classes);
  $<HTMLInputElement>('classes').disabled = !(config.dataset === 'spiral' || config.dataset === 'gaussian');
  $('classes-out').textContent = String(config.classes);
  $<HTMLInputElement>('noise').value = String(config.noise);
  $('noise-out').textContent = config.noise.toFixed(2);
  $<HTMLInputElement>('testFraction').value = String(config.testFraction);
  $('test-out').textContent = `${Math.round(config.testFraction * 100)}%`;
  $<HTMLSelectElement>('initializer').value = config.initializer;
  $<HTMLInputElement>('batchNorm').checked = config.batchNorm;
  $<HTMLSelectElement>('optimizer').value = config.optimizer;
  $<HTMLInputElement>('lr').value = String(Math.log10(config.lr));
  $('lr-out').textContent = fmtLr(config.lr);
  const bi = BATCH_CHOICES.indexOf(config.batchSize);
  $<HTMLInputElement>('batchSize').value = String(bi >= 0 ? bi : 5);
  $('batch-out').textContent =
    config.batchSize === 0 ? `all (${trainer.trainSize})` : String(config.batchSize);
  $<HTMLSelectElement>('loss').value = config.loss;
  $<HTMLInputElement>('clip').value = String(config.clip);
  $<HTMLInputElement>('seed').value = String(config.seed);

  const list = $('layers');
  list.replaceChildren(
    ...config.hidden.map((l, i) => {
      const li = document.createElement('li');
      const units = Object.assign(document.createElement('input'), {
        type: 'number',
        min: '1',
        max: '64',
        value: String(l.units),
        ariaLabel: `Units in hidden layer ${i + 1}`,
      });
      units.addEventListener('change', () => {
        const n = Math.round(Number(units.value));
        config.hidden[i]!.units = Number.isFinite(n) ? Math.min(64, Math.max(1, n)) : l.units;
        rebuild();
      });
      const act = document.createElement('select');
      act.ariaLabel = `Activation of hidden layer ${i + 1}`;
      act.append(
        ...ACTIVATIONS.map((a) =>
          Object.assign(document.createElement('option'), {
            value: a,
            textContent: ACTIVATION_LABELS[a] ?? a,
          }),
        ),
      );
      act.value = l.activation;
      act.addEventListener('change', () => {
        config.hidden[i]!.activation = act.value as (typeof ACTIVATIONS)[number];
        rebuild();
      });
      li.append(`Layer ${i + 1}: `, units, ' units, ', act);
      return li;
    }),
  );
}

function rebuild(keepExperiment = false): void {
  if (!keepExperiment) {
    experiment = undefined;
    stepsLeft = Infinity;
    $('explanation').replaceChildren();
  }
  trainer.dispose();
  trainer = new Trainer(config, customPoints);
  hovered = undefined;
  trainer.evaluate();
  backpropPanel.reset();
  $('nan').hidden = true;
  saveUrl();
  renderControls();
  renderAll();
}

function onInput(
  id: string,
  apply: (el: HTMLInputElement & HTMLSelectElement) => void,
  event = 'change',
): void {
  const el = $<HTMLInputElement & HTMLSelectElement>(id);
  el.addEventListener(event, () => {
    apply(el);
    rebuild();
  });
}

onInput('dataset', (el) => {
  config.dataset = el.value as PlaygroundConfig['dataset'];
  customPoints = undefined;
});
onInput('classes', (el) => (config.classes = Number(el.value)));
onInput('noise', (el) => (config.noise = Number(el.value)));
onInput('testFraction', (el) => (config.testFraction = Number(el.value)));
onInput('initializer', (el) => (config.initializer = el.value as PlaygroundConfig['initializer']));
onInput('batchNorm', (el) => (config.batchNorm = el.checked));
onInput('optimizer', (el) => (config.optimizer = el.value as PlaygroundConfig['optimizer']));
onInput('lr', (el) => (config.lr = +(10 ** Number(el.value)).toPrecision(2)));
onInput('batchSize', (el) => (config.batchSize = BATCH_CHOICES[Number(el.value)] ?? 32));
onInput('loss', (el) => (config.loss = el.value as PlaygroundConfig['loss']));
onInput('clip', (el) => (config.clip = Math.max(0, Number(el.value) || 0)));
onInput('seed', (el) => (config.seed = Math.max(0, Math.round(Number(el.value) || 0))));
$('add-layer').addEventListener('click', () => {
  if (config.hidden.length >= 10) return;
  config.hidden.push({ ...(config.hidden.at(-1) ?? { units: 8, activation: 'relu' }) });
  rebuild();
});
$('remove-layer').addEventListener('click', () => {
  config.hidden.pop();
  rebuild();
});

$<HTMLInputElement>('csv').addEventListener('change', () => {
  const file = $<HTMLInputElement>('csv').files?.[0];
  if (!file) return;
  void file.text().then((text) => {
    try {
      // The last column is the label; a first line with anything but numbers is a header.
      const first = (text.split('\n')[0] ?? '').split(',').map((c) => c.trim());
      const header = first.some((c) => c !== '' && !Number.isFinite(Number(c)));
      const t = data.parseCsv(text, { header, labelColumn: header ? first.at(-1)! : first.length - 1 });
      if (t.columnNames.length < 2) throw new Error('need two feature columns and a label column');
      const n = t.numRows;
      const xs = new Float32Array(n * 2);
      const stride = t.columnNames.length;
      for (let i = 0; i < n; i++) {
        xs[2 * i] = t.values[i * stride]!;
        xs[2 * i + 1] = t.values[i * stride + 1]!;
      }
      const ys = Int32Array.from(t.labels ?? new Int32Array(n), (v) => Math.max(0, Math.round(v)));
      customPoints = splitPoints(xs, ys, config.testFraction, config.seed);
      if (customPoints.classes > 6) throw new Error('at most 6 classes (labels 0…5)');
      customName = `${file.name}: ${n} points`;
      rebuild();
    } catch (e) {
      customPoints = undefined;
      setStatus(`Could not read ${file.name}: ${(e as Error).message}`);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Training loop

function setStatus(text: string): void {
  $('status').textContent = text;
}

function setPlaying(p: boolean): void {
  playing = p;
  $('play').textContent = p ? '⏸ Pause' : '▶ Play';
  $('play').setAttribute('aria-pressed', String(p));
  if (p) {
    // Play after an experiment's fixed steps keeps training the same network, with no limit.
    if (stepsLeft <= 0) stepsLeft = Infinity;
    requestAnimationFrame(frame);
  }
}

function trainSteps(n: number): void {
  for (let i = 0; i < n && !trainer.diverged; i++) {
    trainer.trainStep();
    if (trainer.step % 10 === 0 || trainer.diverged) trainer.evaluate();
  }
}

function frame(): void {
  if (!playing) return;
  const t0 = performance.now();
  // As many steps as fit in ~25 ms, so the page stays responsive at any batch size.
  while (performance.now() - t0 < 25 && stepsLeft > 0 && !trainer.diverged) {
    trainSteps(1);
    stepsLeft--;
  }
  if (trainer.diverged || stepsLeft <= 0) {
    if (trainer.evals.at(-1)?.step !== trainer.step) trainer.evaluate();
    setPlaying(false);
    renderAll(); // paused: the pictures and the step-by-step view catch up
    document.body.dataset.done = 'true';
    return;
  }
  renderAll();
  requestAnimationFrame(frame);
}

$('play').addEventListener('click', () => setPlaying(!playing));
$('step').addEventListener('click', () => {
  setPlaying(false);
  trainSteps(1);
  renderAll();
});
$('reset').addEventListener('click', () => {
  setPlaying(false);
  rebuild(true);
});

$('export').addEventListener('click', () => {
  // The persistence format of @backprop/layers: playground-model.json (config) + .weights.safetensors, offered
  // as downloads; loadModel reads them back (in Node from the files, in a page with browserFiles).
  void layers.saveModel(trainer.model, 'downloads://playground-model').then(
    () => setStatus('Model exported: playground-model.json + playground-model.weights.safetensors'),
    (e: unknown) => setStatus(`Export failed: ${(e as Error).message}`),
  );
});

document.addEventListener('keydown', (e) => {
  const tag = (e.target as HTMLElement | null)?.tagName ?? '';
  if (['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON'].includes(tag) || e.metaKey || e.ctrlKey || e.altKey) return;
  if (tab !== 'playground') return;
  if (e.key === ' ') {
    e.preventDefault();
    setPlaying(!playing);
  } else if (e.key === 's') $('step').click();
  else if (e.key === 'r') $('reset').click();
});

function applyTeacher(): void {
  const on = teacherHidden !== undefined;
  // On <html>, so that rem-sized text grows too.
  document.documentElement.classList.toggle('teacher', on);
  $<HTMLInputElement>('teacher').checked = on;
  $('teacher-panel').hidden = !on;
  for (const el of document.querySelectorAll<HTMLElement>('[data-control]'))
    el.classList.toggle('teacher-hidden', on && teacherHidden!.has(el.dataset.control!));
  // A fieldset whose every control is hidden goes too, rather than staying as an empty box.
  for (const fs of document.querySelectorAll<HTMLFieldSetElement>('#controls fieldset')) {
    const parts = [...fs.children].filter((c) => c.tagName !== 'LEGEND');
    fs.classList.toggle('teacher-hidden', on && parts.every((c) => c.classList.contains('teacher-hidden')));
  }
  for (const box of document.querySelectorAll<HTMLInputElement>('#teacher-choices input'))
    box.checked = on && teacherHidden!.has(box.value);
}

$('teacher-choices').replaceChildren(
  ...TEACHER_CONTROLS.map(({ id, label }) => {
    const box = Object.assign(document.createElement('input'), { type: 'checkbox', value: id });
    box.dataset.hide = id;
    box.addEventListener('change', () => {
      if (!teacherHidden) return;
      if (box.checked) teacherHidden.add(id);
      else teacherHidden.delete(id);
      applyTeacher();
      saveUrl();
    });
    const l = document.createElement('label');
    l.className = 'check';
    l.append(box, ` ${label}`);
    return l;
  }),
);

$<HTMLInputElement>('teacher').addEventListener('change', () => {
  teacherHidden = $<HTMLInputElement>('teacher').checked ? parseHidden('')! : undefined;
  if (teacherHidden) for (const c of TEACHER_CONTROLS) if (c.hiddenByDefault) teacherHidden.add(c.id);
  applyTeacher();
  saveUrl();
  renderAll();
});

// ---------------------------------------------------------------------------------------------------------------
// Tabs: the playground and MNIST (arrow keys move between them, as in the WAI-ARIA tabs pattern).

function showTab(t: 'playground' | 'mnist', focus = false): void {
  tab = t;
  for (const name of ['playground', 'mnist'] as const) {
    const button = $(`tab-${name}`);
    button.setAttribute('aria-selected', String(name === t));
    button.tabIndex = name === t ? 0 : -1;
    $(`panel-${name}`).hidden = name !== t;
    if (focus && name === t) button.focus();
  }
  saveUrl();
  if (t === 'playground') renderAll();
}
$('tab-playground').addEventListener('click', () => showTab('playground'));
$('tab-mnist').addEventListener('click', () => {
  setPlaying(false);
  showTab('mnist');
});
for (const name of ['playground', 'mnist'] as const)
  $(`tab-${name}`).addEventListener('keydown', (e) => {
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      showTab(name === 'playground' ? 'mnist' : 'playground', true);
    }
  });

// ---------------------------------------------------------------------------------------------------------------
// Experiments

function runExperiment(e: Experiment): void {
  setPlaying(false);
  delete document.body.dataset.done;
  config = structuredClone(e.config);
  customPoints = undefined;
  experiment = e;
  stepsLeft = e.steps;
  rebuild(true);
  const title = Object.assign(document.createElement('h3'), { textContent: `${e.lesson}: ${e.title}` });
  const text = Object.assign(document.createElement('p'), { textContent: e.explanation });
  $('explanation').replaceChildren(title, text);
  document.body.dataset.experiment = e.id;
  setPlaying(true);
}

{
  const byLesson = new Map<string, Experiment[]>();
  for (const e of EXPERIMENTS) byLesson.set(e.lesson, [...(byLesson.get(e.lesson) ?? []), e]);
  $('experiment-list').replaceChildren(
    ...[...byLesson].map(([lesson, es]) => {
      const div = document.createElement('div');
      div.className = 'lesson';
      div.append(Object.assign(document.createElement('h3'), { textContent: lesson }));
      for (const e of es) {
        const b = Object.assign(document.createElement('button'), { type: 'button', textContent: e.title });
        b.dataset.experiment = e.id;
        b.addEventListener('click', () => runExperiment(e));
        div.append(b);
      }
      return div;
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering

const trainingCharts = new TrainingCharts({
  loss: $('chart-loss'),
  acc: $('chart-acc'),
  grad: $('chart-grad'),
  ratio: $('chart-ratio'),
});
const backpropPanel = new BackpropPanel(
  {
    intro: $('bp-intro'),
    graph: $('bp-graph'),
    next: $('bp-next'),
    back: $('bp-back'),
    all: $('bp-all'),
    sample: $('bp-sample'),
  },
  () => trainer,
);

function renderStatus(): void {
  const last = trainer.evals.at(-1);
  const parts = [`step ${trainer.step}`];
  if (experiment) parts.unshift(experiment.title);
  else if (customPoints) parts.unshift(customName);
  if (last)
    parts.push(
      `train loss ${fmt(last.trainLoss)}`,
      `test loss ${fmt(last.testLoss)}`,
      `test accuracy ${(100 * last.testAcc).toFixed(1)}%`,
    );
  setStatus(parts.join(' · '));
  const nan = $('nan');
  if (trainer.firstNonFinite) {
    nan.hidden = false;
    nan.textContent =
      `Training stopped: the first NaN/Inf appeared at step ${trainer.firstNonFinite.step + 1} in ` +
      `${trainer.firstNonFinite.layer}. Lower the learning rate, clip gradients or use a smaller initialization.`;
  } else nan.hidden = true;
  // Everything the end-to-end test reads, in one place.
  const root = document.documentElement;
  root.dataset.step = String(trainer.step);
}

const fmt = (v: number): string =>
  !Number.isFinite(v)
    ? String(v)
    : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3
      ? v.toExponential(2)
      : v.toFixed(4);

function renderPictures(): void {
  const boundary = $<HTMLCanvasElement>('boundary');
  if (hovered && hovered.column > 0) {
    const block = hovered.column - 1;
    const last = block === trainer.blocks.length - 1;
    drawUnitMap(
      boundary,
      trainer.unitGrid(block, hovered.unit, BOUNDARY_RES),
      BOUNDARY_RES,
      trainer.points,
      last
        ? `output ${hovered.unit}: P(class ${hovered.unit})`
        : `${trainer.blocks[block]![0]!.name}, unit ${hovered.unit + 1}: ${config.hidden[block]!.activation}`,
    );
    boundary.dataset.showing = `unit ${hovered.column},${hovered.unit}`;
  } else {
    drawBoundary(boundary, trainer.grid(BOUNDARY_RES), BOUNDARY_RES, trainer.points.classes, trainer.points);
    boundary.dataset.showing = 'output';
  }
  drawNetwork(
    $<HTMLCanvasElement>('network'),
    trainer.kernels(),
    config.hidden.map((h) => h.activation),
    hovered,
  );
  drawHistograms(
    $<HTMLCanvasElement>('histograms'),
    trainer.blocks.map((b) => b[0]!.name),
    trainer.lastActivations,
    trainer.lastGradients,
  );
}

{
  const net = $<HTMLCanvasElement>('network');
  net.addEventListener('pointermove', (e) => {
    const r = net.getBoundingClientRect();
    const sizes = [2, ...trainer.kernels().map((k) => k.shape[1])];
    const hit = unitAt(
      networkLayout(net, sizes),
      ((e.clientX - r.left) / r.width) * net.width,
      ((e.clientY - r.top) / r.height) * net.height,
    );
    if (hit?.column !== hovered?.column || hit?.unit !== hovered?.unit) {
      hovered = hit;
      renderPictures();
    }
  });
  net.addEventListener('pointerleave', () => {
    if (!hovered) return;
    hovered = undefined;
    renderPictures();
  });
}

let lastPicture = 0;
function renderAll(): void {
  renderStatus();
  trainingCharts.render(trainer);
  const now = performance.now();
  if (!playing || now - lastPicture > 120) {
    renderPictures();
    lastPicture = now;
  }
  if (!playing) backpropPanel.refresh();
}

// ---------------------------------------------------------------------------------------------------------------
// Test hook: the end-to-end test drives the page through its buttons and reads what it shows from here.

declare global {
  interface Window {
    playground: {
      experiments: string[];
      stats(): {
        step: number;
        batchLosses: number[];
        gradNorms: number[][];
        evals: { step: number; trainLoss: number; trainAcc: number; testLoss: number; testAcc: number }[];
        nonFinite: { step: number; layer: string } | undefined;
      };
      /** Class probabilities of the current network at points given as [x, y] pairs. */
      predict(points: [number, number][]): number[][];
    };
  }
}

window.playground = {
  experiments: EXPERIMENTS.map((e) => e.id),
  stats: () => ({
    step: trainer.step,
    batchLosses: trainer.steps.map((s) => s.batchLoss),
    gradNorms: trainer.steps.map((s) => s.layers.map((l) => l.gradNorm)),
    evals: trainer.evals.map((e) => ({
      step: e.step,
      trainLoss: e.trainLoss,
      trainAcc: e.trainAcc,
      testLoss: e.testLoss,
      testAcc: e.testAcc,
    })),
    nonFinite: trainer.firstNonFinite,
  }),
  predict: (points) =>
    noGrad(() =>
      scope(() => {
        const p = softmax(trainer.model.predict(tensor(points.flat(), [points.length, 2])), -1);
        const k = p.shape[1]!;
        const v = p.dataSync();
        return points.map((_, i) => Array.from(v.subarray(i * k, i * k + k)));
      }),
    ),
};

setupMnist($('panel-mnist'));
$('backend').textContent = `backend: ${getBackendName()}`;
document.documentElement.dataset.backend = getBackendName();
applyTeacher();
showTab(tab);
trainer.evaluate();
renderControls();
renderAll();
const fromUrl = /[#&]experiment=([\w-]+)/.exec(location.hash)?.[1];
if (fromUrl && experimentById(fromUrl)) runExperiment(experimentById(fromUrl)!);
