import type { Tensor } from '@backprop/core-tensor';
import { mul } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import type { LayerArgs } from '../src/index';
import { Conv2D, Dense, Layer, deserializeLayer, registerLayer, serializeLayer } from '../src/index';

/** A custom layer whose constructor takes a positional argument, so it needs its own fromConfig. */
class Scale extends Layer {
  readonly className = 'TestScale';
  constructor(
    readonly factor: number,
    args: LayerArgs = {},
  ) {
    super(args);
  }
  call(x: Tensor): Tensor {
    return mul(x, this.factor);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor };
  }
  static override fromConfig<T extends Layer>(this: unknown, config: Record<string, unknown>): T {
    const { factor, ...rest } = config;
    return new Scale(factor as number, rest) as unknown as T;
  }
}

describe('Layer.fromConfig', () => {
  it('rebuilds a layer of the class it is called on from getConfig()', () => {
    const d = new Dense({
      units: 5,
      activation: 'relu',
      useBias: false,
      kernelRegularizer: 'l2',
      name: 'cfg_dense',
    });
    const clone = Dense.fromConfig(d.getConfig());
    expect(clone).toBeInstanceOf(Dense);
    expect(clone.getConfig()).toEqual(d.getConfig());
    const c = new Conv2D({ filters: 3, kernelSize: 2, padding: 'same', name: 'cfg_conv' });
    expect(Conv2D.fromConfig(c.getConfig()).getConfig()).toEqual(c.getConfig());
  });

  it('is what deserializeLayer calls, so custom layers can override it', () => {
    registerLayer('TestScale', Scale);
    const s = new Scale(3, { name: 'cfg_scale' });
    const back = deserializeLayer(
      JSON.parse(JSON.stringify(serializeLayer(s))) as ReturnType<typeof serializeLayer>,
    );
    expect(back).toBeInstanceOf(Scale);
    expect((back as Scale).factor).toBe(3);
    expect(back.name).toBe('cfg_scale');
  });
});
