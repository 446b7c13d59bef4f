import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { layers } from 'backprop';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/cli/args';
import { runDemo } from '../src/cli/run';

const run = promisify(execFile);
const cli = join(import.meta.dirname, '..', 'dist', 'cli.js');

/** Runs the built CLI; resolves with the exit code and output instead of throwing on a non-zero exit. */
async function demo(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args]);
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('pnpm demo (built CLI)', () => {
  it('prints the options with --help', async () => {
    const r = await demo(['--help']);
    expect(r.code).toBe(0);
    for (const o of [
      '--model',
      '--dataset',
      '--epochs',
      '--batch-size',
      '--optimizer',
      '--lr',
      '--seed',
      '--save',
      '--json',
    ])
      expect(r.stdout).toContain(o);
  });

  it('answers a bad option with one clear line and exit code 2, not a stack trace', async () => {
    const r = await demo(['--epochs', 'many']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: --epochs must be a whole number ≥ 1; got "many"\nRun with --help to see the options.\n',
    );
  });

  it('trains on digits and writes the --json summary, with the confusion matrix and gradient health', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'demo-'));
    const file = join(dir, 'nested', 'run.json');
    const r = await demo(['--dataset', 'digits', '--epochs', '3', '--json', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('confusion matrix');
    expect(r.stdout).toContain('gradient health');
    expect(r.stdout).toMatch(/Epoch 3\/3/);
    const summary = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(summary).sort()).toEqual(
      ['dataset', 'epochs', 'model', 'samplesPerSec', 'seconds', 'testAccuracy', 'testLoss'].sort(),
    );
    expect(summary).toMatchObject({ dataset: 'digits', model: 'mlp', epochs: 3 });
    expect(summary.testAccuracy).toBeGreaterThan(0.7); // 3 epochs of 12 steps; chance is 0.1
    expect(summary.testAccuracy).toBeLessThanOrEqual(1);
    expect(summary.seconds).toBeGreaterThan(0);
    expect(summary.samplesPerSec).toBeGreaterThan(0);
  }, 30_000);
});

describe('--save', () => {
  it('saves the trained model in the persistence format, which loadModel reads back', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'demo-save-')), 'model');
    const r = await demo(['--dataset', 'digits', '--epochs', '1', '--save', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`model saved to ${dir}`);
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as object;
    expect(JSON.stringify(json)).toContain('Dense');
    const model = await layers.loadModel(dir);
    expect(model.countParams()).toBe(64 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10);
  }, 30_000);
});

describe('--backend', () => {
  it('trains on the backend asked for and names it', async () => {
    const r = await demo(['--dataset', 'digits', '--epochs', '1', '--backend', 'js']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/backend js\b/);
    const w = await demo(['--dataset', 'digits', '--epochs', '1']);
    expect(w.stdout).toMatch(/backend wasm\b/);
  }, 30_000);
});

describe('runDemo', () => {
  it('learns digits to ≥ 93% in 10 epochs, with a confusion matrix that sums to the test set', async () => {
    const lines: string[] = [];
    const r = await runDemo(parseArgs(['--dataset', 'digits', '--epochs', '10']), {
      log: (l) => lines.push(l),
      verbose: 0,
    });
    expect(r.testAccuracy).toBeGreaterThan(0.93);
    const total = r.confusion.flat().reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(359); // a stratified 20% of 1 797
    expect(total).toBeLessThanOrEqual(360);
    const diagonal = r.confusion.reduce((s, row, i) => s + row[i]!, 0);
    expect(diagonal / total).toBeCloseTo(r.testAccuracy, 5);
    expect(r.health.map((h) => h.layer)).toHaveLength(3);
    expect(lines.join('\n')).toContain('test accuracy');
  }, 30_000);

  it('trains the CNN on digits images', async () => {
    const r = await runDemo(parseArgs(['--dataset', 'digits', '--model', 'cnn', '--epochs', '2']), {
      log: () => {},
      verbose: 0,
    });
    expect(r.health.length).toBe(4); // two convolutions, two dense layers
    expect(r.testAccuracy).toBeGreaterThan(0.3);
  }, 30_000);
});
