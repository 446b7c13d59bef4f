/**
 * @backprop/data: data in, batches out. A `Dataset` pipeline after tf.data, loaders for IDX (MNIST) and CSV files,
 * MNIST and Fashion-MNIST from a folder or a URL, small embedded sets (digits, iris) and seeded synthetic ones
 * (spiral, moons, circles, xor, blobs, regression) so every example runs with no download, and preprocessing.
 * Works in Node and in browsers: Node built-ins are only loaded, dynamically, by the functions that need them.
 */
export { Dataset } from './dataset/dataset';
export type { BatchOptions, ElementOf, SourceOptions, SplitOptions } from './dataset/dataset';
export type { Batched } from './dataset/batched';
export type { ColumnInput, ColumnSpec, ElementSource } from './dataset/sources';
export type { NestedNumbers, NumericTypedArray } from './arrays';

export { loadIdx, parseIdx } from './loaders/idx';
export type { IdxArray, IdxExpectation, IdxType, IdxValues } from './loaders/idx';
export { loadCsv, parseCsv } from './loaders/csv';
export type { CsvData, CsvOptions } from './loaders/csv';
export type { DataSource } from './io/source';

export { fashionMnist, fashionMnistInfo, mnist, mnistInfo } from './datasets/mnist';
export type { ImageDatasetInfo, ImageSplits, MnistOptions } from './datasets/mnist';
export { digits, digitsInfo } from './datasets/digits';
export type { DigitsOptions } from './datasets/digits';
export { iris, irisInfo } from './datasets/iris';
export type { LabeledData } from './datasets/labeled';
export { spiral } from './datasets/synthetic/spiral';
export type { SpiralOptions } from './datasets/synthetic/spiral';
export { moons } from './datasets/synthetic/moons';
export type { MoonsOptions } from './datasets/synthetic/moons';
export { circles } from './datasets/synthetic/circles';
export type { CirclesOptions } from './datasets/synthetic/circles';
export { xor } from './datasets/synthetic/xor';
export type { XorOptions } from './datasets/synthetic/xor';
export { blobs } from './datasets/synthetic/blobs';
export type { BlobsOptions } from './datasets/synthetic/blobs';
export { regression } from './datasets/synthetic/regression';
export type { RegressionOptions } from './datasets/synthetic/regression';
export type { SyntheticOptions } from './datasets/synthetic/common';

export { MinMaxScaler, StandardScaler, minMaxNormalize, standardize } from './preprocessing/scalers';
export { oneHot } from './preprocessing/one-hot';
export { trainTestSplit } from './preprocessing/train-test-split';
export type { TrainTestSplitOptions } from './preprocessing/train-test-split';

export { Rng, mixSeeds } from './random';
export { DataError, DataFormatError } from './errors';
export type { DataLocation } from './errors';
