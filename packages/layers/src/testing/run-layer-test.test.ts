import { describe, expect, it } from 'vitest';
import type { Tensor } from '@backprop/core-tensor';
import { add, mean, mul, randomUniform, square, sub } from '@backprop/core-tensor';
import type { Variable } from '@backprop/autograd';
import { defineOp, noGrad } from '@backprop/autograd';
import type { SymbolicShape } from '../engine/shape';
import type { LayerArgs } from '../layer';
import { Layer } from '../layer';
import { registerLayer } from '../registry';
import { LayerTestError, runLayerTest } from './index';

// Each layer below has exactly one defect; runLayerTest must catch it. `Scale` is the correct control.

interface ScaleArgs extends LayerArgs {
  factor?: number;
}

/** y = x·w·factor with a per-feature weight w. */
class Scale extends Layer {
  readonly className: string = 'TestScale';
  readonly factor: number;
  w: Variable | undefined;
  constructor(args: ScaleArgs = {}) {
    super(args);
    this.factor = args.factor ?? 1;
  }
  override build(inputShape: SymbolicShape): void {
    this.w = this.addWeight('w', [inputShape[inputShape.length - 1]!], 'ones');
    super.build(inputShape);
  }
  call(x: Tensor): Tensor {
    return mul(mul(x, this.w!), this.factor);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor };
  }
}
registerLayer('TestScale', Scale);

class LyingShape extends Scale {
  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    return [...s.slice(0, -1), 99];
  }
}

class ForgetsFactor extends Scale {
  override readonly className = 'TestForgetsFactor';
  override getConfig(): Record<string, unknown> {
    const { factor: _, ...rest } = super.getConfig();
    return rest;
  }
}
registerLayer('TestForgetsFactor', ForgetsFactor);

class DriftingConfig extends Scale {
  override readonly className = 'TestDriftingConfig';
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor + 1 };
  }
}
registerLayer('TestDriftingConfig', DriftingConfig);

class FunctionInConfig extends Scale {
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: (x: number) => x };
  }
}

const halfWeightGrad = defineOp({
  name: 'testMulHalfWeightGrad',
  forward: ([x, w]) => mul(x!, w!),
  // Wrong on purpose: the true dL/dw is dy·x.
  backward: (dy, { inputs: [x, w] }) => [mul(dy, w!), mul(mul(dy, x!), 0.5)],
});
class WrongWeightGrad extends Scale {
  override readonly className = 'TestWrongWeightGrad';
  override call(x: Tensor): Tensor {
    return halfWeightGrad([x, this.w!]);
  }
}
registerLayer('TestWrongWeightGrad', WrongWeightGrad);

const ascent = defineOp({
  name: 'testMulGradientAscent',
  forward: ([x, w]) => mul(x!, w!),
  backward: (dy, { inputs: [x, w] }) => [mul(dy, w!), mul(mul(dy, x!), -1)],
});
class AscendingGrad extends Scale {
  override readonly className = 'TestAscendingGrad';
  override call(x: Tensor): Tensor {
    return ascent([x, this.w!]);
  }
}
registerLayer('TestAscendingGrad', AscendingGrad);

const badSquare = defineOp({
  name: 'testSquareWrongGrad',
  forward: ([x]) => square(x!),
  backward: (dy, { inputs: [x] }) => [mul(dy, x!)],
});
class WrongInputGrad extends Scale {
  override readonly className = 'TestWrongInputGrad';
  override call(x: Tensor): Tensor {
    return mul(badSquare(x), this.w!);
  }
}
registerLayer('TestWrongInputGrad', WrongInputGrad);

class UnusedWeight extends Scale {
  override readonly className = 'TestUnusedWeight';
  override build(inputShape: SymbolicShape): void {
    this.addWeight('unused', [2], 'ones');
    super.build(inputShape);
  }
}
registerLayer('TestUnusedWeight', UnusedWeight);

class NoisyInference extends Scale {
  override call(x: Tensor): Tensor {
    return add(super.call(x), randomUniform(x.shape));
  }
}

class BatchMixing extends Scale {
  override call(x: Tensor): Tensor {
    return sub(super.call(x), mean(x, 0, true));
  }
}

class MutatesWeights extends Scale {
  override call(x: Tensor): Tensor {
    noGrad(() => this.w!.assign(mul(this.w!, 1.5)));
    return x;
  }
}

const opts = { inputShape: [3, 4] } as const;

describe('runLayerTest', () => {
  it('passes a correct layer and reports what it checked', () => {
    const r = runLayerTest(() => new Scale({ factor: 2 }), { ...opts, expectedOutputShape: [3, 4] });
    expect(r.gradchecked).toEqual(['inference', 'training']);
    expect(r.trainingStep!.lossAfter).toBeLessThan(r.trainingStep!.lossBefore);
    expect(r.output.shape).toEqual([3, 4]);
  });

  it.each([
    ['an output shape that disagrees with computeOutputShape', () => new LyingShape(), /computeOutputShape/],
    ['a config that loses an option', () => new ForgetsFactor({ factor: 3 }), /different output/],
    ['a config that does not rebuild itself', () => new DriftingConfig({ factor: 3 }), /config differs/],
    [
      'a config that is not JSON',
      () => new FunctionInConfig(),
      /not JSON-safe: config.activation is function/,
    ],
    [
      'a wrong weight gradient',
      () => new WrongWeightGrad(),
      /inference gradient disagrees.*\n.*weight .*\/w \[4\]/,
    ],
    ['a wrong input gradient', () => new WrongInputGrad(), /gradient w\.r\.t\. the input/],
    ['a weight the output does not use', () => new UnusedWeight(), /unused gets a zero gradient/],
    ['randomness at inference', () => new NoisyInference(), /two inference calls/],
    [
      'samples that affect each other at inference',
      () => new BatchMixing(),
      /larger batch changed the outputs/,
    ],
    ['inference that changes weights', () => new MutatesWeights(), /inference changed weight/],
  ] as const)('catches %s', (_, factory, message) => {
    expect(() => runLayerTest(factory, opts)).toThrow(LayerTestError);
    expect(() => runLayerTest(factory, opts)).toThrow(message);
  });

  it('catches a training step that raises the loss (with gradcheck off)', () => {
    expect(() => runLayerTest(() => new AscendingGrad(), { ...opts, gradcheck: false })).toThrow(
      /did not lower the loss/,
    );
  });

  it('checks the expected output shape and weight counts', () => {
    expect(() => runLayerTest(() => new Scale(), { ...opts, expectedOutputShape: [3, 5] })).toThrow(
      /expected \[3,5\]/,
    );
    expect(() => runLayerTest(() => new Scale(), { ...opts, expectedNumTrainableWeights: 2 })).toThrow(
      /1 trainable weights, expected 2/,
    );
  });

  it('needs an input shape or data', () => {
    expect(() => runLayerTest(() => new Scale())).toThrow(/inputShape/);
  });
});
