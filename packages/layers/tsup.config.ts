import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  // TS 6 deprecates the baseUrl that tsup's dts step sets internally.
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // Keep `node:` on the dynamic imports of Node built-ins so browser bundlers do not look for npm packages.
  removeNodeProtocol: false,
});
