import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { digits, digitsInfo, iris, irisInfo } from '../src/index';
import { SHARED_DATA, hasShared, list } from './helpers';

const histogram = (ys: ArrayLike<number>, k: number): number[] => {
  const c = new Array<number>(k).fill(0);
  for (let i = 0; i < ys.length; i++) c[ys[i]!]!++;
  return c;
};

describe('digits (embedded)', () => {
  it('has 1797 samples of 64 pixels in 0…16 and the class counts of the scikit-learn set', () => {
    const { xs, ys } = digits();
    expect(xs.shape).toEqual([1797, 64]);
    expect(ys.shape).toEqual([1797]);
    expect(ys.dtype).toBe('int32');
    const v = xs.dataSync();
    expect(Math.min(...v)).toBe(0);
    expect(Math.max(...v)).toBe(16);
    expect(histogram(ys.dataSync(), 10)).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
  });

  it('starts with the well-known first image, a zero', () => {
    const { xs, ys } = digits();
    // scikit-learn: load_digits().data[0]
    expect(list(xs.dataSync().subarray(0, 16))).toEqual([
      0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0,
    ]);
    expect(ys.dataSync()[0]).toBe(0);
  });

  it('images: true gives [n, 8, 8, 1]; normalize: true divides by 16', () => {
    const { xs } = digits({ images: true, normalize: true });
    expect(xs.shape).toEqual([1797, 8, 8, 1]);
    expect(xs.dataSync()[2]).toBeCloseTo(5 / 16, 7);
  });

  it.skipIf(!hasShared('small'))('equals ../shared/data/small/digits.csv.gz value for value', () => {
    const rows = gunzipSync(readFileSync(`${SHARED_DATA}/small/digits.csv.gz`))
      .toString('utf8')
      .trim()
      .split('\n');
    const { xs, ys } = digits();
    const x = xs.dataSync();
    const y = ys.dataSync();
    expect(rows).toHaveLength(1797);
    rows.forEach((line, i) => {
      const v = line.split(',').map(Number);
      expect(list(x.subarray(i * 64, i * 64 + 64))).toEqual(v.slice(0, 64));
      expect(y[i]).toBe(v[64]);
    });
  });
});

describe('iris (embedded)', () => {
  it('has 150 samples of 4 features, 50 per species, with the documented summary statistics', () => {
    const { xs, ys } = iris();
    expect(xs.shape).toEqual([150, 4]);
    expect(histogram(ys.dataSync(), 3)).toEqual([50, 50, 50]);
    const v = xs.dataSync();
    // iris.rst's summary table: min / max / mean per feature.
    const col = (j: number): number[] => Array.from({ length: 150 }, (_, i) => v[i * 4 + j]!);
    const expected = [
      [4.3, 7.9, 5.84],
      [2.0, 4.4, 3.05],
      [1.0, 6.9, 3.76],
      [0.1, 2.5, 1.2],
    ];
    expected.forEach(([min, max, mean], j) => {
      const c = col(j);
      expect(Math.min(...c)).toBeCloseTo(min!, 5);
      expect(Math.max(...c)).toBeCloseTo(max!, 5);
      expect(Math.abs(c.reduce((a, b) => a + b) / 150 - mean!)).toBeLessThan(0.01); // the table rounds to 2 places
    });
    expect(irisInfo.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
  });

  it.skipIf(!hasShared('small'))('equals ../shared/data/small/iris.csv value for value', () => {
    const rows = readFileSync(`${SHARED_DATA}/small/iris.csv`, 'utf8').trim().split('\n').slice(1);
    const { xs, ys } = iris();
    rows.forEach((line, i) => {
      const v = line.split(',').map(Number);
      expect(list(xs.dataSync().subarray(i * 4, i * 4 + 4))).toEqual(v.slice(0, 4).map(Math.fround));
      expect(ys.dataSync()[i]).toBe(v[4]);
    });
  });
});

describe('licence and description files ship with the package', () => {
  it('assets/ holds the BSD-3 notice and both descriptions, and package.json publishes them', () => {
    const root = new URL('..', import.meta.url);
    for (const f of ['LICENSE-scikit-learn', 'digits.rst', 'iris.rst']) {
      expect(existsSync(new URL(`assets/${f}`, root))).toBe(true);
    }
    expect(readFileSync(new URL('assets/LICENSE-scikit-learn', root), 'utf8')).toMatch(/BSD-3-Clause/);
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('assets');
    expect(digitsInfo.license).toMatch(/BSD-3-Clause/);
  });
});
