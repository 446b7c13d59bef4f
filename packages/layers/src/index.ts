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
export { Progbar, formatDuration, formatLogs, formatPerStep } from './callbacks/progbar';
export type {
  ActivationRecord,
  GradientMonitorArgs,
  GradientRecord,
  NonFiniteReport,
} from './callbacks/gradient-monitor';
export { GradientMonitor } from './callbacks/gradient-monitor';
export type { SafetensorsErrorReason } from './io/errors';
export { ModelFormatError, SafetensorsError } from './io/errors';
export type {
  SafetensorsArray,
  SafetensorsDType,
  SafetensorsFile,
  SafetensorsTensor,
  SafetensorsTensorInput,
} from './io/safetensors';
export {
  MAX_HEADER_BYTES,
  decodeSafetensors,
  encodeSafetensors,
  safetensorsArray,
  safetensorsElementBytes,
} from './io/safetensors';
export { fromSafetensorsTensor, safetensorsDType, toSafetensorsTensor } from './io/tensors';
export type {
  FileRef,
  LoadOptions,
  ModelArtifacts,
  ModelJson,
  OptimizerStateManifest,
  SaveOptions,
  TrainingConfig,
  WeightEntry,
} from './io/model-format';
export { MODEL_FORMAT, MODEL_FORMAT_VERSION } from './io/model-format';
export type { IOHandler, IOSource, IOTarget, MemoryTarget } from './io/targets';
export { loadModel, loadWeights, saveModel, saveWeights } from './io/model-io';
export { packModel, unpackModel } from './io/pack';
export { writeFileAtomic } from './io/atomic';
export { browserFiles, removeIndexedDBModel } from './io/targets-browser';
export type { ModelCheckpointArgs } from './callbacks/model-checkpoint';
export { ModelCheckpoint, formatFilepath } from './callbacks/model-checkpoint';
export type { ExportSafetensorsOptions, PytorchCodeOptions } from './io/pytorch-export';
export { exportPytorchCode, exportSafetensors } from './io/pytorch-export';
export type { OnnxExportOptions } from './io/onnx/export';
export { exportOnnx } from './io/onnx/export';
export type { TfjsArtifacts } from './io/tfjs-import';
export { loadTfjsModel } from './io/tfjs-import';
