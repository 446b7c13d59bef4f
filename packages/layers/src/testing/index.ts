/** Test helpers for layer authors (ours and users' custom layers). */
export type { LayerTestOptions, LayerTestReport } from './run-layer-test';
export { LayerTestError, runLayerTest } from './run-layer-test';
