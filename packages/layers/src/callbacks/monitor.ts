/** 'auto' watches for a decrease unless the name says accuracy-like (Keras' rule). */
export function resolveMode(mode: 'auto' | 'min' | 'max', monitor: string): 'min' | 'max' {
  if (mode !== 'auto') return mode;
  return /acc|auc|precision|recall/.test(monitor) ? 'max' : 'min';
}

export function isBetter(current: number, reference: number, mode: 'min' | 'max', minDelta: number): boolean {
  return mode === 'min' ? current < reference - minDelta : current > reference + minDelta;
}
