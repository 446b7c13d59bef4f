import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Backend, BackendData, OpObserver, TensorInfo } from './index';
import {
  ArgumentError,
  createJsBackend,
  getBackend,
  getBackendName,
  listBackends,
  logSoftmax,
  registerBackend,
  setBackend,
  setObserver,
  softmax,
  tensor,
  wasmSimdSupported,
} from './index';
import { defaultBackendName } from './backend';
import { expectClose } from './testing/assert';

/** The js backend plus counting fused softmax kernels (computed row by row, as a real fused kernel would). */
function fusedBackend(calls: string[]): Backend {
  const js = createJsBackend();
  const rowwise =
    (name: string, log: boolean) =>
    (x: TensorInfo): BackendData => {
      calls.push(name);
      const v = js.readSync(x.data);
      const n = x.shape[x.shape.length - 1]!;
      const out = new Float64Array(v.length);
      for (let r = 0; r < v.length; r += n) {
        const row = Array.from(v.subarray(r, r + n));
        const m = Math.max(...row);
        const z = row.reduce((s, u) => s + Math.exp(u - m), 0);
        row.forEach((u, i) => (out[r + i] = log ? u - m - Math.log(z) : Math.exp(u - m) / z));
      }
      const typed = x.dtype === 'float32' ? Float32Array.from(out) : out;
      return js.fromArray(typed, x.dtype);
    };
  return {
    ...js,
    name: 'js-fused',
    fused: { softmax: rowwise('softmax', false), logSoftmax: rowwise('logSoftmax', true) },
  };
}

afterEach(() => {
  setObserver(undefined);
  setBackend('js');
});

describe('backend registry', () => {
  it('chooses the default by priority and passes over a backend whose factory fails', async () => {
    // A fresh copy of the registry module, so nothing registered or selected elsewhere interferes.
    vi.resetModules();
    const fresh = await import('./backend');
    expect(() => fresh.getBackend()).toThrow(/no backend is registered/);
    fresh.registerBackend('plain', () => ({ ...createJsBackend(), name: 'plain' }));
    fresh.registerBackend(
      'broken',
      () => {
        throw new Error('no engine support');
      },
      { priority: 100 },
    );
    fresh.registerBackend('preferred', () => ({ ...createJsBackend(), name: 'preferred' }), { priority: 50 });
    // Re-registering without options keeps the priority it had.
    fresh.registerBackend('preferred', () => ({ ...createJsBackend(), name: 'preferred' }));
    expect(fresh.defaultBackendName()).toBe('broken');
    expect(fresh.getBackend().name).toBe('preferred');
    expect(fresh.getBackendName()).toBe('preferred');
  });

  it('starts on wasm where WebAssembly SIMD exists, lists registered backends and switches by name', () => {
    expect(listBackends()).toEqual(expect.arrayContaining(['js', 'wasm']));
    expect(defaultBackendName()).toBe(wasmSimdSupported() ? 'wasm' : 'js');
    setBackend('js');
    expect(getBackendName()).toBe('js');
    expect(getBackend().name).toBe('js');
    expect(getBackend().dtypes).toEqual(['float32', 'float64', 'int32', 'bool']);
    registerBackend('js-copy', createJsBackend);
    expect(listBackends()).toContain('js-copy');
    const b = setBackend('js-copy');
    expect(getBackend()).toBe(b);
    expect(getBackendName()).toBe('js-copy');
    expect(setBackend('js-copy')).toBe(b); // one instance per name
  });

  it('registerBackend refuses a name, factory or priority it could not use, with an ArgumentError', () => {
    const before = listBackends();
    const reg = registerBackend as (name: unknown, factory: unknown, options?: unknown) => void;
    expect(() => reg(42, () => createJsBackend())).toThrow(
      'registerBackend: name must be a non-empty string, got 42',
    );
    expect(() => reg('', () => createJsBackend())).toThrow(ArgumentError);
    expect(() => reg('x', createJsBackend())).toThrow(
      'registerBackend: factory for "x" must be a function returning a Backend',
    );
    expect(() => reg('x', () => createJsBackend(), { priority: NaN })).toThrow(
      'registerBackend: priority for "x" must be a finite number, got NaN',
    );
    expect(listBackends()).toEqual(before);
  });

  it('uses tensors made on another backend by copying them over', () => {
    const a = tensor([1, 2]);
    registerBackend('other', createJsBackend);
    setBackend('other');
    const b = tensor([10, 20]);
    const y = a.add(b);
    expect(y.backend.name).toBe('js');
    expect(y.backend).toBe(getBackend());
    expect(a.backend).not.toBe(getBackend());
    expect(y.arraySync()).toEqual([11, 22]);
  });

  it('uses a fused kernel for the last axis when present, and the composed path otherwise', () => {
    const calls: string[] = [];
    registerBackend('js-fused', () => fusedBackend(calls));
    const x = tensor([
      [1, 2, 3],
      [1e4, 0, -1e4],
    ]);
    setBackend('js');
    const composed = [softmax(x).dataSync(), logSoftmax(x).dataSync(), softmax(x, 0).dataSync()];
    setBackend('js-fused');
    expectClose(softmax(x).dataSync(), composed[0]!);
    expectClose(logSoftmax(x).dataSync(), composed[1]!);
    expect(calls).toEqual(['softmax', 'logSoftmax']);
    expectClose(softmax(x, 0).dataSync(), composed[2]!);
    expect(calls).toHaveLength(2);
  });

  it('does not fuse when an observer traces through softmax, but does when it records softmax whole', () => {
    const calls: string[] = [];
    registerBackend('js-fused', () => fusedBackend(calls));
    setBackend('js-fused');
    const seen: string[] = [];
    const tracing: OpObserver = { isAtomic: (n) => n !== 'softmax', onOp: (r) => seen.push(r.name) };
    setObserver(tracing);
    softmax(tensor([1, 2]));
    expect(calls).toEqual([]);
    expect(seen).toContain('exp');
    const whole: OpObserver = { isAtomic: () => true, onOp: (r) => seen.push(r.name) };
    setObserver(whole);
    softmax(tensor([1, 2]));
    expect(calls).toEqual(['softmax']);
  });
});
