import type { Backend, BackendData } from './backend';
import { bytesPerElement } from './dtype';

/**
 * Bookkeeping of live storage. A Storage is one backend buffer, shared by every tensor that views it (reshape
 * shares, it does not copy); it is released when the last such tensor is disposed or collected by the GC.
 */
export class Storage {
  /** Tensors viewing this buffer. */
  refs = 0;
  /** Set once the buffer has been given back to the backend. */
  released = false;
  /** Size of the buffer. */
  readonly bytes: number;
  constructor(
    readonly data: BackendData,
    readonly backend: Backend,
  ) {
    this.bytes = data.size * bytesPerElement(data.dtype);
    live.buffers++;
    live.bytes += this.bytes;
  }
}

const live = { tensors: 0, buffers: 0, bytes: 0 };

/** Live tensors and the storage behind them. Used to prove that memory stays flat during training. */
export interface MemoryInfo {
  /** Tensors neither disposed nor collected. */
  numTensors: number;
  /** Distinct storage buffers those tensors hold (views share one). */
  numBuffers: number;
  /** Bytes in those buffers. */
  numBytes: number;
}

/** Live tensors, buffers and bytes right now (tensors collected by the GC drop out when it runs). */
export function memory(): MemoryInfo {
  return { numTensors: live.tensors, numBuffers: live.buffers, numBytes: live.bytes };
}

function release(storage: Storage): void {
  live.tensors--;
  if (--storage.refs === 0 && !storage.released) {
    storage.released = true;
    live.buffers--;
    live.bytes -= storage.bytes;
    storage.backend.dispose(storage.data);
  }
}

// Tensors the user forgot to dispose are released when the GC collects them. A tensor inside a scope is held by
// the scope's list until the scope ends, so the GC could not collect it anyway: it is registered only when it
// outlives every scope (kept, or returned from the outermost one). Most tensors of a training step never are,
// which saves a registry cell per op.
//
// The registry holds a small mutable Registration, not the Storage. Its cells live in V8's old generation and
// hold what they were given until a full collection finds them dead, even once unregistered; a cell holding the
// Storage would keep each step's Storage and backend handle alive through every young-generation collection
// until then (about 400 KB per collection during MLP training, which made V8 grow the young generation to its
// maximum). Emptying the Registration on dispose lets the Storage die young; a storage swap just repoints it.
export class Registration {
  constructor(public storage: Storage | undefined) {}
}

const finalizer = new FinalizationRegistry<Registration>((r) => {
  const s = r.storage;
  r.storage = undefined;
  if (s) release(s);
});

function register(owner: Owned, storage: Storage): void {
  const r = new Registration(storage);
  owner.registration = r;
  finalizer.register(owner, r, r);
}

/** Counts a new tensor `owner` viewing `storage` and hands it to the innermost scope, or to the GC outside any. */
export function retain(owner: Owned, storage: Storage): void {
  storage.refs++;
  live.tensors++;
  const top = scopes[scopes.length - 1];
  if (top) top.push(owner);
  else register(owner, storage);
}

/**
 * Moves `owner` from storage `from` to storage `to` in place. Not `retain` + `releaseOwner`: retain would push
 * the owner onto the current scope (a scope would then dispose a long-lived tensor that was merely reassigned).
 * A tensor still in a scope's list is not registered yet; the scope registers its storage of the moment when it
 * lets the tensor go.
 */
export function swapStorage(owner: Owned, from: Storage, to: Storage): void {
  to.refs++;
  live.tensors++;
  release(from);
  if (owner.registration) owner.registration.storage = to;
}

/** Drops `owner`'s reference to `storage` (dispose), releasing the buffer with its last reference. */
export function releaseOwner(owner: Owned, storage: Storage): void {
  const r = owner.registration;
  if (r) {
    finalizer.unregister(r);
    r.storage = undefined;
    owner.registration = undefined;
  }
  release(storage);
}

/** What a scope holds: a tensor, seen through the members the engine needs. */
export interface Owned {
  dispose(): void;
  readonly isDisposed: boolean;
  /** The storage it views now (throws once disposed). */
  readonly storage: Storage;
  /** The GC's hold on it, once it has outlived every scope. */
  registration: Registration | undefined;
}

const scopes: Owned[][] = [];
const kept = new WeakSet<object>();

/** Exempts a tensor created inside `scope` from being disposed when the scope ends. */
export function keep<T extends object>(t: T): T {
  kept.add(t);
  return t;
}

function collectTensors(value: unknown, out: Set<unknown>, depth = 0): void {
  if (value === null || typeof value !== 'object' || depth > 8) return;
  if ('isDisposed' in value && 'dispose' in value) {
    out.add(value);
    return;
  }
  if (Array.isArray(value)) for (const v of value) collectTensors(v, out, depth + 1);
  else if (Object.getPrototypeOf(value) === Object.prototype)
    for (const v of Object.values(value)) collectTensors(v, out, depth + 1);
}

function endScope(list: Owned[], result: unknown): void {
  const returned = new Set<unknown>();
  collectTensors(result, returned);
  const outer = scopes[scopes.length - 1];
  for (const t of list) {
    if (t.isDisposed) continue;
    const isKept = kept.has(t);
    // Returned tensors belong to the enclosing scope from now on; outside every scope, to the GC.
    if (returned.has(t) && outer && !isKept) outer.push(t);
    else if (returned.has(t) || isKept) register(t, t.storage);
    else t.dispose();
  }
}

/**
 * Runs `fn` and disposes every tensor created inside it except those it returns (in an array or plain object) and
 * those passed to `keep`. Works with async functions: the scope ends when the promise settles. Concurrent async
 * scopes share one stack, so tensors created by unrelated code during an `await` belong to the innermost scope.
 */
export function scope<T>(fn: () => T): T {
  const list: Owned[] = [];
  scopes.push(list);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    scopes.splice(scopes.lastIndexOf(list), 1);
    endScope(list, undefined);
    throw e;
  }
  if (result instanceof Promise) {
    return result.then(
      (v: unknown) => {
        scopes.splice(scopes.lastIndexOf(list), 1);
        endScope(list, v);
        return v;
      },
      (e: unknown) => {
        scopes.splice(scopes.lastIndexOf(list), 1);
        endScope(list, undefined);
        throw e;
      },
    ) as T;
  }
  scopes.splice(scopes.lastIndexOf(list), 1);
  endScope(list, result);
  return result;
}
