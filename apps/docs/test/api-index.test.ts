// The API index (api-index.md, merged into api/index.md by typedoc) says which package each name of the umbrella
// `backprop` comes from, instead of documenting every name twice. Check that statement against the real exports.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as bp from 'backprop';
import { root } from './pages';

const packages: Record<string, Record<string, unknown>> = {
  '@backprop/core-tensor': await import('@backprop/core-tensor'),
  '@backprop/autograd': await import('@backprop/autograd'),
  '@backprop/init': await import('@backprop/init'),
  '@backprop/losses': await import('@backprop/losses'),
  '@backprop/optimizers': await import('@backprop/optimizers'),
  '@backprop/layers': await import('@backprop/layers'),
  '@backprop/data': await import('@backprop/data'),
};

/** The table rows: `| \`ns.name\`, … | \`@backprop/pkg\` | [link](/api/@backprop/pkg) |`, flat or by namespace. */
const rows = readFileSync(join(root, 'api-index.md'), 'utf8')
  .split('\n')
  .flatMap((l) => {
    const m =
      /^\|(.+?)\|\s*`(@backprop\/[\w-]+)`\s*\|\s*\[[^\]]+\]\(\/api\/(@backprop\/[\w-]+)\/?\)\s*\|$/.exec(l);
    if (!m) return [];
    const flat = m[1]!.includes('(flat)');
    const namespace = flat ? undefined : /`(\w+)\./.exec(m[1]!)?.[1];
    return [{ pkg: m[2]!, link: m[3]!, namespace }];
  });

describe('the API index maps the umbrella onto the packages', () => {
  it('lists every package once, linked to its own page', () => {
    expect(rows.map((r) => r.pkg).sort()).toEqual(Object.keys(packages).sort());
    for (const r of rows) expect(r.link).toBe(r.pkg);
  });
  it('each namespace of backprop is that package, export for export', () => {
    const umbrella = bp as unknown as Record<string, Record<string, unknown>>;
    for (const { pkg, namespace } of rows.filter((r) => r.namespace)) {
      const ns = umbrella[namespace!]!;
      expect(Object.keys(ns).sort(), `backprop.${namespace}`).toEqual(Object.keys(packages[pkg]!).sort());
      for (const k of Object.keys(ns)) expect(ns[k], `backprop.${namespace}.${k}`).toBe(packages[pkg]![k]);
    }
  });
  it('every other export of backprop is a flat export of a package marked flat', () => {
    const flat = rows.filter((r) => !r.namespace).map((r) => packages[r.pkg]!);
    const namespaces = new Set(rows.map((r) => r.namespace).filter(Boolean));
    for (const [k, v] of Object.entries(bp)) {
      if (namespaces.has(k)) continue;
      expect(
        flat.some((p) => k in p && p[k] === v),
        `backprop.${k} comes from no flat package`,
      ).toBe(true);
    }
    for (const p of flat) for (const k of Object.keys(p)) expect(k in bp, `backprop lacks ${k}`).toBe(true);
  });
});
