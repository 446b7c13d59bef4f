import { ArgumentError, tensor } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import { constant } from './constant';
import { identity } from './identity';
import type { Initializer } from './initializer';
import { orthogonal } from './orthogonal';
import { randomNormal, randomUniform, truncatedNormal } from './random';
import { getInitializer, registerInitializer, serializeInitializer } from './registry';
import {
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  lecunNormal,
  lecunUniform,
  varianceScaling,
} from './variance-scaling';

const NAMES: [camel: string, snake: string, className: string][] = [
  ['zeros', 'zeros', 'Zeros'],
  ['ones', 'ones', 'Ones'],
  ['constant', 'constant', 'Constant'],
  ['randomUniform', 'random_uniform', 'RandomUniform'],
  ['randomNormal', 'random_normal', 'RandomNormal'],
  ['truncatedNormal', 'truncated_normal', 'TruncatedNormal'],
  ['varianceScaling', 'variance_scaling', 'VarianceScaling'],
  ['glorotUniform', 'glorot_uniform', 'GlorotUniform'],
  ['glorotNormal', 'glorot_normal', 'GlorotNormal'],
  ['heUniform', 'he_uniform', 'HeUniform'],
  ['heNormal', 'he_normal', 'HeNormal'],
  ['lecunUniform', 'lecun_uniform', 'LecunUniform'],
  ['lecunNormal', 'lecun_normal', 'LecunNormal'],
  ['orthogonal', 'orthogonal', 'Orthogonal'],
  ['identity', 'identity', 'Identity'],
];

describe('getInitializer', () => {
  it('accepts camelCase, Keras snake_case and class names', () => {
    for (const [camel, snake, className] of NAMES) {
      expect(getInitializer(camel).className, camel).toBe(className);
      expect(getInitializer(snake).className, snake).toBe(className);
      expect(getInitializer(className).className, className).toBe(className);
      expect(getInitializer({ className }).className).toBe(className);
    }
  });

  it('accepts Keras’ aliases', () => {
    expect(getInitializer('uniform').className).toBe('RandomUniform');
    expect(getInitializer('normal').className).toBe('RandomNormal');
    expect(getInitializer('OrthogonalInitializer').className).toBe('Orthogonal');
    expect(getInitializer('IdentityInitializer').className).toBe('Identity');
  });

  it('returns an Initializer unchanged', () => {
    const init = heNormal({ seed: 1 });
    expect(getInitializer(init)).toBe(init);
  });

  it('names the valid initializers when the name is unknown', () => {
    expect(() => getInitializer('kaimingNormal')).toThrow(ArgumentError);
    expect(() => getInitializer('kaimingNormal')).toThrow(
      /unknown initializer 'kaimingNormal'.*glorotUniform.*heNormal/,
    );
    expect(() => getInitializer({ className: 'Nope', config: {} })).toThrow(/Valid names: zeros, ones/);
  });

  it('rejects malformed identifiers and configs', () => {
    expect(() => getInitializer(3 as unknown as string)).toThrow(ArgumentError);
    expect(() =>
      getInitializer({ className: 'HeNormal', config: [] as unknown as Record<string, unknown> }),
    ).toThrow(/config of 'HeNormal' must be an object/);
    expect(() => getInitializer({ className: 'RandomNormal', config: { stddev: 'big' } })).toThrow(
      /stddev must be a finite number/,
    );
    expect(() => getInitializer({ className: 'RandomNormal', config: { stdev: 0.1 } })).toThrow(
      /unknown config key 'stdev' for randomNormal; known keys: mean, stddev, seed/,
    );
    expect(() => getInitializer({ className: 'Zeros', config: { value: 1 } })).toThrow(/known keys: none/);
  });
});

describe('serializeInitializer', () => {
  const seeded: Initializer[] = [
    constant({ value: 0.3 }),
    randomUniform({ minval: -2, maxval: 3, seed: 1 }),
    randomNormal({ mean: 1, stddev: 0.2, seed: 2 }),
    truncatedNormal({ mean: -1, stddev: 0.3, seed: 3 }),
    varianceScaling({ scale: 2.5, mode: 'fanAvg', distribution: 'uniform', seed: 4 }),
    glorotUniform({ seed: 5 }),
    glorotNormal({ seed: 6 }),
    heUniform({ seed: 7 }),
    heNormal({ seed: 8 }),
    lecunUniform({ seed: 9 }),
    lecunNormal({ seed: 10 }),
    orthogonal({ gain: 1.5, seed: 11 }),
    identity({ gain: 0.5 }),
  ];

  it('round-trips through JSON and getInitializer: same class, same config, same values', () => {
    for (const init of seeded) {
      const saved = serializeInitializer(init);
      expect(saved.className).toBe(init.className);
      const json = JSON.parse(JSON.stringify(saved)) as {
        className: string;
        config: Record<string, unknown>;
      };
      const back = getInitializer(json);
      expect(back).not.toBe(init);
      expect(back.className).toBe(init.className);
      expect(back.getConfig()).toEqual(init.getConfig());
      expect([...back.call([6, 4]).dataSync()], init.className).toEqual([...init.call([6, 4]).dataSync()]);
    }
  });

  it('writes Keras-style configs', () => {
    expect(serializeInitializer(heNormal({ seed: 1 }))).toEqual({
      className: 'HeNormal',
      config: { seed: 1 },
    });
    expect(serializeInitializer(getInitializer('glorot_uniform'))).toEqual({
      className: 'GlorotUniform',
      config: { seed: null },
    });
  });
});

describe('registerInitializer', () => {
  it('makes a custom initializer available by name and by config', () => {
    class Halves implements Initializer {
      readonly className = 'Halves';
      call(shape: readonly number[]) {
        return tensor(new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(0.5), shape);
      }
      getConfig() {
        return {};
      }
    }
    registerInitializer('Halves', () => new Halves());
    expect([...getInitializer('halves').call([2]).dataSync()]).toEqual([0.5, 0.5]);
    expect(getInitializer(serializeInitializer(new Halves())).className).toBe('Halves');
    expect(() => getInitializer('nothing')).toThrow(/Halves/);
  });
});
