/**
 * Checks every internal link of the built site (.vitepress/dist): the page must exist and, where the link has a
 * `#anchor`, the page must have an element with that id. VitePress' own dead-link check covers pages but not
 * anchors, and the API reference's anchors (`/api/@backprop/autograd#gradcheck`) exist only after typedoc ran, so
 * `pnpm docs:build` runs this last, on the HTML that is shipped. Exits 1 listing every dead link.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface DeadLink {
  /** The page holding the link, relative to the dist folder. */
  page: string;
  href: string;
  reason: 'no such page' | 'no such anchor';
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? htmlFiles(join(dir, e.name)) : e.name.endsWith('.html') ? [join(dir, e.name)] : [],
  );
}

/** The site path a built file is served at, with VitePress' clean URLs: `guide/a.html` → `/guide/a`. */
function urlOf(file: string): string {
  return `/${file.replace(/\\/g, '/')}`.replace(/(^|\/)index\.html$/, '$1').replace(/\.html$/, '');
}

/** The built file a site path is served from, if any: `/guide/a` → `guide/a.html`, `/api/` → `api/index.html`. */
function fileOf(path: string, files: Set<string>): string | undefined {
  const p = decodeURIComponent(path).replace(/^\//, '');
  const candidates = p === '' || p.endsWith('/') ? [`${p}index.html`] : [`${p}.html`, p, `${p}/index.html`];
  return candidates.find((c) => files.has(c));
}

const idsOf = (html: string): Set<string> =>
  new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&')));

/** Every dead internal `<a href>` of the site built into `dist`. */
export function deadLinks(dist: string): DeadLink[] {
  const pages = new Map(
    htmlFiles(dist).map((f) => [relative(dist, f).replace(/\\/g, '/'), readFileSync(f, 'utf8')]),
  );
  const files = new Set(pages.keys());
  const ids = new Map<string, Set<string>>();
  const idsIn = (file: string) => ids.get(file) ?? ids.set(file, idsOf(pages.get(file)!)).get(file)!;
  const dead: DeadLink[] = [];
  for (const [page, html] of pages) {
    for (const m of html.matchAll(/<a\s[^>]*?href="([^"]*)"/g)) {
      const href = m[1]!.replace(/&amp;/g, '&');
      if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) continue; // external
      // Resolved as the browser resolves it, against the URL the page is served at.
      const url = new URL(href, `http://site${urlOf(page)}`);
      const target = fileOf(url.pathname, files);
      const hash = decodeURIComponent(url.hash.slice(1));
      if (!target) dead.push({ page, href, reason: 'no such page' });
      else if (hash && !idsIn(target).has(hash)) dead.push({ page, href, reason: 'no such anchor' });
    }
  }
  return dead;
}

/**
 * Links inside the generated package pages (api/@backprop/**) that typedoc-plugin-markdown wrote itself: it
 * numbers duplicate anchors (`#tensorinfo-1`) its own way, which VitePress' heading ids do not always match. Those
 * are reported, but only the links we write (every other page, the API index included) fail the build.
 */
export const isGenerated = (d: DeadLink): boolean => d.page.startsWith('api/@backprop/');

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dist = join(dirname(fileURLToPath(import.meta.url)), '..', '.vitepress', 'dist');
  if (!existsSync(dist)) throw new Error(`check-links: ${dist} is missing: run vitepress build first`);
  const dead = deadLinks(dist);
  const ours = dead.filter((d) => !isGenerated(d));
  const generated = dead.length - ours.length;
  for (const d of ours) console.error(`check-links: ${d.page}: ${d.href} (${d.reason})`);
  if (generated > 0)
    console.warn(
      `check-links: ${generated} anchor(s) inside typedoc's own pages do not resolve (not ours to fix)`,
    );
  if (ours.length > 0) process.exit(1);
  console.log(`check-links: every link of the guides, how-tos and API index resolves, anchors included`);
}
