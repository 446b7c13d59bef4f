import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The playground lives in src/web (so turbo's build inputs, src/**, cover it) and builds to dist/web.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
  },
});
