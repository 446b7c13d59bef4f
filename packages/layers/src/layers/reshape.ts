import type { Tensor } from '@backprop/core-tensor';
import { ArgumentError, ShapeError, reshape } from '@backprop/core-tensor';
import type { SymbolicShape } from '../engine/shape';
import { fmtSymbolic } from '../engine/shape';
import type { LayerArgs } from '../layer';
import { Layer } from '../layer';
import { registerLayer } from '../registry';
import { assertRank, who } from './utils';

/** Options of {@link Reshape}. */
export interface ReshapeArgs extends LayerArgs {
  /** The output shape without the batch dimension; one entry may be −1 and is inferred. */
  targetShape: readonly number[];
}

/** Reshapes each sample (the batch dimension is kept): [batch, …] → [batch, ...targetShape]. */
export class Reshape extends Layer {
  readonly className = 'Reshape';
  readonly targetShape: readonly number[];

  constructor(args: ReshapeArgs) {
    super(args);
    const t: readonly unknown[] = Array.isArray(args.targetShape) ? args.targetShape : [NaN];
    if (t.some((d) => typeof d !== 'number' || !Number.isInteger(d) || (d < 1 && d !== -1))) {
      throw new ArgumentError(
        `Reshape: targetShape must be positive integers (one may be -1), got ${JSON.stringify(args.targetShape)}`,
      );
    }
    if (t.filter((d) => d === -1).length > 1) {
      throw new ArgumentError(
        `Reshape: only one dimension of targetShape can be -1, got ${JSON.stringify(t)}`,
      );
    }
    this.targetShape = [...args.targetShape];
  }

  override build(inputShape: SymbolicShape): void {
    assertRank(this, inputShape, { min: 1 }, '[batch, …]');
    this.resolve(inputShape);
    super.build(inputShape);
  }

  call(x: Tensor): Tensor {
    return reshape(x, [x.shape[0]!, ...(this.resolve(x.shape) as number[])]);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0] ?? null, ...this.resolve(inputShape)];
  }

  /** The target shape with −1 filled in from the input's per-sample size (null while that is unknown). */
  private resolve(inputShape: SymbolicShape): (number | null)[] {
    const rest = inputShape.slice(1);
    if (rest.some((d) => d === null)) return this.targetShape.map((d) => (d === -1 ? null : d));
    const size = (rest as number[]).reduce((n, d) => n * d, 1);
    const known = this.targetShape.reduce((n, d) => (d === -1 ? n : n * d), 1);
    const hasInferred = this.targetShape.includes(-1);
    if (hasInferred ? size % known !== 0 : size !== known) {
      throw new ShapeError(
        `${who(this)}: cannot reshape samples of shape ${fmtSymbolic(rest)} (${size} elements) into ` +
          `${fmtSymbolic(this.targetShape)}`,
      );
    }
    return this.targetShape.map((d) => (d === -1 ? size / known : d));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), targetShape: [...this.targetShape] };
  }
}

registerLayer('Reshape', Reshape);
