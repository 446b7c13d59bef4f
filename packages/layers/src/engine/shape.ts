import { ShapeError } from '@backprop/core-tensor';

/** A shape whose batch dimension (and others) may be unknown: `[null, 28, 28, 1]`. */
export type SymbolicShape = readonly (number | null)[];

export function fmtSymbolic(shape: SymbolicShape): string {
  return `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')}${shape.length === 1 ? ',' : ''})`;
}

/** Checks that a concrete input shape agrees with the shape a layer was built for (null matches anything). */
export function assertCompatible(layer: string, expected: SymbolicShape, actual: readonly number[]): void {
  const ok = expected.length === actual.length && expected.every((d, i) => d === null || d === actual[i]);
  if (!ok) {
    throw new ShapeError(
      `${layer}: expected input of shape ${fmtSymbolic(expected)}, got [${actual.join(',')}]` +
        (expected.length === actual.length
          ? ''
          : ` (rank ${actual.length}, expected rank ${expected.length})`),
    );
  }
}
