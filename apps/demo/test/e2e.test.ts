/**
 * The built playground (dist/web) in Debian's Chromium, driven by playwright-core: every experiment is started
 * with its button, trained for its fixed number of steps, and checked against what its lesson says.
 * Screenshots go to apps/demo/screenshots/ for review. Skipped where /usr/bin/chromium is absent (CI installs it).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPERIMENTS } from '../src/playground/experiments';
import type { RunStats } from './expectations';
import { failedExpectations, firstToLastGradRatio } from './expectations';

const CHROMIUM = '/usr/bin/chromium';
const root = join(import.meta.dirname, '..');
const site = join(root, 'dist', 'web');
const shots = join(root, 'screenshots');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
};

/** A static file server for dist/web (module scripts do not load from file:// URLs). */
function serve(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(
      /^([/\\])+/,
      '',
    );
    const file = join(site, path === '' ? 'index.html' : path);
    if (!file.startsWith(site)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) =>
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/` });
    }),
  );
}

interface PageStats {
  step: number;
  batchLosses: number[];
  gradNorms: number[][];
  evals: { step: number; trainLoss: number; testLoss: number; testAcc: number }[];
  nonFinite: { step: number; layer: string } | undefined;
}

const stats = (page: Page): Promise<PageStats> => page.evaluate(() => window.playground.stats());

describe.skipIf(!existsSync(CHROMIUM))('playground in Chromium', () => {
  let browser: Browser;
  let server: Server;
  let url: string;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(site, 'index.html')))
      throw new Error('dist/web is missing: run `pnpm run build` first');
    await mkdir(shots, { recursive: true });
    ({ server, url } = await serve());
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--headless',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // playwright gives every launch a fresh temporary profile (the --user-data-dir TOOLCHAIN.md asks for).
      ],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(url);
    await page.waitForFunction(() => typeof window.playground === 'object');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it('loads with the default spiral and trains with Play and Step', async () => {
    expect(await page.locator('#experiment-list button').count()).toBe(EXPERIMENTS.length);
    await page.click('#step');
    await page.click('#step');
    expect((await stats(page)).step).toBe(2);
    await page.screenshot({ path: join(shots, 'playground.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  for (const e of EXPERIMENTS) {
    it(`experiment "${e.title}" shows ${e.expect.join(' + ')}`, async () => {
      await page.click(`button[data-experiment="${e.id}"]`);
      await page.waitForFunction(() => document.body.dataset.done === 'true', undefined, {
        timeout: 60_000,
        polling: 100,
      });
      const s = await stats(page);
      const diverged = s.nonFinite !== undefined;
      expect(diverged || s.step === e.steps).toBe(true);
      const run: RunStats = {
        batchLosses: s.batchLosses,
        gradNorms: s.gradNorms,
        initialLoss: s.evals[0]!.trainLoss,
        finalLoss: s.evals.at(-1)!.trainLoss,
        nonFinite: s.nonFinite,
      };
      expect(s.evals[0]!.step).toBe(0);
      expect(s.evals.at(-1)!.step).toBe(s.step);
      expect(failedExpectations(run, e.expect)).toEqual([]);
      // The page says so too: the NaN banner exactly when training blew up, the explanation on screen.
      expect(await page.locator('#nan').isVisible()).toBe(diverged);
      if (diverged)
        expect(await page.locator('#nan').textContent()).toMatch(/first NaN\/Inf appeared at step \d+ in /);
      expect(await page.locator('#explanation').textContent()).toContain(e.explanation.slice(0, 40));
      if (e.id === 'sigmoid-vanishes') expect(firstToLastGradRatio(run)).toBeLessThan(1e-3);
      if (e.id === 'relu-he') expect(firstToLastGradRatio(run)).toBeGreaterThan(0.1);
      await page.screenshot({ path: join(shots, `experiment-${e.id}.png`), fullPage: true });
      expect(errors).toEqual([]);
    }, 90_000);
  }

  it('steps through backprop for one sample, matching the tensor engine', async () => {
    await page.click('#bp-next');
    await page.click('#bp-next');
    expect(await page.locator('#bp-graph tr.current td').first().textContent()).toBeTruthy();
    const maxDiff = Number(await page.locator('#bp-graph').getAttribute('data-max-diff'));
    expect(maxDiff).toBeLessThan(1e-4);
    await page.click('#bp-all');
    expect(await page.locator('#bp-graph td:has-text("?")').count()).toBe(0);
  });

  it('trains the digits classifier in the page and guesses a drawn digit', { timeout: 60_000 }, async () => {
    await page.click('#digits-train');
    await page.waitForFunction(
      () => document.getElementById('digits')!.dataset.testAccuracy !== undefined,
      undefined,
      {
        timeout: 50_000,
      },
    );
    expect(Number(await page.locator('#digits').getAttribute('data-test-accuracy'))).toBeGreaterThan(0.9);
    await page.locator('#draw').scrollIntoViewIfNeeded();
    const box = (await page.locator('#draw').boundingBox())!;
    // A vertical stroke: a "1".
    await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.15);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++)
      await page.mouse.move(box.x + box.width / 2, box.y + box.height * (0.15 + 0.07 * i));
    await page.mouse.up();
    expect(await page.locator('#digits').getAttribute('data-guess')).toBe('1');
    expect(await page.locator('#digits-bars .bar').count()).toBe(10);
    await page.locator('#digits').screenshot({ path: join(shots, 'digits.png') });
  });

  it('trains on the user’s own CSV, with more than two classes', { timeout: 30_000 }, async () => {
    const rows = ['x,y,label'];
    for (let i = 0; i < 90; i++)
      rows.push(`${(i % 3) * 5 + Math.sin(i)},${(i % 3) * -3 + Math.cos(i)},${i % 3}`);
    await page.setInputFiles('#csv', {
      name: 'mine.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(rows.join('\n')),
    });
    await page.waitForFunction(() =>
      document.getElementById('status')!.textContent.includes('mine.csv: 90 points'),
    );
    for (let i = 0; i < 30; i++) await page.click('#step');
    const s = await stats(page);
    expect(s.step).toBe(30);
    expect(s.evals.at(-1)!.trainLoss).toBeLessThan(s.evals[0]!.trainLoss);
    await page.selectOption('#dataset', 'spiral'); // back to built-in data
  });

  it('teacher mode enlarges the text and hides the editor', async () => {
    await page.check('#teacher');
    expect(await page.locator('#backprop-view').isVisible()).toBe(false);
    await page.screenshot({ path: join(shots, 'teacher.png') });
    await page.uncheck('#teacher');
    expect(await page.locator('#backprop-view').isVisible()).toBe(true);
  });

  it('keeps the configuration in the URL', async () => {
    await page.selectOption('#dataset', 'xor');
    const hash = await page.evaluate(() => location.hash);
    expect(decodeURIComponent(hash)).toContain('"dataset":"xor"');
    const other = await browser.newPage();
    await other.goto(`${url}${hash}`);
    expect(await other.locator('#dataset').inputValue()).toBe('xor');
    await other.close();
  });

  it('fits a phone-sized screen without sideways scrolling', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await phone.goto(url);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await phone.screenshot({ path: join(shots, 'phone.png'), fullPage: false });
    expect(errors).toEqual([]);
    await phone.close();
  });

  it('is keyboard driven: space plays and pauses, s steps', { timeout: 60_000 }, async () => {
    await page.click('button[data-experiment="minibatch-gd"]');
    await page.waitForFunction(() => document.body.dataset.done === 'true');
    await page.locator('body').focus();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const before = (await stats(page)).step;
    await page.keyboard.press('s');
    expect((await stats(page)).step).toBe(before + 1);
    await page.keyboard.press(' ');
    await page.waitForFunction((b) => window.playground.stats().step > b + 5, before + 1);
    await page.keyboard.press(' ');
    expect(await page.locator('#play').getAttribute('aria-pressed')).toBe('false');
  });
});
