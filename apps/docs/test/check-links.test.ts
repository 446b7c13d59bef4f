import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deadLinks, isGenerated } from '../scripts/check-links';

// A tiny built site, laid out as VitePress writes one with clean URLs.
const dist = mkdtempSync(join(tmpdir(), 'docs-links-'));
const page = (file: string, body: string) => {
  mkdirSync(dirname(join(dist, file)), { recursive: true });
  writeFileSync(join(dist, file), `<html><body>${body}</body></html>`);
};
page('index.html', '<a href="/guide/a">a</a> <a href="https://example.com/#nothing">out</a>');
page(
  'guide/a.html',
  [
    '<h2 id="setup">Setup</h2>',
    '<a href="./b#usage">relative, good anchor</a>',
    '<a href="../api/@backprop/autograd#gradcheck">api, good anchor</a>',
    '<a href="/api/">api index</a>',
    '<a href="#setup">same page</a>',
    '<a href="/api/@backprop/autograd#gradchek">misspelt anchor</a>',
    '<a href="/guide/missing">missing page</a>',
    '<a href="#nowhere">missing anchor here</a>',
  ].join('\n'),
);
page('guide/b.html', '<h2 id="usage">Usage</h2>');
page('api/index.html', '<a href="./@backprop/autograd">autograd</a>');
page('api/@backprop/autograd.html', '<h3 id="gradcheck">gradcheck()</h3>');
afterAll(() => rmSync(dist, { recursive: true, force: true }));

describe('deadLinks', () => {
  it('finds exactly the links whose page or anchor does not exist, and skips external ones', () => {
    expect(deadLinks(dist)).toEqual([
      { page: 'guide/a.html', href: '/api/@backprop/autograd#gradchek', reason: 'no such anchor' },
      { page: 'guide/a.html', href: '/guide/missing', reason: 'no such page' },
      { page: 'guide/a.html', href: '#nowhere', reason: 'no such anchor' },
    ]);
  });
});

describe('isGenerated', () => {
  it("tells typedoc's package pages from the pages we write, the API index included", () => {
    const at = (page: string) => isGenerated({ page, href: '#x', reason: 'no such anchor' });
    expect([at('api/@backprop/layers.html'), at('api/@backprop/core-tensor/index.html')]).toEqual([
      true,
      true,
    ]);
    expect([at('api/index.html'), at('guide/a.html'), at('index.html')]).toEqual([false, false, false]);
  });
});
