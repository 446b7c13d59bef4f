// How a docs code block is run: in this process (a ts module), as its own Node process (an .mjs or .cjs script,
// which is how users run the published ESM and CommonJS builds), or bundled by Vite and loaded in Chromium (the
// browser examples). Each returns what the block printed, one string per line, for the `// → ` comparison.
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { root } from './pages';

export const CHROMIUM = '/usr/bin/chromium';

/** Imports a ts module in this process and returns what its console.log calls printed. */
export async function runInProcess(file: string): Promise<string[]> {
  const logs: unknown[][] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => void logs.push(args);
  try {
    await import(pathToFileURL(file).href);
  } finally {
    console.log = original;
  }
  return logs.map((args) => args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
}

/**
 * Runs a plain JavaScript file with `node`, from the docs folder so that `backprop` resolves to the built
 * workspace package exactly as it does in a user's project; returns its stdout lines. Fails on a non-zero exit.
 */
export async function runNode(file: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(process.execPath, [file], { cwd: root, timeout: 60_000 });
  return stdout.split('\n').filter((l) => l !== '');
}

/** Type-checks block files with the repository's compiler options (DOM included); returns the diagnostics. */
export function typecheck(files: string[]): string[] {
  const configFile = ts.findConfigFile(root, (f) => ts.sys.fileExists(f), 'tsconfig.json')!;
  const config = ts.parseJsonConfigFileContent(
    ts.readConfigFile(configFile, (f) => ts.sys.readFile(f)).config,
    ts.sys,
    root,
  );
  const program = ts.createProgram(files, { ...config.options, noEmit: true });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file === undefined || files.includes(d.file.fileName))
    .map((d) => {
      const where = d.file
        ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
        : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
};

/** A static server for a built page (Chromium does not load module scripts from file:// URLs). */
function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
    const file = join(dir, path === '' ? 'index.html' : path);
    if (!file.startsWith(dir)) return void res.writeHead(403).end();
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'text/plain' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      ok({ server, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/` });
    }),
  );
}

/** Chromium, headless, printing the DOM once the page (and its top-level await) has settled. */
function dumpDom(url: string): Promise<{ dom: string; log: string }> {
  const profile = mkdtempSync(join(root, '.vitest', 'chromium-'));
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profile}`,
    '--enable-logging=stderr',
    // Virtual time only advances while the page is idle, so the budget is reached after the training finished.
    '--virtual-time-budget=120000',
    '--dump-dom',
    url,
  ];
  return new Promise((ok, fail) => {
    const child = spawn(CHROMIUM, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let dom = '';
    let log = '';
    child.stdout.on('data', (d: Buffer) => (dom += d.toString()));
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      rmSync(profile, { recursive: true, force: true });
      if (code === 0) ok({ dom, log });
      else fail(new Error(`chromium exited with ${code}:\n${log.slice(-2000)}`));
    });
  });
}

/**
 * Bundles ts code for the browser with Vite (the `browser` export conditions, as a user's Vite app gets them),
 * loads it in Chromium and returns the page's body text, and any uncaught error Chromium logged.
 */
export async function runInChromium(code: string): Promise<{ body: string; errors: string[] }> {
  const { build } = await import('vite');
  // Inside apps/docs, so that `backprop` resolves to the workspace package as in a user's app.
  const dir = mkdtempSync(join(root, '.vitest', 'browser-'));
  try {
    writeFileSync(join(dir, 'main.ts'), code);
    writeFileSync(
      join(dir, 'index.html'),
      '<!doctype html><html><body><script type="module" src="./main.ts"></script></body></html>',
    );
    await build({
      root: dir,
      configFile: false,
      logLevel: 'silent',
      build: { outDir: join(dir, 'dist'), target: 'es2022', minify: false },
    });
    const { server, url } = await serve(join(dir, 'dist'));
    try {
      const { dom, log } = await dumpDom(url);
      const body = /<body>([\s\S]*)<\/body>/.exec(dom)?.[1] ?? '';
      const errors = log.split('\n').filter((l) => /Uncaught|SyntaxError|TypeError/.test(l));
      return { body: body.replace(/<script[\s\S]*?<\/script>/g, '').trim(), errors };
    } finally {
      server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes a block's code to a file under .vitest/blocks and returns its path. */
export function blockFile(name: string, code: string): string {
  const dir = join(root, '.vitest', 'blocks');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, code);
  return file;
}
