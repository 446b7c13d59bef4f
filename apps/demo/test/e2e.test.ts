/**
 * The built playground (dist/web) in Debian's Chromium, driven by playwright-core: every experiment is started
 * with its button, trained for its fixed number of steps, and checked against what its lesson says; then the
 * pictures, the step-by-step view, export, teacher mode, the MNIST tab, the keyboard and the phone layout.
 * Screenshots go to apps/demo/.screenshots/ (git-ignored) for review; `pnpm --filter @backprop/demo screenshots`
 * sets BACKPROP_SCREENSHOTS=screenshots to refresh the committed ones the README shows. Skipped where
 * /usr/bin/chromium is absent (CI installs it).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { layers, noGrad, softmax, tensor } from 'backprop';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPERIMENTS } from '../src/playground/experiments';
import type { RunStats } from './expectations';
import { failedExpectations, firstToLastGradRatio } from './expectations';

const CHROMIUM = '/usr/bin/chromium';
const root = join(import.meta.dirname, '..');
const site = join(root, 'dist', 'web');
const shots = resolve(root, process.env.BACKPROP_SCREENSHOTS ?? '.screenshots');
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
  evals: { step: number; trainLoss: number; trainAcc: number; testLoss: number; testAcc: number }[];
  nonFinite: { step: number; layer: string } | undefined;
}

const stats = (page: Page): Promise<PageStats> => page.evaluate(() => window.playground.stats());

/** Per canvas matching `selector`: how many pixels are drawn (opaque and not near-white). */
const inkedPixels = (page: Page, selector: string): Promise<number[]> =>
  page.evaluate(
    (sel) =>
      [...document.querySelectorAll<HTMLCanvasElement>(sel)].map((c) => {
        const ctx = c.getContext('2d');
        if (!ctx || c.width === 0 || c.height === 0) return 0;
        const d = ctx.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4)
          if (d[i + 3]! > 0 && (d[i]! < 235 || d[i + 1]! < 235 || d[i + 2]! < 235)) n++;
        return n;
      }),
    selector,
  );

/** A fingerprint of a canvas's pixels, to tell whether it was redrawn differently. */
const canvasHash = (page: Page, selector: string): Promise<string> =>
  page.evaluate((sel) => document.querySelector<HTMLCanvasElement>(sel)!.toDataURL(), selector);

/** Mean |change| of the batch loss from one step to the next. */
const roughness = (l: number[]): number =>
  l.slice(1).reduce((s, v, i) => s + Math.abs(v - l[i]!), 0) / (l.length - 1);

describe.skipIf(!existsSync(CHROMIUM))('playground in Chromium', () => {
  let browser: Browser;
  let server: Server;
  let url: string;
  let page: Page;
  const errors: string[] = [];
  const runs = new Map<string, PageStats>();

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
    expect(await page.getAttribute('html', 'data-backend')).toBe('wasm'); // Chromium validates SIMD
    await page.click('#step');
    await page.click('#step');
    expect((await stats(page)).step).toBe(2);
    await page.screenshot({ path: join(shots, 'playground.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('draws the boundary, the network, the histograms and every chart (no blank canvas)', async () => {
    const [boundary] = await inkedPixels(page, '#boundary');
    expect(boundary).toBeGreaterThan(0.5 * 300 * 300); // every cell is tinted by its class
    const [network] = await inkedPixels(page, '#network');
    expect(network).toBeGreaterThan(1000);
    const [hist] = await inkedPixels(page, '#histograms');
    expect(hist).toBeGreaterThan(500);
    const charts = await inkedPixels(page, '.charts canvas');
    expect(charts.length).toBe(4);
    for (const c of charts) expect(c).toBeGreaterThan(200); // axes, grid and at least one series
  });

  it('maps a hovered unit’s output over the plane, and goes back to the boundary on leaving', async () => {
    const before = await canvasHash(page, '#boundary');
    const box = (await page.locator('#network').boundingBox())!;
    // The first hidden layer's first unit, where drawNetwork puts it (canvas and CSS pixels agree here).
    const at = await page.evaluate(() => {
      const c = document.getElementById('network') as HTMLCanvasElement;
      const n = 16;
      const gap = Math.min(22, (c.height - 30) / n);
      return { x: 24 + (c.width - 48) / 3, y: c.height / 2 + (0 - (n - 1) / 2) * gap };
    });
    await page.mouse.move(box.x + at.x, box.y + at.y);
    expect(await page.getAttribute('#boundary', 'data-showing')).toBe('unit 1,0');
    expect(await canvasHash(page, '#boundary')).not.toBe(before);
    await page.mouse.move(box.x + box.width + 50, box.y);
    expect(await page.getAttribute('#boundary', 'data-showing')).toBe('output');
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
      runs.set(e.id, s);
      await page.screenshot({ path: join(shots, `experiment-${e.id}.png`), fullPage: true });
      expect(errors).toEqual([]);
    }, 90_000);
  }

  it('batch size: stochastic descent’s batch loss is far noisier than batch descent’s', () => {
    const sgd = runs.get('stochastic-gd')!;
    const batch = runs.get('batch-gd')!;
    expect(roughness(sgd.batchLosses)).toBeGreaterThan(10 * roughness(batch.batchLosses));
  });

  it('loss: cross-entropy ends more accurate than MSE with the same network and steps', () => {
    const ce = runs.get('crossentropy')!.evals.at(-1)!;
    const mse = runs.get('mse')!.evals.at(-1)!;
    expect(ce.trainAcc).toBeGreaterThan(mse.trainAcc + 0.05);
  });

  it('steps through backprop layer by layer for the whole network, matching the tensor engine', async () => {
    // The page is on the cross-entropy experiment: 2 → 16 → 16 → 3.
    await page.click('#bp-next');
    expect(await page.getAttribute('#bp-graph', 'data-stage')).toBe('1');
    expect(await page.locator('#bp-graph .bp-layer.current').getAttribute('data-layer')).toBe('1');
    const stages = Number(await page.getAttribute('#bp-graph', 'data-stages'));
    expect(stages).toBe(2 * 4); // input + 3 layers forward, the loss, then back to the input
    for (let i = 1; i < 4; i++) await page.click('#bp-next'); // forward through the output, then the loss
    expect(await page.locator('#bp-graph .bp-loss').getAttribute('class')).toContain('current');
    expect(await page.locator('#bp-graph td:has-text("?")').count()).toBeGreaterThan(0);
    await page.click('#bp-next'); // the output layer's gradients
    expect(await page.locator('#bp-graph .bp-layer.current').getAttribute('data-layer')).toBe('3');
    const maxDiff = Number(await page.getAttribute('#bp-graph', 'data-max-diff'));
    expect(maxDiff).toBeLessThan(1e-4);
    await page.click('#bp-all');
    expect(await page.locator('#bp-graph td:has-text("?")').count()).toBe(0);
    expect(await page.locator('#bp-graph td:has-text("…")').count()).toBe(0);
    await page.locator('#backprop-view').screenshot({ path: join(shots, 'backprop.png') });
  });

  it('shows a notice, not NaN tables, in the step-by-step view after training blew up', async () => {
    await page.click('button[data-experiment="large-init-explodes"]');
    await page.waitForFunction(() => document.body.dataset.done === 'true');
    expect(await page.getAttribute('#bp-graph', 'data-notice')).toBe('non-finite');
    expect(await page.locator('#bp-intro').textContent()).toMatch(/NaN\/Inf at step \d+/);
    expect(await page.locator('#bp-graph table').count()).toBe(0);
  });

  it('reset rebuilds the same seeded network at step 0', async () => {
    await page.click('button[data-experiment="minibatch-gd"]');
    await page.waitForFunction(() => document.body.dataset.done === 'true');
    const trained = await stats(page);
    expect(trained.step).toBe(100);
    await page.click('#reset');
    const fresh = await stats(page);
    expect(fresh.step).toBe(0);
    expect(fresh.evals).toHaveLength(1);
    expect(fresh.evals[0]!.trainLoss).toBe(trained.evals[0]!.trainLoss); // same seed, same start
    expect(await page.locator('#explanation').textContent()).toContain('batch of 32'); // still the experiment
  });

  it('exports the model in the persistence format, which loadModel reads back', async () => {
    for (let i = 0; i < 5; i++) await page.click('#step');
    const downloads: { name: string; path: string }[] = [];
    const dir = await mkdtemp(join(tmpdir(), 'demo-export-'));
    const got = new Promise<void>((done) =>
      page.on('download', (d) => {
        const path = join(dir, d.suggestedFilename());
        void d.saveAs(path).then(() => {
          downloads.push({ name: d.suggestedFilename(), path });
          if (downloads.length === 2) done();
        });
      }),
    );
    await page.click('#export');
    await got;
    expect(downloads.map((d) => d.name).sort()).toEqual([
      'playground-model.json',
      'playground-model.weights.safetensors',
    ]);
    const file = (n: string): string => downloads.find((d) => d.name === n)!.path;
    const modelJson = JSON.parse(await readFile(file('playground-model.json'), 'utf8')) as {
      files: { weights: { path: string } };
    };
    expect(modelJson.files.weights.path).toBe('playground-model.weights.safetensors');
    const model = await layers.loadModel({
      modelJson: modelJson as never,
      weights: new Uint8Array(await readFile(file('playground-model.weights.safetensors'))),
    });
    const points: [number, number][] = [
      [0.1, 0.2],
      [-0.7, 0.4],
      [0.9, -0.9],
    ];
    const inPage = await page.evaluate((p) => window.playground.predict(p), points);
    const inNode = noGrad(() => {
      const p = softmax(model.predict(tensor(points.flat(), [3, 2])), -1);
      return Array.from(p.dataSync());
    });
    // The same weights on the page's wasm backend and Node's default: float32 rounding apart.
    inPage.flat().forEach((v, i) => expect(v).toBeCloseTo(inNode[i]!, 4));
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

  it(
    'teacher mode hides the controls the teacher ticks, and the URL remembers them',
    { timeout: 90_000 },
    async () => {
      await page.click('button[data-experiment="relu-he"]');
      await page.waitForFunction(() => document.body.dataset.done === 'true', undefined, { timeout: 60_000 });
      await page.check('#teacher');
      expect(await page.locator('#teacher-panel').isVisible()).toBe(true);
      // Hidden by default: the network editor and the step-by-step view.
      expect(await page.locator('[data-control="layers"]').isVisible()).toBe(false);
      expect(await page.locator('#backprop-view').isVisible()).toBe(false);
      expect(await page.locator('#lr').isVisible()).toBe(true);
      await page.locator('#teacher-panel summary').click();
      await page.check('#teacher-choices input[value="lr"]');
      await page.check('#teacher-choices input[value="seed"]');
      await page.uncheck('#teacher-choices input[value="backprop"]');
      expect(await page.locator('#lr').isVisible()).toBe(false);
      expect(await page.locator('#backprop-view').isVisible()).toBe(true);
      const hash = await page.evaluate(() => location.hash);
      expect(hash).toMatch(/teacher=[\w,]*lr/);
      await page.locator('#teacher-panel summary').click(); // fold the choices away for the picture
      await page.screenshot({ path: join(shots, 'teacher.png') });
      const other = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await other.goto(`${url}${hash}`);
      expect(await other.locator('#teacher').isChecked()).toBe(true);
      expect(await other.locator('#lr').isVisible()).toBe(false);
      expect(await other.locator('#seed').isVisible()).toBe(false);
      expect(await other.locator('[data-control="layers"]').isVisible()).toBe(false);
      expect(await other.locator('#backprop-view').isVisible()).toBe(true);
      await other.close();
      await page.uncheck('#teacher');
      expect(await page.locator('#lr').isVisible()).toBe(true);
      expect(await page.locator('[data-control="layers"]').isVisible()).toBe(true);
      expect(await page.evaluate(() => location.hash)).not.toContain('teacher=');
    },
  );

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

  it('reaches every control with Tab, in reading order', async () => {
    if (await page.locator('#teacher').isChecked()) await page.uncheck('#teacher');
    // From the first control on the page (the selected tab; the other tab is reached with the arrow keys).
    await page.focus('#tab-playground');
    const seen: string[] = ['tab-playground'];
    for (let i = 0; i < 120; i++) {
      await page.keyboard.press('Tab');
      const id = await page.evaluate(() => {
        const a = document.activeElement as HTMLElement | null;
        return a?.id || a?.dataset.experiment || a?.getAttribute('aria-label') || a?.tagName || '';
      });
      seen.push(id);
    }
    const want = [
      'tab-playground',
      'teacher',
      'dataset',
      'noise',
      'csv',
      'add-layer',
      'initializer',
      'batchNorm',
      'optimizer',
      'lr',
      'batchSize',
      'loss',
      'clip',
      'seed',
      'play',
      'step',
      'reset',
      'export',
      'sigmoid-vanishes',
      'crossentropy',
      'bp-sample',
      'bp-next',
      'bp-all',
    ];
    for (const w of want) expect(seen, w).toContain(w);
    const order = want.map((w) => seen.indexOf(w));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // The tab list moves with the arrow keys.
    await page.focus('#tab-playground');
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-mnist');
    expect(await page.locator('#panel-mnist').isVisible()).toBe(true);
    await page.keyboard.press('ArrowLeft');
    expect(await page.locator('#panel-playground').isVisible()).toBe(true);
  });

  it(
    'MNIST tab: trains on real MNIST images on the wasm backend to over 93% and reads a drawn digit',
    { timeout: 90_000 },
    async () => {
      await page.click('#tab-mnist');
      expect(await page.evaluate(() => location.hash)).toContain('tab=mnist');
      await page.click('#mnist-train');
      await page.waitForFunction(
        () => document.getElementById('panel-mnist')!.dataset.testAccuracy !== undefined,
        undefined,
        { timeout: 80_000 },
      );
      expect(await page.getAttribute('#panel-mnist', 'data-backend')).toBe('wasm');
      expect(Number(await page.getAttribute('#panel-mnist', 'data-test-accuracy'))).toBeGreaterThan(0.93);
      const box = (await page.locator('#draw').boundingBox())!;
      // A vertical stroke: a "1".
      await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.15);
      await page.mouse.down();
      for (let i = 1; i <= 10; i++)
        await page.mouse.move(box.x + box.width / 2, box.y + box.height * (0.15 + 0.07 * i));
      await page.mouse.up();
      expect(await page.getAttribute('#panel-mnist', 'data-guess')).toBe('1');
      expect(await page.locator('#mnist-bars .bar').count()).toBe(10);
      const [preview] = await inkedPixels(page, '#draw-preview');
      expect(preview).toBeGreaterThan(100);
      await page.screenshot({ path: join(shots, 'mnist.png') });
      await page.click('#tab-playground');
      expect(errors).toEqual([]);
    },
  );

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
