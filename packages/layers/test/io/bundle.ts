import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

/** The package root (where node_modules is), so bundles resolve @backprop/* and externals the way the package does. */
export const PACKAGE_ROOT = join(import.meta.dirname, '..', '..');

/**
 * Bundles TypeScript (our sources included) into one ES module Node 20 can run as a child process, which cannot
 * import .ts itself. Written under node_modules/.cache so externals (native addons) resolve from the package.
 */
export async function bundleForNode(
  source: { entry: string } | { contents: string },
  name: string,
  external: string[] = [],
): Promise<string> {
  const outfile = join(
    PACKAGE_ROOT,
    'node_modules',
    '.cache',
    'backprop-io-tests',
    `${name}-${process.pid}.mjs`,
  );
  await mkdir(dirname(outfile), { recursive: true });
  await build({
    ...('entry' in source
      ? { entryPoints: [source.entry] }
      : {
          stdin: {
            contents: source.contents,
            resolveDir: PACKAGE_ROOT,
            loader: 'ts',
            sourcefile: `${name}.ts`,
          },
        }),
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external,
    logLevel: 'silent',
    // CommonJS dependencies (protobufjs) call require(); an ES module has none unless we make one.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
  return outfile;
}
