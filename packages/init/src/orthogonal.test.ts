import { ShapeError, randomNormal } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import { Orthogonal, orthogonal } from './orthogonal';
import { expectMoments } from './testing/stats';

/** aᵀ·a for a row-major rows×cols matrix (columns' inner products). */
function gram(a: ArrayLike<number>, rows: number, cols: number, byRows = false): number[][] {
  const n = byRows ? rows : cols;
  const at = (i: number, j: number): number => a[i * cols + j]!;
  const g: number[][] = [];
  for (let p = 0; p < n; p++) {
    g.push([]);
    for (let q = 0; q < n; q++) {
      let s = 0;
      if (byRows) for (let j = 0; j < cols; j++) s += at(p, j) * at(q, j);
      else for (let i = 0; i < rows; i++) s += at(i, p) * at(i, q);
      g[p]!.push(s);
    }
  }
  return g;
}

function expectScaledIdentity(g: number[][], scale: number, tol: number): void {
  for (let i = 0; i < g.length; i++)
    for (let j = 0; j < g.length; j++)
      expect(Math.abs(g[i]![j]! - (i === j ? scale : 0)), `G[${i}][${j}]`).toBeLessThan(tol);
}

/** Independent reference: modified Gram–Schmidt on the columns of a tall m×n matrix (R gets a positive diagonal). */
function gramSchmidt(a: ArrayLike<number>, m: number, n: number): Float64Array {
  const q = Float64Array.from(a);
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < m; i++) dot += q[i * n + k]! * q[i * n + j]!;
      for (let i = 0; i < m; i++) q[i * n + j] = q[i * n + j]! - dot * q[i * n + k]!;
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += q[i * n + j]! ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < m; i++) q[i * n + j] = q[i * n + j]! / norm;
  }
  return q;
}

describe('orthogonal', () => {
  it('makes a square matrix with WᵀW = WWᵀ = I', () => {
    const w = orthogonal({ seed: 1 }).call([8, 8]).dataSync();
    expectScaledIdentity(gram(w, 8, 8), 1, 1e-5);
    expectScaledIdentity(gram(w, 8, 8, true), 1, 1e-5);
  });

  it('gives a tall matrix orthonormal columns and a wide one orthonormal rows', () => {
    expectScaledIdentity(gram(orthogonal({ seed: 2 }).call([20, 5], 'float64').dataSync(), 20, 5), 1, 1e-12);
    expectScaledIdentity(
      gram(orthogonal({ seed: 3 }).call([5, 20], 'float64').dataSync(), 5, 20, true),
      1,
      1e-12,
    );
  });

  it('flattens a conv kernel to (product of leading dims) × (output channels)', () => {
    const w = orthogonal({ seed: 4 }).call([3, 3, 4, 8], 'float64');
    expect(w.shape).toEqual([3, 3, 4, 8]);
    expectScaledIdentity(gram(w.dataSync(), 36, 8), 1, 1e-12);
  });

  it('scales by gain: WᵀW = gain²·I', () => {
    expectScaledIdentity(gram(orthogonal({ gain: 2, seed: 5 }).call([6, 6]).dataSync(), 6, 6), 4, 1e-5);
  });

  it('is the sign-corrected Q of a QR of the normal matrix Keras draws (checked against Gram–Schmidt)', () => {
    // Tall: the [12, 4] normal matrix itself. Wide: a [12, 4] matrix, factored, then transposed to [4, 12].
    const tall = gramSchmidt(randomNormal([12, 4], { seed: 6, dtype: 'float64' }).dataSync(), 12, 4);
    const wTall = orthogonal({ seed: 6 }).call([12, 4], 'float64').dataSync();
    for (let i = 0; i < tall.length; i++) expect(wTall[i]).toBeCloseTo(tall[i]!, 10);
    const wWide = orthogonal({ seed: 6 }).call([4, 12], 'float64').dataSync();
    for (let r = 0; r < 4; r++)
      for (let c = 0; c < 12; c++) expect(wWide[r * 12 + c]).toBeCloseTo(tall[c * 4 + r]!, 10);
  });

  it('is unbiased in sign: W[0][0] averages to 0 over many seeds (what the sign correction buys)', () => {
    let sum = 0;
    let sq = 0;
    const trials = 2000;
    for (let s = 0; s < trials; s++) {
      const x = orthogonal({ seed: 1000 + s })
        .call([4, 4], 'float64')
        .dataSync()[0]!;
      sum += x;
      sq += x * x;
    }
    expect(Math.abs(sum / trials)).toBeLessThan(0.06); // σ = 1/2 (Haar: E[w²] = 1/n), 5σ/√2000 ≈ 0.056
    expect(sq / trials).toBeCloseTo(0.25, 1);
  });

  // A semi-orthogonal rows×cols matrix has min(rows, cols) orthonormal rows or columns, so the mean square of
  // its entries is gain²·min/(rows·cols) = gain²/max(rows, cols) exactly; the sign-corrected (Haar) matrix has
  // mean-zero entries, each close to normal for large sizes (Keras' orthogonal, and what variance scaling
  // approximates with i.i.d. draws).
  it.each([
    ['tall', [400, 250], 1],
    ['wide', [250, 400], 1],
    ['conv kernel (HWIO, flattened to 576 × 200)', [3, 3, 64, 200], 1.5],
  ] as const)(
    '%s %j with gain %d: ≥ 1e5 entries of mean 0 and variance gain²/max(rows, cols)',
    (_, shape, gain) => {
      const cols = shape[shape.length - 1]!;
      const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
      const w = orthogonal({ gain, seed: 11 }).call(shape, 'float64').dataSync();
      // The variance is fixed by orthogonality up to the tiny squared sample mean, hence a tight tolerance.
      const m = expectMoments(w, { mean: 0, variance: gain ** 2 / Math.max(rows, cols) }, 1e-3);
      let fourth = 0;
      for (let i = 0; i < w.length; i++) fourth += (w[i]! - m.mean) ** 4;
      // Kurtosis 3 as for a normal (its standard error is √(24/n) ≈ 0.015 here): not, say, entries of ±1/√max.
      expect(Math.abs(fourth / w.length / m.variance ** 2 - 3)).toBeLessThan(0.1);
    },
  );

  it('repeats its values for a fixed seed', () => {
    const a = [...orthogonal({ seed: 8 }).call([5, 3]).dataSync()];
    expect([...orthogonal({ seed: 8 }).call([5, 3]).dataSync()]).toEqual(a);
    expect([...orthogonal({ seed: 9 }).call([5, 3]).dataSync()]).not.toEqual(a);
  });

  it('refuses shapes of rank < 2 and reports { gain, seed }', () => {
    expect(() => orthogonal().call([5])).toThrow(ShapeError);
    expect(new Orthogonal({ gain: 0.5, seed: 2 }).getConfig()).toEqual({ gain: 0.5, seed: 2 });
    expect(new Orthogonal().className).toBe('Orthogonal');
  });
});
