import type { DType, Tensor } from '@backprop/core-tensor';
import {
  Generator,
  cast,
  gather,
  isFloatDType,
  mul,
  randomInt,
  randomUniform,
  square,
  sub,
  sum,
  tensor,
} from '@backprop/core-tensor';
import { gradcheck, noGrad, variableGrads } from '@backprop/autograd';
import type { Layer } from '../layer';
import { deserializeLayer, serializeLayer } from '../registry';
import type { SymbolicShape } from '../engine/shape';
import { fmtSymbolic } from '../engine/shape';
import { checkVariableGrads } from './weight-gradcheck';
import { assertJsonSafe, closeValues, jsonEqual, sameValues, shapeMatches } from './compare';

/** Options of {@link runLayerTest}. */
export interface LayerTestOptions {
  /** Shape of the random test input, batch first. Required unless `inputData` is given. */
  inputShape?: readonly number[];
  /** dtype of the random input (default float32; int32 draws integers, e.g. token ids for Embedding). */
  inputDType?: DType;
  /** Range of the random input: [low, high) (default [−1, 1) for floats, [0, 10) for int32). */
  inputRange?: readonly [number, number];
  /** A fixed input instead of a random one (e.g. one without ties for max pooling). */
  inputData?: Tensor;
  /** The exact output shape the layer must produce on the test input. */
  expectedOutputShape?: readonly number[];
  expectedNumTrainableWeights?: number;
  expectedNumNonTrainableWeights?: number;
  /** Check that one SGD step lowers a sum-of-squares loss (default: when the layer has trainable weights). */
  trainingStep?: boolean;
  /** Check input and weight gradients against finite differences in float64 (default true). */
  gradcheck?: boolean;
  /**
   * Whether the output is differentiable in the input (default: when the input is float). False for float
   * inputs that are really indices (Embedding), whose weights are still checked.
   */
  differentiableInput?: boolean;
  /**
   * The layer draws random numbers when training (Dropout): skip the checks that need two training-mode calls
   * to agree (training-mode gradcheck), and take the training step's loss in inference mode.
   */
  randomInTraining?: boolean;
  /** Tolerances of the gradient checks (defaults: eps 1e-6, atol 1e-5, rtol 1e-3, PyTorch's). */
  tolerance?: { eps?: number; atol?: number; rtol?: number };
  /** Seed of the random input and of the gradient checks' projections (default 0). */
  seed?: number;
}

/** What {@link runLayerTest} checked, for tests that want to assert more. */
export interface LayerTestReport {
  /** The layer under test, built, after the training step. */
  layer: Layer;
  /** The test input and the layer's inference output on it (before the training step). */
  input: Tensor;
  output: Tensor;
  /** The modes gradients were checked in (empty when gradcheck was off). */
  gradchecked: ('inference' | 'training')[];
  /** Loss before and after the SGD step, or null when no step was taken. */
  trainingStep: { lossBefore: number; lossAfter: number } | null;
}

/** A failed {@link runLayerTest} check; the message names the layer and the check. */
export class LayerTestError extends Error {
  override readonly name = 'LayerTestError';
}

/**
 * Keras' `run_layer_test`: the checks every layer must pass, in one call.
 * 1. Shapes: builds and calls the layer on a random input; the output shape agrees with `computeOutputShape`
 *    (nulls match anything) and `expectedOutputShape`; inference is repeatable, leaves the weights alone and
 *    treats samples independently (a sample's output does not depend on the rest of the batch); a
 *    training-mode call works.
 * 2. Serialization: `getConfig()` is JSON-safe and `deserializeLayer({className, config})` rebuilds a layer with
 *    the same config that, given the original's weights, computes the same output.
 * 3. Gradients: a float64 copy (`dtype: 'float64'`) passes gradcheck with respect to the input (float inputs)
 *    and every trainable weight, in inference and training mode.
 * 4. Training: one SGD step on sum(output²) lowers it, and every trainable weight receives a gradient.
 * Throws {@link LayerTestError} on the first failed check.
 */
export function runLayerTest(factory: () => Layer, options: LayerTestOptions = {}): LayerTestReport {
  const seed = options.seed ?? 0;
  const x = options.inputData ?? randomInput(options, seed);
  const layer = factory();
  const fail = (msg: string): never => {
    throw new LayerTestError(`runLayerTest(${layer.className} "${layer.name}"): ${msg}`);
  };

  // 1. Shapes and basic call behaviour.
  const y = layer.apply(x);
  if (!layer.built) fail('the layer is not marked built after its first call');
  const symbolic: SymbolicShape = [null, ...x.shape.slice(1)];
  for (const predicted of [layer.computeOutputShape(symbolic), layer.computeOutputShape(x.shape)]) {
    if (!shapeMatches(predicted, y.shape)) {
      fail(
        `output shape [${y.shape.join(',')}] disagrees with computeOutputShape: ${fmtSymbolic(predicted)}`,
      );
    }
  }
  if (options.expectedOutputShape && !shapeMatches(options.expectedOutputShape, y.shape)) {
    fail(`output shape [${y.shape.join(',')}], expected [${options.expectedOutputShape.join(',')}]`);
  }
  checkCount('trainable', layer.trainableWeights.length, options.expectedNumTrainableWeights, fail);
  checkCount('non-trainable', layer.nonTrainableWeights.length, options.expectedNumNonTrainableWeights, fail);
  const weightsBefore = layer.getWeights();
  if (!sameValues(layer.apply(x), y)) fail('two inference calls on the same input gave different outputs');
  const batch = x.shape[0] ?? 0;
  if (batch > 0) {
    // The batch plus `batch` copies of its first sample: different batch statistics, same per-sample outputs
    // (a plain doubled batch would not do: its mean and variance equal the original's).
    const idx = tensor(
      Int32Array.from({ length: 2 * batch }, (_, i) => (i < batch ? i : 0)),
      [2 * batch],
      'int32',
    );
    if (!closeValues(layer.apply(gather(x, idx, 0)), gather(y, idx, 0))) {
      fail(
        'inference on a larger batch changed the outputs of its samples (samples must not affect each other)',
      );
    }
  }
  layer.weights.forEach((w, i) => {
    if (!sameValues(w, weightsBefore[i]!)) fail(`inference changed weight ${w.name}`);
  });
  const yTrain = layer.apply(x, { training: true });
  if (!shapeMatches(y.shape, yTrain.shape))
    fail(`training-mode output shape [${yTrain.shape.join(',')}] ≠ [${y.shape.join(',')}]`);

  // 2. Config round trip through JSON.
  const config = layer.getConfig();
  const problem = assertJsonSafe(config, 'config');
  if (problem) fail(`getConfig() is not JSON-safe: ${problem}`);
  const spec = JSON.parse(JSON.stringify(serializeLayer(layer))) as ReturnType<typeof serializeLayer>;
  if (spec.className !== layer.className) fail(`serializeLayer gave className "${spec.className}"`);
  const clone = deserializeLayer(spec);
  if (clone.className !== layer.className) fail(`deserializeLayer built a ${clone.className}`);
  if (!jsonEqual(clone.getConfig(), config)) {
    fail(
      `the rebuilt layer's config differs:\n  original ${JSON.stringify(config)}\n  rebuilt  ${JSON.stringify(clone.getConfig())}`,
    );
  }
  clone.apply(x);
  clone.setWeights(layer.getWeights());
  if (!sameValues(clone.apply(x), layer.apply(x)))
    fail('the rebuilt layer with the same weights gives a different output');

  // 3. Gradients in float64.
  const gradchecked: ('inference' | 'training')[] = [];
  if (options.gradcheck ?? true) {
    const tol = { eps: 1e-6, atol: 1e-5, rtol: 1e-3, ...options.tolerance };
    const f64 = deserializeLayer({ className: layer.className, config: { ...config, dtype: 'float64' } });
    const x64 = isFloatDType(x.dtype) ? cast(x, 'float64') : x;
    f64.apply(x64);
    f64.setWeights(layer.getWeights().map((w) => (isFloatDType(w.dtype) ? cast(w, 'float64') : w)));
    const modes = options.randomInTraining ? (['inference'] as const) : (['inference', 'training'] as const);
    for (const mode of modes) {
      const training = mode === 'training';
      if (options.differentiableInput ?? isFloatDType(x.dtype)) {
        const report = gradcheck((xi) => f64.apply(xi, { training }), [x64], {
          ...tol,
          seed,
          throwOnFailure: false,
        });
        const r = report.inputs[0]!;
        if (!report.ok)
          fail(
            `${mode} gradient w.r.t. the input: analytic ${r.analytic} vs numeric ${r.numeric} at element ${r.worstIndex}`,
          );
      }
      const bad = checkVariableGrads(() => f64.apply(x64, { training }), f64.trainableWeights, tol, seed);
      if (bad.length > 0) fail(`${mode} gradient disagrees with finite differences:\n  ${bad.join('\n  ')}`);
      gradchecked.push(mode);
    }
  }

  // 4. One SGD step on sum(output²).
  let trainingStep: LayerTestReport['trainingStep'] = null;
  if (options.trainingStep ?? layer.trainableWeights.length > 0) {
    const vars = layer.trainableWeights;
    if (vars.length === 0) fail('trainingStep was requested but the layer has no trainable weights');
    const training = !options.randomInTraining;
    const loss = (): Tensor => sum(square(layer.apply(x, { training })));
    const { value, grads } = variableGrads(loss, vars);
    let gradNorm2 = 0;
    for (const v of vars) {
      const g2 = noGrad(() => sum(square(cast(grads.get(v)!, 'float64'))).item());
      if (!(g2 > 0))
        fail(`weight ${v.name} gets ${g2 === 0 ? 'a zero' : 'a non-finite'} gradient from the loss`);
      gradNorm2 += g2;
    }
    const lossBefore = value.item();
    // A step whose first-order predicted decrease is 1% of the loss: large enough to show in float32, small
    // enough that curvature cannot overshoot, whatever the output's size.
    const lr = (0.01 * lossBefore) / gradNorm2;
    noGrad(() => vars.forEach((v) => v.assign(sub(v, mul(grads.get(v)!, lr)))));
    const lossAfter = noGrad(loss).item();
    if (!(lossAfter < lossBefore))
      fail(`one SGD step (lr ${lr}) did not lower the loss: ${lossBefore} → ${lossAfter}`);
    trainingStep = { lossBefore, lossAfter };
  }

  return { layer, input: x, output: y, gradchecked, trainingStep };
}

function randomInput(options: LayerTestOptions, seed: number): Tensor {
  if (!options.inputShape)
    throw new LayerTestError('runLayerTest: give inputShape (batch first) or inputData');
  const dtype = options.inputDType ?? 'float32';
  const generator = new Generator(seed);
  if (isFloatDType(dtype)) {
    const [minval, maxval] = options.inputRange ?? [-1, 1];
    return randomUniform(options.inputShape, { minval, maxval, dtype, generator });
  }
  const [low, high] = options.inputRange ?? [0, 10];
  const ints = randomInt(options.inputShape, low, high, { generator });
  return dtype === 'int32' ? ints : cast(ints, dtype);
}

function checkCount(
  kind: string,
  actual: number,
  expected: number | undefined,
  fail: (m: string) => never,
): void {
  if (expected !== undefined && actual !== expected) fail(`${actual} ${kind} weights, expected ${expected}`);
}
