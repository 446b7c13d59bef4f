import { spawnSync } from 'node:child_process';

// Debian's python3 (with python3-torch / python3-onnx from apt); the pyenv python first on PATH does not see them.
const PYTHON = '/usr/bin/python3';

/** Whether Debian's python has every module named (e.g. 'torch'); tests needing them skip otherwise. */
export function pythonHas(...modules: string[]): boolean {
  // find_spec locates a module without importing it: importing torch alone takes seconds.
  const check = `import importlib.util, sys; sys.exit(0 if all(importlib.util.find_spec(m) for m in ${JSON.stringify(modules)}) else 1)`;
  const r = spawnSync(PYTHON, ['-c', check], { stdio: 'ignore' });
  return r.status === 0;
}

/** Runs a Python script with arguments; returns stdout, or throws with stderr. */
export function runPython(script: string, args: string[] = []): string {
  const r = spawnSync(PYTHON, ['-c', script, ...args], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`python failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}
