/**
 * Where one training step's time goes on backprop-wasm: the bench's MLP (784-256-128-10 relu, batch 128) or CNN
 * (conv3×3×8 relu → maxpool2 → conv3×3×16 relu → maxpool2 → dense10, batch 64), Adam, softmax cross-entropy on
 * logits:
 *
 *   node dist/profile.js [--model mlp|cnn] [--threads N] [--steps N]
 *
 * Every backend call is timed through a wrapper (the backend interface is the boundary between the JS engine —
 * tensors, autograd, optimizers, layers — and the kernels), and the step is split into the phases `fit` runs:
 * forward + loss, backward, optimizer update. The phases are re-created with the same public calls `fit` makes
 * (layer.apply, loss.call, variableGrads, optimizer.applyGradients inside one scope) and checked against `fit`'s
 * own time per step. Time in a phase outside backend calls is JS: op dispatch, shape checks, tape recording,
 * tensor bookkeeping.
 */
import type { Backend, Tensor } from '@backprop/core-tensor';
import {
  createWasmBackend,
  oneHot,
  randomInt,
  randomUniform,
  registerBackend,
  scope,
  setBackend,
  slice,
} from '@backprop/core-tensor';
import { variableGrads } from '@backprop/autograd';
import { backpropModel } from './train/backprop-train';
import type { ModelName } from './train/spec';
import { BATCH_SIZE, CLASSES, INPUT_SHAPE } from './train/spec';
import { markdownTable } from './report/table';
import { median } from './timing';

type Category =
  'GEMM' | 'elementwise + reductions' | 'optimizer kernels' | 'movement' | 'memory + transfer' | 'other';

function categorize(method: string): Category {
  if (/matmul|matMul|conv2d/.test(method)) return 'GEMM';
  if (/adam|sgd/i.test(method)) return 'optimizer kernels';
  if (
    /^(unary|binary|compare|where|cast|reduce|pool2d|pool2dBackprop)$|softmax|Softmax|CrossEntropy/.test(
      method,
    )
  )
    return 'elementwise + reductions';
  if (/^(transpose|broadcastTo|slice|pad|concat|gather|scatterAdd)$/.test(method)) return 'movement';
  if (/^(fromArray|readSync|read|dispose)$/.test(method)) return 'memory + transfer';
  return 'other';
}

/** Milliseconds and calls per phase and backend method. */
class Ledger {
  phase = 'setup';
  readonly ms = new Map<string, Map<string, { ms: number; calls: number }>>();
  add(method: string, ms: number): void {
    let byMethod = this.ms.get(this.phase);
    if (!byMethod) this.ms.set(this.phase, (byMethod = new Map<string, { ms: number; calls: number }>()));
    const e = byMethod.get(method) ?? { ms: 0, calls: 0 };
    e.ms += ms;
    e.calls++;
    byMethod.set(method, e);
  }
  reset(): void {
    this.ms.clear();
  }
}

function timedMethods<T extends object>(target: T, ledger: Ledger, prefix: string): T {
  return new Proxy(target, {
    get(t, key, receiver) {
      const v: unknown = Reflect.get(t, key, receiver);
      if (typeof key !== 'string') return v;
      if (key === 'fused' && v && typeof v === 'object') return timedMethods(v, ledger, 'fused.');
      if (typeof v !== 'function') return v;
      const fn = v as (...args: unknown[]) => unknown;
      return (...args: unknown[]) => {
        const t0 = performance.now();
        try {
          return fn.apply(t, args);
        } finally {
          ledger.add(prefix + key, performance.now() - t0);
        }
      };
    },
  });
}

function parse(argv: readonly string[]): { threads: number; steps: number; model: ModelName } {
  const get = (flag: string, dflt: number) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? Number(argv[i + 1]) : dflt;
  };
  const m = argv.indexOf('--model');
  const model = m >= 0 ? argv[m + 1] : 'mlp';
  if (model !== 'mlp' && model !== 'cnn') throw new Error(`profile: --model is mlp or cnn, got ${model}`);
  return { threads: get('--threads', 1), steps: get('--steps', 60), model };
}

async function main(): Promise<void> {
  const { threads, steps, model: modelName } = parse(process.argv.slice(2));
  const ledger = new Ledger();
  const inner = createWasmBackend({ threads, relaxedSimd: true });
  registerBackend('profiled-wasm', () => timedMethods(inner as Backend, ledger, ''));
  setBackend('profiled-wasm');
  const batch = BATCH_SIZE[modelName];
  const n = batch * steps;
  const x = randomUniform([n, ...INPUT_SHAPE[modelName]], { seed: 1 });
  const y = oneHot(randomInt([n], 0, CLASSES, { seed: 2 }), CLASSES);
  const model = backpropModel(modelName);

  // fit's own time per step (one warm-up epoch first).
  await model.fit(x, y, { epochs: 1, batchSize: batch, verbose: 0 });
  ledger.reset();
  ledger.phase = 'fit';
  const t0 = performance.now();
  await model.fit(x, y, { epochs: 1, batchSize: batch, verbose: 0 });
  const fitMs = (performance.now() - t0) / steps;
  const fitMethods = [...(ledger.ms.get('fit') ?? new Map<string, { ms: number; calls: number }>())];
  const fitKernels = fitMethods.reduce((s, [, e]) => s + e.ms, 0) / steps;

  // The same step, phase by phase.
  const { optimizer, loss } = model.compiled!;
  const vars = model.trainableWeights;
  const stepTimes: number[] = [];
  const phaseMs = new Map<string, number>();
  const addPhase = (p: string, ms: number) => phaseMs.set(p, (phaseMs.get(p) ?? 0) + ms);
  for (let warm = 0; warm < 2; warm++) {
    ledger.reset();
    phaseMs.clear();
    stepTimes.length = 0;
    for (let s = 0; s < steps; s++) {
      const s0 = performance.now();
      let e0 = s0;
      scope(() => {
        ledger.phase = 'batch slice';
        const xb: Tensor = slice(x, [s * batch], [(s + 1) * batch]);
        const yb: Tensor = slice(y, [s * batch], [(s + 1) * batch]);
        const b0 = performance.now();
        addPhase('batch slice', b0 - s0);
        let f1 = 0;
        ledger.phase = 'forward + loss';
        const { value, grads } = variableGrads(() => {
          let h = xb;
          for (const l of model.layers) h = l.apply(h, { training: true });
          const out = loss.call(yb, h);
          f1 = performance.now();
          ledger.phase = 'backward';
          return out;
        }, vars);
        const g1 = performance.now();
        addPhase('forward + loss', f1 - b0);
        addPhase('backward', g1 - f1);
        ledger.phase = 'loss.item()';
        value.item();
        const i1 = performance.now();
        addPhase('loss.item()', i1 - g1);
        ledger.phase = 'optimizer';
        optimizer.applyGradients(vars.map((v) => [grads.get(v)!, v] as const));
        const o1 = performance.now();
        addPhase('optimizer', o1 - i1);
        ledger.phase = 'scope end';
        e0 = performance.now();
      });
      const e1 = performance.now();
      addPhase('scope end', e1 - e0);
      stepTimes.push(e1 - s0);
    }
  }
  const stepMs = stepTimes.reduce((a, b) => a + b, 0) / steps;
  const phases = [...phaseMs.keys()];
  const categories: Category[] = [
    'GEMM',
    'elementwise + reductions',
    'optimizer kernels',
    'movement',
    'memory + transfer',
    'other',
  ];
  const rows = phases.map((p) => {
    const byMethod = ledger.ms.get(p) ?? new Map<string, { ms: number; calls: number }>();
    const cat = new Map<Category, number>();
    let kernel = 0;
    let calls = 0;
    for (const [method, e] of byMethod) {
      cat.set(categorize(method), (cat.get(categorize(method)) ?? 0) + e.ms);
      kernel += e.ms;
      calls += e.calls;
    }
    const total = phaseMs.get(p) ?? 0;
    return [
      p,
      (total / steps).toFixed(3),
      `${((100 * total) / steps / stepMs).toFixed(1)}%`,
      ...categories.map((c) => ((cat.get(c) ?? 0) / steps).toFixed(3)),
      ((total - kernel) / steps).toFixed(3),
      (calls / steps).toFixed(0),
    ];
  });
  console.log(
    `${modelName === 'mlp' ? 'MLP 784-256-128-10' : 'CNN'}, batch ${batch}, Adam, wasm backend ${inner.variant}, ${inner.threads} thread(s), ${steps} steps; ` +
      `ms per step: fit ${fitMs.toFixed(2)} (of which backend calls ${fitKernels.toFixed(2)}), ` +
      `phase-by-phase re-creation ${stepMs.toFixed(2)} (median step ${median(stepTimes).toFixed(2)})`,
  );
  console.log(
    markdownTable(
      [
        'phase',
        'ms/step',
        'share',
        ...categories.map((c) => `${c} ms`),
        'JS outside kernels ms',
        'backend calls',
      ],
      rows,
    ),
  );
  const all = new Map<string, { ms: number; calls: number }>();
  for (const byMethod of ledger.ms.values())
    for (const [m, e] of byMethod) {
      const a = all.get(m) ?? { ms: 0, calls: 0 };
      all.set(m, { ms: a.ms + e.ms, calls: a.calls + e.calls });
    }
  console.log('\nbackend methods inside fit:');
  console.log(
    markdownTable(
      ['method', 'ms/step', 'calls/step'],
      fitMethods
        .sort((a, b) => b[1].ms - a[1].ms)
        .map(([m, e]) => [m, (e.ms / steps).toFixed(3), (e.calls / steps).toFixed(1)]),
    ),
  );
  console.log('\nbackend methods, phase-by-phase step:');
  console.log(
    markdownTable(
      ['method', 'ms/step', 'calls/step'],
      [...all]
        .sort((a, b) => b[1].ms - a[1].ms)
        .map(([m, e]) => [m, (e.ms / steps).toFixed(3), (e.calls / steps).toFixed(1)]),
    ),
  );
  process.exit(0);
}

await main();
