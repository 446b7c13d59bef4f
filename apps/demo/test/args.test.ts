import { describe, expect, it } from 'vitest';
import { DEFAULT_LR, UsageError, parseArgs } from '../src/cli/args';

describe('parseArgs', () => {
  it('defaults to the README run: MLP on MNIST, 5 epochs, Adam 1e-3, batch 64, seed 0, wasm', () => {
    expect(parseArgs([])).toEqual({
      model: 'mlp',
      dataset: 'mnist',
      epochs: 5,
      batchSize: 64,
      optimizer: 'adam',
      lr: 1e-3,
      seed: 0,
      backend: 'wasm',
      save: undefined,
      json: undefined,
      help: false,
    });
  });

  it('reads every option, in both --name value and --name=value forms', () => {
    const o = parseArgs([
      '--model',
      'cnn',
      '--dataset=fashion',
      '--epochs',
      '3',
      '--batch-size=64',
      '--optimizer',
      'RMSprop',
      '--lr',
      '5e-4',
      '--seed',
      '7',
      '--backend=JS',
      '--save',
      'out/model',
      '--json=run.json',
    ]);
    expect(o).toMatchObject({
      model: 'cnn',
      dataset: 'fashion',
      epochs: 3,
      batchSize: 64,
      optimizer: 'rmsprop',
      lr: 5e-4,
      seed: 7,
      backend: 'js',
      save: 'out/model',
      json: 'run.json',
    });
  });

  it('skips the lone -- that package managers pass through', () => {
    expect(parseArgs(['--', '--epochs', '1']).epochs).toBe(1);
  });

  it('uses more epochs for the small digits set and the optimizer’s own learning rate', () => {
    expect(parseArgs(['--dataset', 'digits']).epochs).toBe(20);
    expect(parseArgs(['--optimizer', 'sgd']).lr).toBe(DEFAULT_LR.sgd);
    expect(parseArgs(['--optimizer', 'sgd', '--lr', '0.3']).lr).toBe(0.3);
  });

  it('recognises --help and -h', () => {
    expect(parseArgs(['--help']).help).toBe(true);
    expect(parseArgs(['-h', '--epochs', '2']).help).toBe(true);
  });

  it.each([
    [['--epochs', '0'], /--epochs must be a whole number ≥ 1; got "0"/],
    [['--epochs', '1.5'], /--epochs must be a whole number/],
    [['--batch-size', 'big'], /--batch-size must be a whole number ≥ 1; got "big"/],
    [['--lr', '-1'], /--lr must be a number > 0/],
    [['--lr', 'fast'], /--lr must be a number > 0/],
    [['--seed', '-3'], /--seed must be a whole number ≥ 0/],
    [['--model', 'rnn'], /--model must be one of mlp, cnn; got "rnn"/],
    [['--dataset', 'cifar'], /--dataset must be one of mnist, fashion, digits/],
    [['--optimizer', 'lbfgs'], /--optimizer must be one of adam, adamw, sgd/],
    [['--backend', 'webgpu'], /--backend must be one of wasm, js; got "webgpu"/],
    [['--epochs'], /--epochs needs a value, e.g. --epochs 3/],
    [['--epochs', '--lr', '1'], /--epochs needs a value/],
    [['--epoch', '3'], /unknown option --epoch \(did you mean --epochs\?\)/],
    [['--frobnicate'], /unknown option --frobnicate$/],
    [['mnist'], /unexpected argument "mnist"/],
    [['--seed', '1', '--seed', '2'], /--seed given twice/],
    [['--json='], /--json needs a file name/],
  ])('rejects %j with a clear message', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});
