/**
 * Test-only helpers (not exported from the package): run an optimizer on fixed gradients and compare each step
 * with a reference written in plain JS numbers. The references live in each optimizer's test file and follow the
 * published formulas; they share nothing with the implementation but these inputs.
 */
import type { DType } from '@backprop/core-tensor';
import { tensor } from '@backprop/core-tensor';
import type { Variable } from '@backprop/autograd';
import { variable } from '@backprop/autograd';
import { expect } from 'vitest';
import type { Optimizer } from '../optimizer';

/** Two variables of different shapes, so slots mixed up between variables would show. */
export const SHAPES = [[3], [2, 2]] as const;
export const INITIAL = [
  [0.5, -1.2, 2],
  [1, -0.3, 0, 0.7],
];
export const STEPS = 6;

/**
 * Gradient of element i of variable k at step t: varying signs and magnitudes (variable 1 is 10× larger, so
 * per-parameter scaling matters), and one element whose gradient is always 0 (epsilon handling, no NaN).
 */
export function gradientAt(t: number, k: number, i: number): number {
  if (k === 1 && i === 2) return 0;
  return (k === 1 ? 10 : 1) * (i + 1) * 0.37 * Math.sin(0.9 * t + 1.7 * i + k);
}

/** Weights after each of `steps` updates, as [step][variable][element]. */
export type Trajectory = number[][][];

export function makeVariables(dtype: DType, prefix = 'w'): Variable[] {
  return SHAPES.map((shape, k) =>
    variable(tensor(INITIAL[k]!, [...shape], dtype), { name: `${prefix}${k}` }),
  );
}

/** Applies the fixed gradients for steps [from, to) and records the weights after each step. */
export function runSteps(opt: Optimizer, vars: Variable[], from: number, to: number): Trajectory {
  const out: Trajectory = [];
  for (let t = from; t < to; t++) {
    const pairs = vars.map((v, k) => {
      const g = Array.from({ length: v.size }, (_, i) => gradientAt(t, k, i));
      return [tensor(g, [...v.shape], v.dtype), v] as const;
    });
    opt.applyGradients(pairs);
    pairs.forEach(([g]) => g.dispose());
    out.push(vars.map((v) => [...v.dataSync()]));
  }
  return out;
}

/** Runs a fresh optimizer on fresh variables for STEPS steps. */
export function trajectory(opt: Optimizer, dtype: DType, steps = STEPS): Trajectory {
  return runSteps(opt, makeVariables(dtype), 0, steps);
}

/**
 * A reference trajectory from a per-element update: `step(w, g, t, state)` returns the new weight (t is 1-based);
 * `state` is a fresh object per element for the reference's own running averages.
 */
export function referenceTrajectory(
  step: (w: number, g: number, t: number, state: Record<string, number>) => number,
  steps = STEPS,
): Trajectory {
  const out: Trajectory = [];
  const w = INITIAL.map((row) => [...row]);
  const states = INITIAL.map((row) => row.map((): Record<string, number> => ({})));
  for (let t = 0; t < steps; t++) {
    for (let k = 0; k < w.length; k++)
      for (let i = 0; i < w[k]!.length; i++)
        w[k]![i] = step(w[k]![i]!, gradientAt(t, k, i), t + 1, states[k]![i]!);
    out.push(w.map((row) => [...row]));
  }
  return out;
}

/** |actual − expected| ≤ atol + rtol·|expected| at every step and element, reporting the first mismatch. */
export function expectTrajectory(actual: Trajectory, expected: Trajectory, rtol: number, atol = rtol): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((stepValues, t) =>
    stepValues.forEach((row, k) =>
      row.forEach((a, i) => {
        const e = expected[t]![k]![i]!;
        if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e)))
          expect.fail(`step ${t + 1}, variable ${k}, element ${i}: got ${a}, expected ${e}`);
      }),
    ),
  );
}

/** The trajectory must actually move (a test comparing two frozen trajectories would prove nothing). */
export function expectMoves(traj: Trajectory): void {
  const first = traj[0]!.flat();
  const last = traj[traj.length - 1]!.flat();
  expect(first.some((x, i) => x !== INITIAL.flat()[i])).toBe(true);
  expect(last.some((x, i) => x !== first[i])).toBe(true);
}
