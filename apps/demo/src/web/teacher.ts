/** The controls a teacher can hide, by the data-control name they carry in index.html. */
export const TEACHER_CONTROLS: readonly { id: string; label: string; hiddenByDefault?: boolean }[] = [
  { id: 'dataset', label: 'Data set' },
  { id: 'classes', label: 'Classes' },
  { id: 'noise', label: 'Noise' },
  { id: 'testFraction', label: 'Test share' },
  { id: 'csv', label: 'Own CSV' },
  { id: 'layers', label: 'Layers and units', hiddenByDefault: true },
  { id: 'initializer', label: 'Initializer', hiddenByDefault: true },
  { id: 'batchNorm', label: 'Batch normalization', hiddenByDefault: true },
  { id: 'optimizer', label: 'Optimizer' },
  { id: 'lr', label: 'Learning rate' },
  { id: 'batchSize', label: 'Batch size' },
  { id: 'loss', label: 'Loss' },
  { id: 'clip', label: 'Gradient clipping' },
  { id: 'seed', label: 'Seed' },
  { id: 'export', label: 'Export' },
  { id: 'charts', label: 'Charts' },
  { id: 'histograms', label: 'Histograms' },
  { id: 'experiments', label: 'Experiments' },
  { id: 'backprop', label: 'Step-by-step backprop', hiddenByDefault: true },
];

/** The URL's `teacher=` list as a set of known control ids; undefined (teacher mode off) when absent. */
export function parseHidden(raw: string | undefined): Set<string> | undefined {
  if (raw === undefined) return undefined;
  const known = new Set(TEACHER_CONTROLS.map((c) => c.id));
  return new Set(
    decodeURIComponent(raw)
      .split(',')
      .filter((id) => known.has(id)),
  );
}
