import { ArgumentError } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import type { Initializer } from './initializer';
import { expectMoments } from './testing/stats';
import {
  GlorotUniform,
  VarianceScaling,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  lecunNormal,
  lecunUniform,
  varianceScaling,
} from './variance-scaling';

const DENSE = [400, 250]; // 100 000 weights: fanIn 400, fanOut 250
const CONV = [3, 3, 40, 300]; // 108 000 weights: fanIn 3·3·40 = 360, fanOut 3·3·300 = 2700

interface Case {
  name: string;
  init: Initializer;
  shape: number[];
  variance: number;
  /** Largest |w| the distribution allows: √(3·var) for uniform, 2σ of the untruncated normal for truncated. */
  bound?: number;
}

// Each expected variance is written from the published formula, not from the implementation's code path.
const truncBound = (variance: number): number => (2 * Math.sqrt(variance)) / 0.87962566103423978;
const cases: Case[] = [
  {
    name: 'glorotUniform: U(±√(6/(in+out)))',
    init: glorotUniform({ seed: 1 }),
    shape: DENSE,
    variance: 2 / 650,
    bound: Math.sqrt(6 / 650),
  },
  {
    name: 'glorotNormal: var 2/(in+out)',
    init: glorotNormal({ seed: 2 }),
    shape: DENSE,
    variance: 2 / 650,
    bound: truncBound(2 / 650),
  },
  {
    name: 'heUniform on a conv kernel: U(±√(6/fanIn))',
    init: heUniform({ seed: 3 }),
    shape: CONV,
    variance: 2 / 360,
    bound: Math.sqrt(6 / 360),
  },
  {
    name: 'heNormal on a conv kernel: var 2/fanIn',
    init: heNormal({ seed: 4 }),
    shape: CONV,
    variance: 2 / 360,
    bound: truncBound(2 / 360),
  },
  {
    name: 'lecunUniform: U(±√(3/fanIn))',
    init: lecunUniform({ seed: 5 }),
    shape: DENSE,
    variance: 1 / 400,
    bound: Math.sqrt(3 / 400),
  },
  {
    name: 'lecunNormal: var 1/fanIn',
    init: lecunNormal({ seed: 6 }),
    shape: DENSE,
    variance: 1 / 400,
    bound: truncBound(1 / 400),
  },
  {
    name: 'varianceScaling fanOut untruncated normal: var scale/fanOut',
    init: varianceScaling({ scale: 3, mode: 'fanOut', distribution: 'untruncatedNormal', seed: 7 }),
    shape: CONV,
    variance: 3 / 2700,
  },
  {
    name: 'varianceScaling fanAvg uniform on a conv kernel',
    init: varianceScaling({ scale: 0.5, mode: 'fanAvg', distribution: 'uniform', seed: 8 }),
    shape: CONV,
    variance: 0.5 / ((360 + 2700) / 2),
    bound: Math.sqrt((3 * 0.5) / 1530),
  },
];

describe('variance scaling (sample statistics of ≥ 1e5 draws)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const w = c.init.call(c.shape);
      expect(w.shape).toEqual(c.shape);
      const m = expectMoments(w.dataSync(), { mean: 0, variance: c.variance });
      if (c.bound !== undefined) {
        // float32 rounding can touch the bound itself, hence the 1e-6 slack.
        expect(Math.max(-m.min, m.max)).toBeLessThanOrEqual(c.bound * (1 + 1e-6));
        expect(Math.max(-m.min, m.max)).toBeGreaterThan(c.bound * 0.99); // and reaches it
      }
    });
  }

  it('leaves the tails untruncated for untruncatedNormal', () => {
    const v = varianceScaling({ distribution: 'untruncatedNormal', seed: 9 }).call([100, 1000]).dataSync();
    const sd = Math.sqrt(1 / 100);
    const beyond = v.filter((x) => Math.abs(x) > 2 * sd).length / v.length;
    expect(beyond).toBeGreaterThan(0.04); // 4.55 % of a normal lies beyond 2σ
    expect(beyond).toBeLessThan(0.05);
  });

  it('divides by max(1, fan) so an empty fan cannot blow up the scale', () => {
    const v = varianceScaling({ scale: 4, distribution: 'uniform', seed: 1 }).call([0, 5]);
    expect(v.shape).toEqual([0, 5]);
  });
});

describe('VarianceScaling options', () => {
  it('defaults to Keras’ scale 1, fanIn, truncatedNormal', () => {
    expect(new VarianceScaling().getConfig()).toEqual({
      scale: 1,
      mode: 'fanIn',
      distribution: 'truncatedNormal',
      seed: null,
    });
  });

  it('accepts Keras spellings, mapping "normal" to the truncated normal as Keras does', () => {
    const vs = new VarianceScaling({
      mode: 'fan_avg' as 'fanAvg',
      distribution: 'normal' as 'truncatedNormal',
    });
    expect(vs.mode).toBe('fanAvg');
    expect(vs.distribution).toBe('truncatedNormal');
  });

  it('rejects a scale ≤ 0 and unknown modes or distributions, naming the valid ones', () => {
    expect(() => varianceScaling({ scale: 0 })).toThrow(ArgumentError);
    expect(() => varianceScaling({ mode: 'fanMax' as 'fanIn' })).toThrow(
      /expected one of fanIn, fanOut, fanAvg/,
    );
    expect(() => varianceScaling({ distribution: 'gamma' as 'uniform' })).toThrow(
      /unknown distribution 'gamma'/,
    );
  });

  it('gives the named variants their Keras class names and a seed-only config', () => {
    const names = [glorotUniform, glorotNormal, heUniform, heNormal, lecunUniform, lecunNormal].map(
      (f) => f({ seed: 5 }).className,
    );
    expect(names).toEqual([
      'GlorotUniform',
      'GlorotNormal',
      'HeUniform',
      'HeNormal',
      'LecunUniform',
      'LecunNormal',
    ]);
    expect(new GlorotUniform({ seed: 5 }).getConfig()).toEqual({ seed: 5 });
    expect(new GlorotUniform().getConfig()).toEqual({ seed: null });
    expect(new GlorotUniform()).toBeInstanceOf(VarianceScaling);
  });

  it('repeats its values for a fixed seed and not across seeds', () => {
    const a = [...heNormal({ seed: 11 }).call([30, 30]).dataSync()];
    expect([...heNormal({ seed: 11 }).call([30, 30]).dataSync()]).toEqual(a);
    expect([...heNormal({ seed: 12 }).call([30, 30]).dataSync()]).not.toEqual(a);
  });
});
