/**
 * @backprop/autograd: reverse-mode automatic differentiation for @backprop/core-tensor.
 *
 * How it works, in four files: `tape.ts` records each op that touches something we differentiate (a Node with its
 * inputs' history); `gradients.ts` is the table of local chain rules, one per op; `backward.ts` walks the nodes
 * from the loss back to the leaves, multiplying each upstream gradient by the local derivative; `variable.ts`
 * holds the leaves whose `.grad` collects the result. Around them: `functional.ts` (grad, valueAndGrad,
 * variableGrads and the `loss.backward()` hook), `define-op.ts` (user ops with custom gradients), `gradcheck.ts`
 * (the numerical check) and `value.ts`, the same idea on single numbers. README.md walks through it all.
 */
import './gradients';

export type { GradContext, GradRule } from './rules';
export { registerGradient } from './rules';
export { isRecording, noGrad } from './tape';
export type { BackwardRun } from './backward';
export { unbroadcast } from './backward';
export type { VariableOptions } from './variable';
export { Variable, variable, zeroGrad } from './variable';
export type { GradArgs, Grads } from './functional';
export { grad, valueAndGrad, variableGrads } from './functional';
export type { OpDefinition } from './define-op';
export { defineOp } from './define-op';
export type { GradcheckOptions, GradcheckReport, InputReport } from './gradcheck';
export { GradcheckError, gradcheck } from './gradcheck';
export type { ValueGraph } from './value';
export { Value, value } from './value';
export { GRADIENTS } from './gradients';
