import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { defineConfig } from 'vite';
import { mnistSubsetFiles } from './mnist-subset';

/** Serves (dev) and emits (build) the MNIST subset the MNIST tab trains on, as ./mnist/*.gz next to the page. */
function mnistSubset(): Plugin {
  let files: Map<string, Uint8Array> | undefined;
  const get = (): Map<string, Uint8Array> => (files ??= mnistSubsetFiles());
  return {
    name: 'backprop-mnist-subset',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const name = /\/mnist\/([\w.-]+)$/.exec(req.url ?? '')?.[1];
        const body = name ? get().get(name) : undefined;
        if (!body) return next();
        res.setHeader('content-type', 'application/octet-stream');
        res.end(body);
      });
    },
    generateBundle() {
      for (const [name, source] of get()) this.emitFile({ type: 'asset', fileName: `mnist/${name}`, source });
    },
  };
}

// The playground lives in src/web (so turbo's build inputs, src/**, cover it) and builds to dist/web.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [mnistSubset()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
  },
});
