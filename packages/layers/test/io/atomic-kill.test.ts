import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Sequential } from '../../src/index';
import { loadModel, saveModel } from '../../src/index';
import { bundleForNode } from './bundle';
import { batch, initialModel, trainingData } from './fixtures/checkpoint-run';
import { bits } from './helpers';

const KILLS = 10;
let work: string;
let bundle: string;
let killer: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'backprop-kill-'));
  bundle = await bundleForNode({ entry: join(import.meta.dirname, 'fixtures', 'save-loop.ts') }, 'save-loop');
  killer = await bundleForNode({ entry: join(import.meta.dirname, 'fixtures', 'kill-at.ts') }, 'kill-at');
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await rm(bundle, { force: true });
  await rm(killer, { force: true });
});

/** The single value v that every weight, every optimizer slot and the iteration count hold, or a failure. */
function versionOf(model: Sequential): number {
  const state = model.optimizer!.getState();
  const arrays = [
    ...model.weights.map((w) => w.dataSync()),
    ...Object.values(state.slots).flatMap((r) => Object.values(r).map((t) => t.dataSync())),
  ];
  const v = state.iterations;
  for (const a of arrays)
    for (let i = 0; i < a.length; i++)
      if (a[i] !== v) throw new Error(`mixed versions: ${a[i]} in version ${v}`);
  expect(arrays).toHaveLength(4);
  return v;
}

/**
 * One lane: a checkpoint directory whose writer is killed at random moments, at least `kills` times and until
 * `landed` of the kills have left debris (hit a save mid-way), at most `3·kills` times; returns how many did.
 * Where a random kill lands depends on the machine's speed, so the lane keeps going rather than hoping.
 */
async function killLoop(dir: string, kills: number, landed: number, lane: number): Promise<number> {
  let committed = 0;
  let interrupted = 0;
  for (let k = 0; k < 3 * kills && (k < kills || interrupted < landed); k++) {
    // Versions are unique across children, so a stale or mixed read cannot pass for a fresh one.
    const first = (lane * 3 * kills + k + 1) * 1000;
    const child = spawn(process.execPath, [bundle, dir, String(first)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let begun = 0;
    let saved = 0;
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const [what, v] = line.split(' ');
        if (what === 'begin') begun = Number(v);
        else saved = Number(v);
      }
    });
    // 'close', not 'exit': only then has every line the child wrote been read.
    const exited = once(child, 'close');
    // The first child must complete one save; later ones are killed anywhere from their first save on.
    while (k === 0 ? saved === 0 : begun === 0) await new Promise((r) => setTimeout(r, 2));
    await new Promise((r) => setTimeout(r, Math.random() * 60));
    child.kill('SIGKILL');
    await exited;

    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as {
      files: { weights: { path: string }; optimizer: { path: string } };
    };
    const live = new Set(['model.json', json.files.weights.path, json.files.optimizer.path]);
    if ((await readdir(dir)).some((f) => !live.has(f))) interrupted++;

    const v = versionOf(await loadModel(dir));
    // Whatever the child had reported saved is on disk; nothing it had not begun can be.
    expect(v).toBeGreaterThanOrEqual(Math.max(committed, saved));
    expect(v).toBeLessThanOrEqual(Math.max(begun, committed));
    committed = v;
  }
  return interrupted;
}

it(`a process killed at random moments mid-save (at least ${2 * KILLS} times) always leaves a complete, loadable checkpoint`, async () => {
  // Two lanes in parallel: most of the time goes to starting Node, which the second core can overlap.
  const interrupted = await Promise.all(
    [0, 1].map((lane) => killLoop(join(work, `ckpt-${lane}`), KILLS, Math.ceil(KILLS / 4), lane)),
  );
  // Evidence the kills really landed inside saves: leftover temporary or uncommitted files.
  expect(interrupted[0]! + interrupted[1]!).toBeGreaterThanOrEqual(KILLS / 2);
}, 60_000);

/**
 * Every point of a directory save where a crash could land, in the order saveToDirectory reaches them, and
 * whether the save has committed by then (model.json renamed into place): if so the new checkpoint is the one
 * to find, otherwise the previous one.
 */
const KILL_POINTS: [point: string, committed: boolean][] = [
  ['before-weights', false],
  ['mid-weights', false],
  ['before-weights-rename', false],
  ['after-weights-rename', false],
  ['before-optimizer', false],
  ['mid-optimizer', false],
  ['before-optimizer-rename', false],
  ['before-model-json', false],
  ['mid-model-json', false],
  ['before-model-json-rename', false],
  ['after-model-json-rename', true],
  ['mid-cleanup', true],
];
const RESUME_STEPS = 3;

/** The uninterrupted run: the weights after each step 0..steps, as bytes (index = optimizer iterations). */
function trajectory(steps: number): Buffer[][] {
  const model = initialModel();
  const data = trainingData();
  const out = [model.getWeights().map(bits)];
  for (let s = 0; s < steps; s++) {
    model.trainOnBatch(...batch(data, s));
    out.push(model.getWeights().map(bits));
  }
  return out;
}

async function killAt(
  dir: string,
  point: string,
  nth: number,
): Promise<{ signal: string | null; out: string }> {
  const child = spawn(process.execPath, [killer, dir, point, String(nth)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const [, signal] = (await once(child, 'close')) as [number | null, string | null];
  return { signal, out };
}

it(`a kill at each of ${KILL_POINTS.length} points of a ModelCheckpoint save (2 saves each) leaves the previous checkpoint, and resuming from it follows the uninterrupted trajectory bit for bit`, async () => {
  const reference = trajectory(3 + RESUME_STEPS);
  const trials = KILL_POINTS.flatMap(([point, committed]) =>
    // The cleanup removes two stale blobs a save from the second on: its 1st and 3rd removals are in saves 2, 3.
    (point === 'mid-cleanup' ? [1, 3] : [2, 3]).map((nth) => ({ point, committed, nth })),
  );
  const run = async ({ point, committed, nth }: (typeof trials)[number], i: number): Promise<void> => {
    const dir = join(work, `point-${i}`);
    const { signal, out } = await killAt(dir, point, nth);
    expect(signal, out).toBe('SIGKILL');
    const reported = /killed (\S+) in save (\d+)/.exec(out);
    expect(reported?.[1]).toBe(point);
    const save = Number(reported![2]);
    const expected = committed ? save : save - 1;

    const loaded = await loadModel(dir);
    const v = loaded.optimizer!.getState().iterations;
    expect(v, `${point} #${nth}`).toBe(expected);
    expect(loaded.getWeights().map(bits)).toEqual(reference[v]);
    const data = trainingData();
    for (let s = v; s < v + RESUME_STEPS; s++) loaded.trainOnBatch(...batch(data, s));
    expect(loaded.getWeights().map(bits), `${point} #${nth}: resumed from step ${v}`).toEqual(
      reference[v + RESUME_STEPS],
    );
    // The next save into the same directory clears what the dead process left behind.
    await saveModel(loaded, dir);
    expect((await readdir(dir)).sort()).toHaveLength(3);
  };
  // Two at a time: starting Node dominates, and the second core overlaps it.
  for (let i = 0; i < trials.length; i += 2)
    await Promise.all(trials.slice(i, i + 2).map((t, k) => run(t, i + k)));
}, 120_000);
