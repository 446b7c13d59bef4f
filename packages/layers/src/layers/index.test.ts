import { describe, expect, it } from 'vitest';
import { deserializeLayer, registeredLayers } from '../registry';
import * as layers from './index';

const CLASSES = [
  'Activation',
  'AveragePooling2D',
  'BatchNormalization',
  'Conv2D',
  'Dense',
  'Dropout',
  'Embedding',
  'Flatten',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling2D',
  'LayerNormalization',
  'MaxPooling2D',
  'Reshape',
];

describe('layer registry', () => {
  it('registers every built-in layer under its class name when the index is imported', () => {
    for (const name of CLASSES) {
      expect(registeredLayers()).toContain(name);
      expect(layers).toHaveProperty(name);
    }
  });

  it('rebuilds a layer from {className, config}', () => {
    const l = deserializeLayer({
      className: 'Conv2D',
      config: { filters: 2, kernelSize: 3, padding: 'same' },
    });
    expect(l).toBeInstanceOf(layers.Conv2D);
    expect((l as layers.Conv2D).padding).toBe('same');
  });

  it('rejects an unknown class name, listing the known ones', () => {
    let message = '';
    try {
      deserializeLayer({ className: 'Conv3D', config: {} });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/unknown layer class "Conv3D"/);
    for (const name of CLASSES) expect(message).toContain(name);
  });
});
