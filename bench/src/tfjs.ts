/**
 * Loads TensorFlow.js (tfjs-core, tfjs-layers, the cpu and wasm backends: devDependencies of the bench only) and
 * makes one of its backends current. Imported at run time so the bench still runs, with the tfjs rows skipped,
 * where they are not installed.
 */
import type * as TfCoreModule from '@tensorflow/tfjs-core';
import type * as TfLayersModule from '@tensorflow/tfjs-layers';

export type TfCore = typeof TfCoreModule;
export type TfLayers = typeof TfLayersModule;

export interface Tfjs {
  tf: TfCore;
  layers: TfLayers;
}

const load = (name: string): Promise<unknown> => import(/* @vite-ignore */ name);

/** tfjs with its cpu and wasm backends registered, or the reason it could not be loaded. */
export async function loadTfjs(): Promise<Tfjs | string> {
  try {
    const tf = (await load('@tensorflow/tfjs-core')) as TfCore;
    const layers = (await load('@tensorflow/tfjs-layers')) as TfLayers;
    await load('@tensorflow/tfjs-backend-cpu');
    await load('@tensorflow/tfjs-backend-wasm');
    return { tf, layers };
  } catch (e) {
    return `tfjs not loaded: ${(e as Error).message.split('\n')[0]} (bench devDependencies @tensorflow/tfjs-core, -layers, -backend-cpu, -backend-wasm)`;
  }
}

/** Makes `backend` ('cpu' or 'wasm') current; the reason when tfjs cannot start it. */
export async function useTfBackend(tf: TfCore, backend: 'cpu' | 'wasm'): Promise<true | string> {
  try {
    if (!(await tf.setBackend(backend))) return `tfjs-${backend}: setBackend failed`;
    await tf.ready();
    return true;
  } catch (e) {
    return `tfjs-${backend}: ${(e as Error).message.split('\n')[0]}`;
  }
}
