import type { Tensor } from '@backprop/core-tensor';
import { ArgumentError, ShapeError, tensor, transpose } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import { binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy } from './crossentropy';
import { F32, F64, expectClose, expectFinite, f32, f64, gradOf, matrix, rng, values } from './testing';

// References, written from the textbook formulas with plain numbers.
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const clip = (x: number, lo: number, hi: number): number => Math.min(Math.max(x, lo), hi);
const EPS = 1e-7;
const rowMean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const flat = (m: number[][]): number[] => m.flat();

function bceLogitsRef(t: number[][], x: number[][]): number[] {
  // −[y log σ(x) + (1 − y) log(1 − σ(x))] for moderate x, where the naive formula is accurate.
  return t.map((row, i) =>
    rowMean(
      row.map((z, j) => -(z * Math.log(sigmoid(x[i]![j]!)) + (1 - z) * Math.log(1 - sigmoid(x[i]![j]!)))),
    ),
  );
}

function bceProbRef(t: number[][], p: number[][], lo = EPS, hi = 1 - EPS): number[] {
  return t.map((row, i) =>
    rowMean(
      row.map((z, j) => {
        const q = clip(p[i]![j]!, lo, hi);
        return -(z * Math.log(q) + (1 - z) * Math.log(1 - q));
      }),
    ),
  );
}

function softmaxRow(x: number[]): number[] {
  const m = Math.max(...x);
  const e = x.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

function cceLogitsRef(t: number[][], x: number[][]): number[] {
  return t.map((row, i) => {
    const s = softmaxRow(x[i]!);
    return -row.reduce((acc, z, j) => acc + z * Math.log(s[j]!), 0);
  });
}

function cceProbRef(t: number[][], p: number[][]): number[] {
  return t.map((row, i) => {
    const sum = p[i]!.reduce((a, b) => a + b, 0);
    return -row.reduce((acc, z, j) => acc + z * Math.log(clip(p[i]![j]! / sum, EPS, 1 - EPS)), 0);
  });
}

/** d/dp of mean over rows of −Σ y log clip(p/Σp): zero through active clips, then the quotient rule. */
function cceProbGradRef(t: number[][], p: number[][]): number[] {
  return t.flatMap((row, i) => {
    const pr = p[i]!;
    const s = pr.reduce((a, b) => a + b, 0);
    const g = row.map((z, j) => {
      const q = pr[j]! / s;
      return q > EPS && q < 1 - EPS ? -z / q : 0;
    });
    const dot = g.reduce((acc, gj, j) => acc + gj * pr[j]!, 0);
    return g.map((gk) => (gk / s - dot / (s * s)) / t.length);
  });
}

const next = rng(11);
const X = matrix(next, 4, 3, -4, 4);
const Z = matrix(next, 4, 3, 0, 1).map((r) => r.map((v) => (v > 0.5 ? 1 : 0)));
const PROB = matrix(next, 4, 3, 0.02, 0.98);
const ONE_HOT = [
  [1, 0, 0],
  [0, 0, 1],
  [0, 1, 0],
  [0, 0, 1],
];
const LABELS = [0, 2, 1, 2];

describe('binaryCrossentropy from logits', () => {
  const loss = (p: Tensor): Tensor => binaryCrossentropy(f64(Z), p, { fromLogits: true });

  it('matches −[y log σ(x) + (1 − y) log(1 − σ(x))] per sample', () => {
    const out = binaryCrossentropy(f64(Z), f64(X), { fromLogits: true, reduction: 'none' });
    expectClose(values(out), bceLogitsRef(Z, X), F64);
  });

  it('has gradient (σ(x) − y) / (N·D)', () => {
    const expected = flat(X).map((x, k) => (sigmoid(x) - flat(Z)[k]!) / 12);
    expectClose(gradOf(loss, f64(X)), expected, F64);
  });

  it('has gradient ½ − y at x = 0 exactly (not the 1 − y that abs/max subgradients would give)', () => {
    const g = gradOf(
      (p) => binaryCrossentropy([[0], [1]], p, { fromLogits: true, reduction: 'sum' }),
      f64([[0], [0]]),
    );
    expectClose(g, [0.5, -0.5], F64);
  });

  it.each(['float32', 'float64'] as const)('is finite with the right value at logits ±1e4 (%s)', (dtype) => {
    const yTrue = [[0, 1, 1, 0, 1]];
    const yPred = tensor([[1e4, -1e4, 1e4, -1e4, 0]], undefined, dtype);
    const out = binaryCrossentropy(yTrue, yPred, { fromLogits: true, reduction: 'none' });
    expectClose(values(out), [(1e4 + 1e4 + 0 + 0 + Math.LN2) / 5], dtype === 'float32' ? F32 : F64);
    const g = gradOf((p) => binaryCrossentropy(yTrue, p, { fromLogits: true }), yPred);
    expectClose(
      g,
      [1, -1, 0, 0, -0.5].map((v) => v / 5),
      dtype === 'float32' ? F32 : F64,
    );
  });
});

describe('binaryCrossentropy from probabilities', () => {
  it('matches the clipped formula per sample', () => {
    const out = binaryCrossentropy(f64(Z), f64(PROB), { reduction: 'none' });
    expectClose(values(out), bceProbRef(Z, PROB), F64);
  });

  it('has gradient (−y/p + (1 − y)/(1 − p)) / (N·D) inside the clip range', () => {
    const expected = flat(PROB).map((p, k) => (-flat(Z)[k]! / p + (1 - flat(Z)[k]!) / (1 - p)) / 12);
    expectClose(
      gradOf((p) => binaryCrossentropy(f64(Z), p), f64(PROB)),
      expected,
      { rtol: 1e-9 },
    );
  });

  it.each(['float32', 'float64'] as const)('is finite for probabilities of exactly 0 and 1 (%s)', (dtype) => {
    const yTrue = [[0, 0, 1, 1]];
    const yPred = tensor([[0, 1, 0, 1]], undefined, dtype);
    const out = binaryCrossentropy(yTrue, yPred, { reduction: 'none' });
    // float32 stores the clip bounds rounded, as Keras' float32 does; the reference uses the same bounds.
    const [lo, hi] = dtype === 'float32' ? [Math.fround(EPS), Math.fround(1 - EPS)] : [EPS, 1 - EPS];
    expectClose(values(out), bceProbRef(yTrue, [[0, 1, 0, 1]], lo, hi), dtype === 'float32' ? F32 : F64);
    expect(values(out)[0]).toBeGreaterThan(7);
    // Clipped predictions get no gradient (Keras' behaviour); what matters is that it is not NaN.
    expectClose(
      gradOf((p) => binaryCrossentropy(yTrue, p), yPred),
      [0, 0, 0, 0],
      { rtol: 0, atol: 0 },
    );
  });

  it('smooths labels to y(1 − s) + s/2', () => {
    const s = 0.2;
    const smoothed = Z.map((r) => r.map((z) => z * (1 - s) + s / 2));
    const out = binaryCrossentropy(f64(Z), f64(PROB), { reduction: 'none', labelSmoothing: s });
    expectClose(values(out), bceProbRef(smoothed, PROB), F64);
  });

  it('rejects label smoothing outside [0, 1]', () => {
    expect(() => binaryCrossentropy([[1]], f64([[0.5]]), { labelSmoothing: 1.5 })).toThrow(ArgumentError);
  });
});

describe('categoricalCrossentropy', () => {
  it('from logits matches −Σ y log softmax(x), with gradient (softmax(x) − y) / N', () => {
    const out = categoricalCrossentropy(f64(ONE_HOT), f64(X), { fromLogits: true, reduction: 'none' });
    expectClose(values(out), cceLogitsRef(ONE_HOT, X), F64);
    const expected = X.flatMap((row, i) => softmaxRow(row).map((s, j) => (s - ONE_HOT[i]![j]!) / 4));
    const g = gradOf((p) => categoricalCrossentropy(f64(ONE_HOT), p, { fromLogits: true }), f64(X));
    expectClose(g, expected, F64);
  });

  it('from probabilities normalizes by Σp, clips, and differentiates through both', () => {
    const out = categoricalCrossentropy(f64(ONE_HOT), f64(PROB), { reduction: 'none' });
    expectClose(values(out), cceProbRef(ONE_HOT, PROB), F64);
    const g = gradOf((p) => categoricalCrossentropy(f64(ONE_HOT), p), f64(PROB));
    expectClose(g, cceProbGradRef(ONE_HOT, PROB), F64);
  });

  it.each(['float32', 'float64'] as const)('is finite at logits ±1e4 and probabilities 0/1 (%s)', (dtype) => {
    const yTrue = [
      [0, 1, 0],
      [1, 0, 0],
    ];
    const logits = tensor(
      [
        [1e4, -1e4, 0],
        [-1e4, 1e4, 0],
      ],
      undefined,
      dtype,
    );
    const out = categoricalCrossentropy(yTrue, logits, { fromLogits: true, reduction: 'none' });
    expectClose(values(out), [2e4, 2e4], F64);
    const g = gradOf((p) => categoricalCrossentropy(yTrue, p, { fromLogits: true }), logits);
    expectClose(
      g,
      [1, -1, 0, -1, 1, 0].map((v) => v / 2),
      F64,
    );

    const probs = tensor(
      [
        [1, 0, 0],
        [0, 1, 0],
      ],
      undefined,
      dtype,
    );
    const lossP = categoricalCrossentropy(yTrue, probs, { reduction: 'none' });
    expectFinite(values(lossP), 'loss');
    expect(values(lossP)[0]).toBeGreaterThan(15);
    expectFinite(
      gradOf((p) => categoricalCrossentropy(yTrue, p), probs),
      'grad',
    );
  });

  it('smooths one-hot labels to y(1 − s) + s/C', () => {
    const s = 0.3;
    const smoothed = ONE_HOT.map((r) => r.map((z) => z * (1 - s) + s / 3));
    const out = categoricalCrossentropy(f64(ONE_HOT), f64(X), {
      fromLogits: true,
      labelSmoothing: s,
      reduction: 'none',
    });
    expectClose(values(out), cceLogitsRef(smoothed, X), F64);
  });

  it('takes the class axis from `axis`', () => {
    const out = categoricalCrossentropy(transpose(f64(ONE_HOT)), transpose(f64(X)), {
      fromLogits: true,
      axis: 0,
      reduction: 'none',
    });
    expectClose(values(out), cceLogitsRef(ONE_HOT, X), F64);
  });
});

describe('sparseCategoricalCrossentropy', () => {
  it('equals categorical cross-entropy of the one-hot labels, from logits and from probabilities', () => {
    for (const fromLogits of [true, false]) {
      const yPred = f64(fromLogits ? X : PROB);
      const out = sparseCategoricalCrossentropy(LABELS, yPred, { fromLogits, reduction: 'none' });
      const ref = fromLogits ? cceLogitsRef(ONE_HOT, X) : cceProbRef(ONE_HOT, PROB);
      expectClose(values(out), ref, F64);
      const g = gradOf((p) => sparseCategoricalCrossentropy(LABELS, p, { fromLogits }), yPred);
      const gRef = gradOf((p) => categoricalCrossentropy(f64(ONE_HOT), p, { fromLogits }), yPred);
      expectClose(g, gRef, F64);
    }
  });

  it('accepts labels shaped [N, 1], as int32, and a class axis other than the last', () => {
    const ref = cceLogitsRef(ONE_HOT, X);
    const column = tensor(
      LABELS.map((l) => [l]),
      undefined,
      'int32',
    );
    expectClose(
      values(sparseCategoricalCrossentropy(column, f64(X), { fromLogits: true, reduction: 'none' })),
      ref,
      F64,
    );
    const byAxis0 = sparseCategoricalCrossentropy(LABELS, transpose(f64(X)), {
      fromLogits: true,
      axis: 0,
      reduction: 'none',
    });
    expectClose(values(byAxis0), ref, F64);
  });

  it('is finite at logits ±1e4 in float32', () => {
    const logits = f32([[1e4, -1e4, 0]]);
    expectClose(values(sparseCategoricalCrossentropy([1], logits, { fromLogits: true })), [2e4], F32);
    expectFinite(
      gradOf((p) => sparseCategoricalCrossentropy([1], p, { fromLogits: true }), logits),
      'grad',
    );
  });

  it('names the loss and the bad label when a label is out of range', () => {
    expect(() =>
      sparseCategoricalCrossentropy(
        [0, 3],
        f32([
          [0.5, 0.2, 0.3],
          [0.1, 0.1, 0.8],
        ]),
      ),
    ).toThrow(
      /sparseCategoricalCrossentropy: label 3 at position 1 is out of range \[0, 3\) for yPred of shape \[2,3\]/,
    );
    expect(() => sparseCategoricalCrossentropy([-1], f32([[0.5, 0.5]]))).toThrow(ArgumentError);
  });

  it('rejects non-integer labels', () => {
    expect(() => sparseCategoricalCrossentropy([1.5], f32([[0.2, 0.3, 0.5]]))).toThrow(
      /sparseCategoricalCrossentropy: label 1.5 at position 0 is not an integer/,
    );
  });

  it('rejects labels whose shape does not match yPred without its class axis', () => {
    expect(() => sparseCategoricalCrossentropy(ONE_HOT, f64(X))).toThrow(ShapeError);
    expect(() => sparseCategoricalCrossentropy([0, 1], f64(X))).toThrow(
      /sparseCategoricalCrossentropy: yTrue has shape \[2\] but yPred \[4,3\] needs class indices of shape \[4\]/,
    );
  });
});

describe('cross-entropy against values from the Keras documentation', () => {
  it('binary: 0.815 from probabilities, 0.865 from logits', () => {
    const yPred = tensor([
      [0.6, 0.4],
      [0.4, 0.6],
    ]);
    expect(
      binaryCrossentropy(
        [
          [0, 1],
          [0, 0],
        ],
        yPred,
      ).item(),
    ).toBeCloseTo(0.81492, 4);
    const logits = tensor([-18.6, 0.51, 2.94, -12.8]);
    expect(binaryCrossentropy([0, 1, 0, 0], logits, { fromLogits: true }).item()).toBeCloseTo(0.86545, 4);
  });

  it('categorical and sparse categorical: 1.177', () => {
    const yPred = tensor([
      [0.05, 0.95, 0],
      [0.1, 0.8, 0.1],
    ]);
    expect(
      categoricalCrossentropy(
        [
          [0, 1, 0],
          [0, 0, 1],
        ],
        yPred,
      ).item(),
    ).toBeCloseTo(1.17694, 4);
    expect(sparseCategoricalCrossentropy([1, 2], yPred).item()).toBeCloseTo(1.17694, 4);
  });
});
