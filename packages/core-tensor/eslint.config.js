// The root config plus one ignore: assembly/ is AssemblyScript (decorators on functions, v128 types), compiled by
// scripts/build-wasm.mjs with its own tsconfig, not TypeScript that ESLint's parser accepts.
import root from '../../eslint.config.js';

export default [{ ignores: ['assembly/**'] }, ...root];
