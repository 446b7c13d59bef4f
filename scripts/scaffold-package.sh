#!/usr/bin/env bash
# Creates a publishable workspace package with the layout every package here shares.
# usage: scripts/scaffold-package.sh <dir-name> <npm-name> "<description>" [dep ...]
set -euo pipefail
short=$1; dir=packages/$1; name=$2; desc=$3; shift 3
mkdir -p "$dir/src"
deps=""
for d in "$@"; do deps="$deps\"$d\": \"workspace:*\","; done
deps=${deps%,}
cat > "$dir/package.json" <<JSON
{
  "name": "$name",
  "version": "0.0.0",
  "description": "$desc",
  "license": "MIT",
  "type": "module",
  "sideEffects": false,
  "engines": { "node": ">=20" },
  "main": "./dist/index.cjs",
  "module": "./dist/index.js",
  "types": "./dist/index.d.cts",
  "exports": {
    ".": {
      "import": { "types": "./dist/index.d.ts", "default": "./dist/index.js" },
      "require": { "types": "./dist/index.d.cts", "default": "./dist/index.cjs" }
    },
    "./package.json": "./package.json"
  },
  "files": ["dist", "README.md"],
  "scripts": {
    "build": "tsup",
    "test": "vitest run --passWithNoTests --reporter=default --reporter=json --outputFile.json=.vitest/report.json",
    "test:pack": "publint --strict && attw --pack . --quiet",
    "lint": "eslint .",
    "typecheck": "tsc -p tsconfig.json"
  },
  "dependencies": { $deps }
}
JSON
cat > "$dir/tsup.config.ts" <<'TS'
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  // TS 6 deprecates the baseUrl that tsup's dts step sets internally.
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
TS
cat > "$dir/tsconfig.json" <<'TS'
{
  "extends": "../../tsconfig.base.json",
  "include": ["src", "test", "*.ts"]
}
TS
cat > "$dir/vitest.config.ts" <<TS
import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '$short',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
TS
[ -f "$dir/src/index.ts" ] || echo "export {};" > "$dir/src/index.ts"
