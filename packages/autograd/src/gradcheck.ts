import type { Tensor } from '@backprop/core-tensor';
import {
  BackpropError,
  Generator,
  Tensor as TensorClass,
  cast,
  mul,
  sum,
  tensor,
} from '@backprop/core-tensor';
import { noGrad } from './tape';
import { valueAndGrad } from './functional';

export interface GradcheckOptions {
  /** Finite-difference step (PyTorch's default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
  /** Seed of the random projection of non-scalar outputs. */
  seed?: number;
  /** Return the report instead of throwing on a mismatch. */
  throwOnFailure?: boolean;
}

export interface InputReport {
  maxAbsError: number;
  maxRelError: number;
  /** Flat index of the element with the largest error relative to its tolerance. */
  worstIndex: number;
  analytic: number;
  numeric: number;
}

export interface GradcheckReport {
  ok: boolean;
  inputs: InputReport[];
}

/** Thrown by gradcheck when an analytic gradient disagrees with the numerical one. */
export class GradcheckError extends BackpropError {
  constructor(
    message: string,
    readonly report: GradcheckReport,
  ) {
    super(message);
  }
}

/**
 * Checks the chain rule numerically: compares the gradients backpropagation computes with central differences
 * (f(x+ε) − f(x−ε)) / 2ε, in float64, for every element of every input. A non-scalar output is reduced with a
 * fixed random weighting vᵀf(x), which checks the vector-Jacobian product the backward pass computes.
 * Passes when |analytic − numeric| ≤ atol + rtol·|numeric| everywhere (PyTorch's criterion and defaults).
 */
export function gradcheck(
  f: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): GradcheckReport {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, seed = 0, throwOnFailure = true } = options;
  const xs = inputs.map((x) => cast(x, 'float64'));
  const probe = noGrad(() => f(...xs));
  if (!(probe instanceof TensorClass)) throw new BackpropError('gradcheck: f must return a Tensor');
  const g = new Generator(seed);
  const v = tensor(
    Float64Array.from({ length: probe.size }, () => g.uniform() * 2 - 1),
    probe.shape,
    'float64',
  );
  const scalarF = (...a: Tensor[]): Tensor => sum(mul(cast(f(...a), 'float64'), v));
  const { grads } = valueAndGrad(scalarF)(...xs);
  const analytic = xs.length === 1 ? [grads as unknown as Tensor] : grads;

  const reports: InputReport[] = [];
  let ok = true;
  const lines: string[] = [];
  xs.forEach((x, i) => {
    const base = x.dataSync() as Float64Array;
    const an = analytic[i]!.dataSync();
    const rep: InputReport = { maxAbsError: 0, maxRelError: 0, worstIndex: -1, analytic: NaN, numeric: NaN };
    let worstRatio = -1;
    for (let j = 0; j < base.length; j++) {
      const at = (delta: number): number => {
        const copy = base.slice();
        copy[j] = copy[j]! + delta;
        const args = xs.map((y, k) => (k === i ? tensor(copy, x.shape, 'float64') : y));
        return noGrad(() => scalarF(...args).item());
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      const a = an[j]!;
      const abs = Math.abs(a - numeric);
      const rel = abs / Math.max(Math.abs(numeric), 1e-300);
      const ratio = abs / (atol + rtol * Math.abs(numeric));
      rep.maxAbsError = Math.max(rep.maxAbsError, abs);
      rep.maxRelError = Math.max(rep.maxRelError, abs === 0 ? 0 : rel);
      if (ratio > worstRatio || Number.isNaN(ratio)) {
        worstRatio = Number.isNaN(ratio) ? Infinity : ratio;
        rep.worstIndex = j;
        rep.analytic = a;
        rep.numeric = numeric;
      }
    }
    if (worstRatio > 1) {
      ok = false;
      lines.push(
        `input ${i} [${x.shape.join(',')}]: element ${rep.worstIndex}: analytic ${rep.analytic} vs numeric ` +
          `${rep.numeric} (max abs error ${rep.maxAbsError.toExponential(3)}, max rel error ${rep.maxRelError.toExponential(3)})`,
      );
    }
    reports.push(rep);
  });
  const report = { ok, inputs: reports };
  if (!ok && throwOnFailure) {
    throw new GradcheckError(
      `gradcheck: backpropagated gradients disagree with finite differences (atol ${atol}, rtol ${rtol}):\n  ${lines.join('\n  ')}`,
      report,
    );
  }
  return report;
}
