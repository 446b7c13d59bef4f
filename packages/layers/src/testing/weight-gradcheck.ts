import type { Tensor } from '@backprop/core-tensor';
import { Generator, mul, sum, tensor } from '@backprop/core-tensor';
import type { Variable } from '@backprop/autograd';
import { noGrad, variableGrads } from '@backprop/autograd';

/** Tolerances of a finite-difference check (PyTorch's criterion: |analytic − numeric| ≤ atol + rtol·|numeric|). */
export interface Tolerances {
  eps: number;
  atol: number;
  rtol: number;
}

/**
 * autograd's `gradcheck` differentiates with respect to the tensors it is handed, but a layer reads its weights
 * from its own Variables. This is the same check for Variables: the gradient of vᵀf() (a fixed random
 * projection v of the output) from backpropagation against central differences made by `assign`ing perturbed
 * values. Returns one line per failing variable (empty when all agree). Variables must be float64.
 */
export function checkVariableGrads(
  f: () => Tensor,
  variables: readonly Variable[],
  { eps, atol, rtol }: Tolerances,
  seed = 0,
): string[] {
  const probe = noGrad(f);
  const g = new Generator(seed);
  const proj = tensor(
    Float64Array.from({ length: probe.size }, () => g.uniform() * 2 - 1),
    probe.shape,
    probe.dtype,
  );
  const scalarF = (): Tensor => sum(mul(f(), proj));
  const { grads } = variableGrads(scalarF, variables);
  const failures: string[] = [];
  for (const v of variables) {
    const analytic = grads.get(v)!.dataSync();
    const base = Float64Array.from(v.dataSync());
    let worst = { ratio: -1, index: -1, analytic: NaN, numeric: NaN };
    const at = (j: number, delta: number): number => {
      const copy = base.slice();
      copy[j] = copy[j]! + delta;
      v.assign(tensor(copy, v.shape, v.dtype));
      return noGrad(() => scalarF().item());
    };
    for (let j = 0; j < base.length; j++) {
      const numeric = (at(j, eps) - at(j, -eps)) / (2 * eps);
      const a = analytic[j]!;
      const ratio = Math.abs(a - numeric) / (atol + rtol * Math.abs(numeric));
      if (Number.isNaN(ratio) || ratio > worst.ratio) {
        worst = { ratio: Number.isNaN(ratio) ? Infinity : ratio, index: j, analytic: a, numeric };
      }
    }
    v.assign(tensor(base, v.shape, v.dtype));
    if (worst.ratio > 1) {
      failures.push(
        `weight ${v.name} [${v.shape.join(',')}]: element ${worst.index}: analytic ${worst.analytic} vs numeric ` +
          `${worst.numeric}`,
      );
    }
  }
  return failures;
}
