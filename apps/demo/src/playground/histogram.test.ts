import { describe, expect, it } from 'vitest';
import { histogram } from './histogram';

describe('histogram', () => {
  it('counts every finite value once, in the bin its value falls in', () => {
    const h = histogram([0, 0.1, 0.5, 0.99, 1], 4);
    expect(h.lo).toBe(0);
    expect(h.hi).toBe(1);
    // Bins of width 0.25: [0, .25) holds 0 and 0.1; [.5, .75) holds 0.5; the last bin is closed and holds 0.99, 1.
    expect(h.counts).toEqual([2, 0, 1, 2]);
    expect(h.total).toBe(5);
  });

  it('sets non-finite values aside instead of breaking the range', () => {
    const h = histogram([1, NaN, Infinity, -Infinity, 3], 2);
    expect(h.nonFinite).toBe(3);
    expect(h.counts).toEqual([1, 1]);
    expect([h.lo, h.hi]).toEqual([1, 3]);
  });

  it('centres a symmetric range on zero', () => {
    const h = histogram([-0.5, 2], 4, { symmetric: true });
    expect([h.lo, h.hi]).toEqual([-2, 2]);
    expect(h.counts).toEqual([0, 1, 0, 1]);
  });

  it('gives a constant input a narrow range around it, and an empty one no range', () => {
    const c = histogram([3, 3, 3], 5);
    expect(c.lo).toBeLessThan(3);
    expect(c.hi).toBeGreaterThan(3);
    expect(c.counts.reduce((a, b) => a + b, 0)).toBe(3);
    expect(histogram([], 5).total).toBe(0);
  });
});
