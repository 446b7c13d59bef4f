import { describe, expect, it } from 'vitest';
import type { DType, FusedActivation, Tensor } from '../index';
import * as bp from '../index';
import { ArgumentError, DTypeError, ShapeError, fused, getBackend, tensor } from '../index';
import { describeBackends, expectClose, randomInts, randomValues, rng } from '../testing/assert';

const ACT: Record<FusedActivation, (x: number) => number> = {
  linear: (x) => x,
  relu: (x) => Math.max(x, 0),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: Math.tanh,
};

/** act(a·b + bias) in float64, with Σ|a||b| per element for the float32 accumulation bound. */
function refDense(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  bias: ArrayLike<number> | null,
  M: number,
  K: number,
  N: number,
  act: FusedActivation,
) {
  const out: number[] = [];
  const mag: number[] = [];
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = bias ? bias[j]! : 0;
      let m = bias ? Math.abs(bias[j]!) : 0;
      for (let p = 0; p < K; p++) {
        s += a[i * K + p]! * b[p * N + j]!;
        m += Math.abs(a[i * K + p]! * b[p * N + j]!);
      }
      out.push(ACT[act](s));
      mag.push(m);
    }
  }
  return { out, mag };
}

/** −Σ t·log softmax(x) per row in float64. */
function refXent(x: ArrayLike<number>, t: ArrayLike<number>, rows: number, len: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    const row = Array.from({ length: len }, (_, j) => x[r * len + j]!);
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
    out.push(row.reduce((s, v, j) => s - t[r * len + j]! * (v - lse), 0));
  }
  return out;
}

/** Runs `f` with the backend's fused kernels hidden, so the ops take their composed path on the same backend. */
function composed<T>(f: () => T): T {
  const b = getBackend() as { fused?: unknown };
  const saved = b.fused;
  Object.defineProperty(b, 'fused', { value: undefined, configurable: true, writable: true });
  try {
    return f();
  } finally {
    Object.defineProperty(b, 'fused', { value: saved, configurable: true, writable: true });
  }
}

const arr = (t: Tensor): number[] => Array.from(t.dataSync());

describeBackends('fused ops', (backend) => {
  describe.each(['float32', 'float64'] as const)('%s', (dtype: DType) => {
    const eps = dtype === 'float32' ? 2 ** -24 : 2 ** -53;

    it.each(['linear', 'relu', 'sigmoid', 'tanh'] as const)(
      'matMul + bias + %s matches a float64 reference and the composed ops',
      (activation) => {
        const next = rng(7);
        for (const [M, K, N, withBias] of [
          [7, 5, 11, true],
          [16, 33, 8, true],
          [3, 4, 5, false],
          [1, 1, 1, true],
        ] as const) {
          const a = tensor(randomValues(next, M * K, -2, 2), [M, K], dtype);
          const b = tensor(randomValues(next, K * N, -2, 2), [K, N], dtype);
          const bias = withBias ? tensor(randomValues(next, N, -1, 1), [N], dtype) : null;
          const y = fused.matMul({ a, b, bias, activation });
          expect(y.shape).toEqual([M, N]);
          expect(y.dtype).toBe(dtype);
          const ref = refDense(a.dataSync(), b.dataSync(), bias?.dataSync() ?? null, M, K, N, activation);
          // Accumulation error ≤ (K + 2)·eps·Σ|a||b|; the activations are 1-Lipschitz.
          const got = y.dataSync();
          for (let i = 0; i < ref.out.length; i++) {
            expect(Math.abs(got[i]! - ref.out[i]!), `${M}×${K}×${N} [${i}]`).toBeLessThanOrEqual(
              (K + 2) * eps * ref.mag[i]! + 4 * eps * Math.abs(ref.out[i]!) + 1e-30,
            );
          }
          const plain = composed(() => fused.matMul({ a, b, bias, activation }));
          // The fused kernel runs the same float operations as the composed ops: same bits.
          expect(arr(y), `${backend} fused = composed`).toEqual(arr(plain));
        }
      },
    );

    it('softmaxCrossEntropy matches −Σ t·log softmax(x) in float64 and the composed ops, for extreme logits', () => {
      const next = rng(11);
      for (const [rows, len] of [
        [5, 10],
        [3, 7],
        [1, 1],
        [4, 3],
      ] as const) {
        const xs = randomValues(next, rows * len, -20, 20);
        if (len > 2) [xs[0], xs[1]] = [1e4, -1e4];
        const raw = randomValues(next, rows * len, 0, 1);
        const t = raw.map(
          (v, i) => v / raw.slice(i - (i % len), i - (i % len) + len).reduce((s, u) => s + u, 0),
        );
        const x = tensor(xs, [rows, len], dtype);
        const labels = tensor(t, [rows, len], dtype);
        const loss = fused.softmaxCrossEntropy(labels, x);
        expect(loss.shape).toEqual([rows]);
        const ref = refXent(x.dataSync(), labels.dataSync(), rows, len);
        expectClose(
          loss.dataSync(),
          ref,
          dtype === 'float32' ? { rtol: 1e-5, atol: 1e-3 } : { rtol: 1e-12, atol: 1e-9 },
        );
        expect(arr(loss)).toEqual(arr(composed(() => fused.softmaxCrossEntropy(labels, x))));
      }
    });

    it('sparseSoftmaxCrossEntropy picks each row’s log-probability, and a −Inf logit elsewhere stays finite', () => {
      const next = rng(13);
      const [B, T, C] = [3, 4, 6];
      const x = tensor(randomValues(next, B * T * C, -5, 5), [B, T, C], dtype);
      const ids = randomInts(next, B * T, 0, C);
      const labels = tensor(ids, [B, T], 'int32');
      const loss = fused.sparseSoftmaxCrossEntropy(labels, x);
      expect(loss.shape).toEqual([B, T]);
      const onehot = ids.flatMap((l) => Array.from({ length: C }, (_, j) => (j === l ? 1 : 0)));
      const tol = dtype === 'float32' ? { rtol: 1e-5, atol: 1e-6 } : { rtol: 1e-12, atol: 1e-12 };
      expectClose(loss.dataSync(), refXent(x.dataSync(), onehot, B * T, C), tol);
      expect(arr(loss)).toEqual(arr(composed(() => fused.sparseSoftmaxCrossEntropy(labels, x))));
      const withInf = tensor([[-Infinity, 0, 1]], [1, 3], dtype);
      const l = fused.sparseSoftmaxCrossEntropy(tensor([2], [1], 'int32'), withInf);
      expectClose(l.dataSync(), [Math.log(1 + Math.E) - 1], tol);
    });

    it('sgdUpdate equals the composed SGD formulas bit for bit, with and without (Nesterov) momentum', () => {
      const next = rng(17);
      const n = 23;
      const w = tensor(randomValues(next, n), [n], dtype);
      const g = tensor(randomValues(next, n), [n], dtype);
      const v = tensor(randomValues(next, n, -0.1, 0.1), [n], dtype);
      for (const [momentum, nesterov] of [
        [0, false],
        [0.9, false],
        [0.9, true],
      ] as const) {
        const [nw, nv] = fused.sgdUpdate(w, g, v, { learningRate: 0.01, momentum, nesterov });
        const [cw, cv] = composed(() => fused.sgdUpdate(w, g, v, { learningRate: 0.01, momentum, nesterov }));
        expect(arr(nw)).toEqual(arr(cw));
        expect(nv && arr(nv)).toEqual(cv && arr(cv));
        // The formulas themselves, in float64.
        const wv = w.dataSync();
        const gv = g.dataSync();
        const vv = v.dataSync();
        const ref = Array.from(wv, (x, i) => {
          if (momentum === 0) return x - 0.01 * gv[i]!;
          const vel = momentum * vv[i]! - 0.01 * gv[i]!;
          return nesterov ? x + momentum * vel - 0.01 * gv[i]! : x + vel;
        });
        expectClose(nw.dataSync(), ref, { rtol: 1e-5, atol: 1e-7 });
      }
    });

    it('adamUpdate equals the composed Adam formulas bit for bit', () => {
      const next = rng(19);
      const n = 37;
      const w = tensor(randomValues(next, n), [n], dtype);
      const g = tensor(randomValues(next, n), [n], dtype);
      const m = tensor(randomValues(next, n, -0.1, 0.1), [n], dtype);
      const v = tensor(randomValues(next, n, 0, 0.01), [n], dtype);
      const opts = {
        alpha: (1e-3 * Math.sqrt(1 - 0.999 ** 3)) / (1 - 0.9 ** 3),
        beta1: 0.9,
        beta2: 0.999,
        epsilon: 1e-7,
      };
      const out = fused.adamUpdate(w, g, m, v, opts);
      const ref = composed(() => fused.adamUpdate(w, g, m, v, opts));
      for (let i = 0; i < 3; i++) expect(arr(out[i]!)).toEqual(arr(ref[i]!));
      const [gv, mv, vv, wv] = [g, m, v, w].map((t) => t.dataSync());
      const nm = Array.from(mv!, (x, i) => x + (gv![i]! - x) * 0.1);
      const nvv = Array.from(vv!, (x, i) => x + (gv![i]! ** 2 - x) * 0.001);
      const nw = Array.from(wv!, (x, i) => x - (opts.alpha * nm[i]!) / (Math.sqrt(nvv[i]!) + 1e-7));
      expectClose(out[0].dataSync(), nw, { rtol: 1e-5, atol: 1e-6 });
    });
  });

  it('takes the backend kernel for float32 where the backend has one', () => {
    const kernels = getBackend().fused;
    const calls: string[] = [];
    const names = [
      'matMulBiasAct',
      'softmaxCrossEntropy',
      'sparseSoftmaxCrossEntropy',
      'sgdUpdate',
      'adamUpdate',
    ] as const;
    const saved = names.map((k) => kernels?.[k]);
    try {
      for (const k of names) {
        const f = kernels?.[k] as ((...args: unknown[]) => unknown) | undefined;
        if (kernels && f)
          Object.assign(kernels, { [k]: (...args: unknown[]) => (calls.push(k), f(...args)) });
      }
      const x = bp.ones([2, 3]);
      fused.matMul({ a: x, b: bp.ones([3, 2]), bias: bp.ones([2]), activation: 'relu' });
      fused.softmaxCrossEntropy(x, x);
      fused.sparseSoftmaxCrossEntropy(tensor([0, 2], [2], 'int32'), x);
      fused.sgdUpdate(x, x, x, { learningRate: 0.1, momentum: 0.5 });
      fused.adamUpdate(x, x, x, x, { alpha: 0.1, beta1: 0.9, beta2: 0.99, epsilon: 1e-7 });
    } finally {
      names.forEach((k, i) => kernels && Object.assign(kernels, { [k]: saved[i] }));
    }
    expect(calls).toEqual(backend === 'wasm' ? [...names] : []);
  });

  it('runs the composed ops, visibly, for an observer that traces through the fused op', () => {
    const a = tensor([
      [1, -2],
      [3, 4],
    ]);
    const b = tensor([
      [0.5, 1],
      [-1, 2],
    ]);
    const bias = tensor([0.25, -10]);
    const fusedResult = arr(fused.matMul({ a, b, bias, activation: 'relu' }));
    const seen: string[] = [];
    const prev = bp.setObserver({ isAtomic: (n) => n !== 'fusedMatMul', onOp: (r) => seen.push(r.name) });
    try {
      expect(arr(fused.matMul({ a, b, bias, activation: 'relu' }))).toEqual(fusedResult);
    } finally {
      bp.setObserver(prev);
    }
    expect(seen).toEqual(['matmul', 'add', 'maximum']);
    expect(fusedResult).toEqual([2.75, 0, 0, 1]);
  });

  it('rejects bad input with typed errors naming the op and the shapes', () => {
    const a = bp.ones([2, 3]);
    expect(() => fused.matMul({ a, b: bp.ones([4, 2]) })).toThrow(ShapeError);
    expect(() => fused.matMul({ a, b: bp.ones([4, 2]) })).toThrow(
      /fusedMatMul: expected a \[M,K\] and b \[K,N\], got a \[2,3\] · b \[4,2\]/,
    );
    expect(() => fused.matMul({ a, b: bp.ones([3, 2]), bias: bp.ones([3]) })).toThrow(
      /bias must have shape \[2\]/,
    );
    expect(() => fused.matMul({ a, b: bp.ones([3, 2]), activation: 'gelu' as FusedActivation })).toThrow(
      ArgumentError,
    );
    expect(() => fused.matMul({ a, b: bp.ones([3, 2], 'float64') })).toThrow(DTypeError);
    expect(() => fused.softmaxCrossEntropy(bp.ones([2, 2]), a)).toThrow(
      /labels \[2,2\] must have the logits' shape \[2,3\]/,
    );
    expect(() => fused.sparseSoftmaxCrossEntropy(tensor([0, 1]), a)).toThrow(/labels must be int32/);
    expect(() => fused.sparseSoftmaxCrossEntropy(tensor([0, 3], [2], 'int32'), a)).toThrow(
      /label 3 at position 1 is out of range \[0, 3\)/,
    );
    expect(() => fused.sgdUpdate(a, bp.ones([3]), null, { learningRate: 0.1 })).toThrow(
      /sgdUpdate: gradient is \[3\]/,
    );
    expect(() =>
      fused.adamUpdate(a, a, a, bp.ones([2, 3], 'float64'), { alpha: 1, beta1: 0.9, beta2: 0.9, epsilon: 0 }),
    ).toThrow(ShapeError);
  });
});
