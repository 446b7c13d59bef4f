import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/train-child.ts', 'src/profile.ts', 'src/readme-table.ts'],
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
  // tfjs is loaded at run time from node_modules (its wasm backend finds its .wasm files beside its own module).
  external: [/^@tensorflow\//],
});
