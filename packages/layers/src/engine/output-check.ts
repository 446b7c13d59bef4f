import type { Loss } from '@backprop/losses';
import type { Sequential } from '../sequential';

const warned = new WeakMap<Sequential, Set<string>>();

/** The activation the model's output passes through last, skipping layers that only move values around. */
function outputActivation(model: Sequential): { layer: string; activation: string } | undefined {
  for (let i = model.layers.length - 1; i >= 0; i--) {
    const l = model.layers[i]!;
    const act = (l as { activation?: unknown }).activation;
    if (typeof act === 'string') return { layer: l.name, activation: act };
    if (!['Flatten', 'Reshape', 'Dropout'].includes(l.className)) return undefined;
  }
  return undefined;
}

const PROBABILITY: Record<string, string> = {
  BinaryCrossentropy: 'sigmoid',
  CategoricalCrossentropy: 'softmax',
  SparseCategoricalCrossentropy: 'softmax',
};

/**
 * A cross-entropy whose `fromLogits` disagrees with the output layer trains badly without any error: raw scores
 * read as probabilities are clipped to [1e-7, 1 − 1e-7], so a score outside that range gets no gradient at all;
 * probabilities read as logits go through a second softmax and their gradients shrink. Keras 3 warns about the
 * second case; this warns about both, once per model and mismatch, naming the layer and the fix.
 */
export function warnOnOutputLossMismatch(
  model: Sequential,
  loss: Loss,
  warn: (message: string) => void = (m) => console.warn(m),
): void {
  const cls = loss.className;
  const expected = PROBABILITY[cls];
  if (!expected) return;
  const fromLogits = loss.getConfig().fromLogits === true;
  const out = outputActivation(model);
  if (!out) return;
  let message: string | undefined;
  if (!fromLogits && out.activation === 'linear') {
    message =
      `${cls} expects probabilities, but the last layer "${out.layer}" outputs raw scores (activation 'linear'): ` +
      `they are clipped to [1e-7, 1 − 1e-7], so scores outside that range get no gradient and the model stops ` +
      `learning. Give the last layer activation: '${expected}', or use the loss with fromLogits: true.`;
  } else if (fromLogits && out.activation === expected) {
    message =
      `${cls} with fromLogits: true expects raw scores, but the last layer "${out.layer}" already applies ` +
      `'${expected}': the loss applies it again and the gradients shrink. Drop the activation (use 'linear') or ` +
      `set fromLogits: false.`;
  }
  if (!message) return;
  const seen = warned.get(model) ?? new Set<string>();
  if (seen.has(message)) return;
  seen.add(message);
  warned.set(model, seen);
  warn(`fit: ${message}`);
}
