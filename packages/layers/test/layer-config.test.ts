import type { Tensor } from '@backprop/core-tensor';
import { ArgumentError, mul } from '@backprop/core-tensor';
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

describe('hostile base configs', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['name', { name: 42 }, /^Dense: name must be a non-empty string, got 42$/],
    ['empty name', { name: '' }, /^Dense: name must be a non-empty string, got ""$/],
    ['trainable', { trainable: 'yes' }, /^Dense: trainable must be true or false, got "yes"$/],
    [
      'dtype',
      { dtype: 'float16' },
      /^Dense: dtype must be one of float32, float64, int32, bool, got "float16"$/,
    ],
    [
      'inputShape not an array',
      { inputShape: 784 },
      /^Dense: inputShape must be an array of positive integers/,
    ],
    ['inputShape entries', { inputShape: [28, -1] }, /^Dense: inputShape must be .* got \[28,-1\]$/],
    ['inputShape fraction', { inputShape: [2.5] }, /^Dense: inputShape must be/],
  ];
  for (const [what, extra, message] of cases) {
    it(`${what}: an ArgumentError naming the layer and the field, from the constructor and deserializeLayer`, () => {
      expect(() => new Dense({ units: 2, ...extra })).toThrow(ArgumentError);
      expect(() => new Dense({ units: 2, ...extra })).toThrow(message);
      expect(() => deserializeLayer({ className: 'Dense', config: { units: 2, ...extra } })).toThrow(
        ArgumentError,
      );
    });
  }

  it('a weight too large to allocate is an ArgumentError naming the layer, the weight and its shape', () => {
    const d = new Dense({ units: 2 ** 20, inputShape: [2 ** 10] });
    expect(() => d.build([null, 2 ** 10])).toThrow(ArgumentError);
    expect(() => new Dense({ name: 'huge', units: 2 ** 20 }).build([null, 2 ** 10])).toThrow(
      /^huge \(Dense\): weight "kernel" would have shape \[1024,1048576\] \(1073741824 values\); expected non-negative integer sizes of at most 536870912 values/,
    );
  });
});
