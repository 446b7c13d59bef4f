import type { Tensor } from '@backprop/core-tensor';
import {
  BackpropError,
  Generator,
  Tensor as TensorClass,
  cast,
  isFloatDType,
  mul,
  sum,
  tensor,
} from '@backprop/core-tensor';
import { noGrad } from './tape';
import { valueAndGrad } from './functional';

/** Options of {@link gradcheck}; the defaults are PyTorch's. */
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

/** How well the gradient of one input matched. */
export interface InputReport {
  /** max |analytic − numeric| over the input's elements. */
  maxAbsError: number;
  /** max |analytic − numeric| / |numeric| over the elements (0 where both are exactly equal). */
  maxRelError: number;
  /** Flat index of the element with the largest error relative to its tolerance. */
  worstIndex: number;
  /** The backpropagated gradient at `worstIndex`. */
  analytic: number;
  /** The central-difference estimate at `worstIndex`. */
  numeric: number;
  /** True for int32/bool inputs: they get no gradient and are passed to f unchanged (their errors read 0). */
  skipped?: boolean;
}

/** The result of {@link gradcheck}: one entry per input, in order. */
export interface GradcheckReport {
  /** True when every checked element is within tolerance. */
  ok: boolean;
  inputs: InputReport[];
}

/** Thrown by gradcheck when an analytic gradient disagrees with the numerical one; carries the full report. */
export class GradcheckError extends BackpropError {
  constructor(
    message: string,
    /** The report gradcheck would have returned. */
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
 * Float inputs are converted to float64 first (float32 differences would drown in rounding); int32 and bool
 * inputs (indices, masks) are passed through unchanged and not checked.
 * @returns the report; throws a {@link GradcheckError} naming the worst element instead when a check fails
 * (unless `throwOnFailure: false`).
 * @example
 * gradcheck((a, b) => a.mul(b).sin(), [tensor([1, 2]), tensor([3, 4])]); // { ok: true, inputs: [...] }
 */
export function gradcheck(
  f: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): GradcheckReport {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, seed = 0, throwOnFailure = true } = options;
  const xs = inputs.map((x) => (isFloatDType(x.dtype) ? cast(x, 'float64') : x));
  const probe = noGrad(() => f(...xs));
  if (!(probe instanceof TensorClass)) throw new BackpropError('gradcheck: f must return a Tensor');
  if (probe.dtype !== 'float64') {
    // A float32 result would make the ε = 1e-6 differences mostly rounding noise: the check would be meaningless.
    throw new BackpropError(
      `gradcheck: f returned ${probe.dtype} for float64 inputs; it must compute in float64 (do not cast to ` +
        `float32 inside f, and create constants with dtype 'float64' or as plain numbers)`,
    );
  }
  const gen = new Generator(seed);
  const v = tensor(
    Float64Array.from({ length: probe.size }, () => gen.uniform() * 2 - 1),
    probe.shape,
    'float64',
  );
  const scalarF = (...a: Tensor[]): Tensor => sum(mul(cast(f(...a), 'float64'), v));
  const { grads } = valueAndGrad(scalarF)(...xs);
  const analytic = (xs.length === 1 ? [grads] : grads) as (Tensor | null)[];

  const reports: InputReport[] = [];
  let ok = true;
  const lines: string[] = [];
  xs.forEach((x, i) => {
    const rep: InputReport = { maxAbsError: 0, maxRelError: 0, worstIndex: -1, analytic: NaN, numeric: NaN };
    const g = analytic[i];
    if (!isFloatDType(x.dtype) || !g) {
      reports.push({ ...rep, skipped: true });
      return;
    }
    const base = x.dataSync() as Float64Array;
    const an = g.dataSync();
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
        `input ${i} [${x.shape.join(',')}]: element ${rep.worstIndex} (index [${unravel(rep.worstIndex, x.shape).join(',')}]): ` +
          `analytic ${rep.analytic} vs numeric ` +
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

function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = shape.map(() => 0);
  for (let d = shape.length - 1, r = flat; d >= 0; d--) {
    idx[d] = r % shape[d]!;
    r = Math.floor(r / shape[d]!);
  }
  return idx;
}
