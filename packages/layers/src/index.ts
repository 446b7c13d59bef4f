/**
 * @backprop/layers: Keras in TypeScript. Layers with lazy weights, `Sequential` with compile / fit / evaluate /
 * predict, callbacks (History, EarlyStopping, LearningRateScheduler, ReduceLROnPlateau, TerminateOnNaN,
 * CSVLogger, the Keras progress bar) and the GradientMonitor that makes vanishing and exploding gradients visible.
 */
export type { CallOptions, InitializerId, LayerArgs } from './layer';
export { Layer } from './layer';
export type { LayerConfig, LayerConstructor } from './registry';
export { deserializeLayer, registerLayer, registeredLayers, serializeLayer } from './registry';
export type { ActivationId } from './activations';
export { ACTIVATIONS, getActivation } from './activations';
export type { Regularizer, RegularizerId } from './regularizers';
export { L1, L1L2, L2, getRegularizer } from './regularizers';
export type { SymbolicShape } from './engine/shape';
export * from './layers/index';
export * from './testing/index';
export type { SequentialArgs } from './sequential';
export { Sequential } from './sequential';
export type { CompileArgs, LossId, MetricId, OptimizerId } from './engine/compile';
export type { EvaluateArgs, FitArgs, Logs } from './engine/training';
export type { CallbackModel, StepDetails, StepLayer } from './callbacks/callback';
export { Callback, CallbackList } from './callbacks/callback';
export { History } from './callbacks/history';
export type { EarlyStoppingArgs } from './callbacks/early-stopping';
export { EarlyStopping } from './callbacks/early-stopping';
export type { ReduceLROnPlateauArgs } from './callbacks/lr-schedulers';
export { LearningRateScheduler, ReduceLROnPlateau } from './callbacks/lr-schedulers';
export { TerminateOnNaN } from './callbacks/terminate-on-nan';
export type { CSVLoggerArgs } from './callbacks/csv-logger';
export { CSVLogger } from './callbacks/csv-logger';
export type { ProgbarArgs } from './callbacks/progbar';
export { Progbar, formatLogs } from './callbacks/progbar';
export type { GradientMonitorArgs, GradientRecord } from './callbacks/gradient-monitor';
export { GradientMonitor } from './callbacks/gradient-monitor';
