import { ArgumentError } from '@backprop/core-tensor';
import type { Layer } from './layer';

/** A layer class as the registry keeps it: constructible from its config, optionally with `fromConfig`. */
export type LayerConstructor = (new (config: never) => Layer) & {
  fromConfig?: (config: Record<string, unknown>) => Layer;
};

const registry = new Map<string, LayerConstructor>();

/** Makes a layer class known to `deserializeLayer` (and so to model loading). Custom layers register too. */
export function registerLayer(className: string, ctor: LayerConstructor): void {
  registry.set(className, ctor);
}

/** The class names `deserializeLayer` knows, sorted (built-in and custom). */
export function registeredLayers(): string[] {
  return [...registry.keys()].sort();
}

/** Serialized form of a layer: its class and the constructor config. */
export interface LayerConfig {
  className: string;
  config: Record<string, unknown>;
}

/** A layer's `{className, config}` (weights excluded): what model JSON stores and `deserializeLayer` reads. */
export function serializeLayer(layer: Layer): LayerConfig {
  return { className: layer.className, config: layer.getConfig() };
}

/** Rebuilds a layer from `{className, config}`; an unknown class is an error listing the registered ones. */
export function deserializeLayer(spec: LayerConfig): Layer {
  if (spec === null || typeof spec !== 'object' || typeof spec.className !== 'string') {
    throw new ArgumentError(`deserializeLayer: expected {className, config}, got ${JSON.stringify(spec)}`);
  }
  const ctor = registry.get(spec.className);
  if (!ctor) {
    throw new ArgumentError(
      `deserializeLayer: unknown layer class "${spec.className}"; registered: ${registeredLayers().join(', ')} ` +
        `(register custom layers with registerLayer)`,
    );
  }
  const config = spec.config ?? {};
  return ctor.fromConfig ? ctor.fromConfig.call(ctor, config) : new ctor(config as never);
}
