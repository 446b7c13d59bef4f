/**
 * Runs the guides' experiments with the built packages and writes their plots to public/plots/ (gitignored).
 * `pnpm docs:build` runs it before `vitepress build`; `pnpm --filter @backprop/docs plots` runs it alone.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { plotters, plotsFor } from './plots';

const docs = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(docs, 'public', 'plots');

mkdirSync(outDir, { recursive: true });
const t0 = performance.now();
for (const example of Object.keys(plotters)) {
  const t = performance.now();
  const mod = (await import(pathToFileURL(join(docs, 'examples', `${example}.ts`)).href)) as {
    run(): unknown;
  };
  const files = plotsFor(example, await mod.run());
  for (const [file, svg] of Object.entries(files)) writeFileSync(join(outDir, file), svg);
  console.log(`plots: ${Object.keys(files).join(', ')} (${Math.round(performance.now() - t)} ms)`);
}
console.log(`plots: done in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${outDir}`);
