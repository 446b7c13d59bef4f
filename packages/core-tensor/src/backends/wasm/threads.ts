/**
 * A persistent pool of worker threads over the kernels' shared WebAssembly.Memory: worker_threads in Node, Web
 * Workers in browsers. Each worker instantiates the same module on the same memory and runs `gemmWith` on its share
 * of a product, or `adamUpdate` on its slice of a weight; jobs and completions pass through an Int32Array on a SharedArrayBuffer (Atomics wait/notify,
 * after a short spin, since waking a sleeping thread costs tens of µs). The calling thread computes a share too.
 */

/** A tuple of `N` numbers. */
type Numbers<N extends number, T extends number[] = []> = T['length'] extends N
  ? T
  : Numbers<N, [...T, number]>;

/** gemmWith's arguments after `work`: m, n, k, a, rsa, csa, b, rsb, csb, c, ldc. */
export type GemmArgs = Numbers<11>;

/** adamUpdate's arguments: w, g, m, v, outW, outM, outV, n (pointers and a count), then α, 1−β₁, 1−β₂, ε. */
export type AdamArgs = Numbers<12>;

/** A share of one kernel call that a helper thread runs. */
export type PoolJob = { kind: 'gemm'; args: GemmArgs } | { kind: 'adam'; args: AdamArgs };

// Control slots per worker: [0] job sequence (−1 = exit), [1] last finished sequence, [2] the sequence of the job
// while nobody has claimed it (whoever swaps it to 0 first runs the job), [3] kind (0 gemm, 1 adam), [4] work
// area (gemm), [5…] arguments: gemm's 11 integers; adam's 8 integers, then its 4 floats read through a Float32Array
// view of the same slots (f32 is what the kernel's parameters are, so nothing is lost).
const SLOTS = 32;
const CLAIM = 2;
const KIND = 3;
const WORK = 4;
const ARGS = 5;
/** How long an idle worker spins for the next job before it sleeps, ms. */
const SPIN_MS = 5;

// The worker's source, run by `new Worker(code, { eval: true })` in Node or from a Blob URL in browsers.
const WORKER_SOURCE = `
const start = ({ module, memory, ctrl, index }) => {
  const inst = new WebAssembly.Instance(module, { env: { memory, abort() { throw new Error('wasm worker: abort'); } } });
  const { gemmWith, adamUpdate } = inst.exports;
  const c = new Int32Array(ctrl, index * ${SLOTS * 4}, ${SLOTS});
  const f = new Float32Array(ctrl, index * ${SLOTS * 4}, ${SLOTS});
  const a = ${ARGS};
  let seq = 0;
  for (;;) {
    // Spin for a while before sleeping: a worker that sleeps between the calls of a training step is woken late
    // (tens to hundreds of µs; longer still on a VM whose idle vCPU the host parks), so the caller steals its share.
    for (let spin = 0, t0 = performance.now(); Atomics.load(c, 0) === seq; spin++) {
      if ((spin & 1023) === 0 && performance.now() - t0 > ${SPIN_MS}) break;
    }
    Atomics.wait(c, 0, seq);
    seq = Atomics.load(c, 0);
    if (seq < 0) return;
    // The caller may have run this job itself while this thread was not scheduled: then skip it.
    if (Atomics.compareExchange(c, ${CLAIM}, seq, 0) !== seq) continue;
    if (c[${KIND}] === 0) {
      gemmWith(c[${WORK}], c[a], c[a + 1], c[a + 2], c[a + 3], c[a + 4], c[a + 5], c[a + 6], c[a + 7], c[a + 8], c[a + 9], c[a + 10]);
    } else {
      adamUpdate(c[a], c[a + 1], c[a + 2], c[a + 3], c[a + 4], c[a + 5], c[a + 6], c[a + 7], f[a + 8], f[a + 9], f[a + 10], f[a + 11]);
    }
    Atomics.store(c, 1, seq);
    Atomics.notify(c, 1);
  }
};
if (typeof require === 'function') require('node:worker_threads').parentPort.once('message', start);
else self.onmessage = (e) => start(e.data);
`;

interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): unknown;
  unref?(): void;
}

interface NodeWorkerThreads {
  Worker: new (code: string, options: { eval: true }) => WorkerLike;
}

function spawn(): WorkerLike | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const wt = proc?.getBuiltinModule?.('node:worker_threads') as NodeWorkerThreads | undefined;
  if (wt) {
    const w = new wt.Worker(WORKER_SOURCE, { eval: true });
    // An idle pool must not keep the process alive.
    w.unref?.();
    return w;
  }
  if (typeof Worker !== 'undefined' && typeof Blob !== 'undefined' && typeof URL !== 'undefined') {
    return new Worker(URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' })));
  }
  return undefined;
}

/** True where threads can work: shared memory and a way to start workers. */
export function threadsSupported(): boolean {
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') return false;
  const g = globalThis as { crossOriginIsolated?: boolean; process?: { getBuiltinModule?: unknown } };
  if (g.process?.getBuiltinModule) return true;
  return g.crossOriginIsolated === true && typeof Worker !== 'undefined';
}

/** The main thread may block in Atomics.wait in Node and in workers, not on a browser's main thread. */
const canBlock = typeof (globalThis as { process?: unknown }).process !== 'undefined';

export class KernelPool {
  private readonly ctrl: Int32Array;
  private readonly floats: Float32Array;
  private readonly workers: WorkerLike[] = [];
  private seq = 0;

  /** `helpers` workers, each with its own packing area `work[i]` (bytes from the kernels' allocator). */
  constructor(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    readonly work: readonly number[],
  ) {
    const sab = new SharedArrayBuffer(work.length * SLOTS * 4);
    this.ctrl = new Int32Array(sab);
    this.floats = new Float32Array(sab);
    for (let i = 0; i < work.length; i++) {
      const w = spawn();
      if (!w) throw new Error('wasm backend: cannot start worker threads here');
      w.postMessage({ module, memory, ctrl: sab, index: i });
      this.workers.push(w);
    }
  }

  /** Number of helper threads (the caller computes one more share). */
  get helpers(): number {
    return this.workers.length;
  }

  /**
   * Runs `jobs[i]` on helper i (at most `helpers` of them) while `own` runs on the calling thread; returns when all
   * are done. A job its helper has not picked up by the time `own` returns is run by the calling thread through
   * `steal` (with the caller's own packing area), so a helper the OS has not scheduled — a loaded machine — delays
   * nothing: at worst the call runs on one thread plus the cost of posting.
   */
  run(jobs: readonly PoolJob[], own: () => void, steal: (job: PoolJob) => void): void {
    const seq = ++this.seq;
    const c = this.ctrl;
    for (let i = 0; i < jobs.length; i++) {
      const base = i * SLOTS;
      const job = jobs[i]!;
      if (job.kind === 'gemm') {
        c[base + KIND] = 0;
        c[base + WORK] = this.work[i]!;
        c.set(job.args, base + ARGS);
      } else {
        c[base + KIND] = 1;
        c.set(job.args.slice(0, 8), base + ARGS);
        this.floats.set(job.args.slice(8), base + ARGS + 8);
      }
      Atomics.store(c, base + CLAIM, seq);
      Atomics.store(c, base, seq);
      Atomics.notify(c, base);
    }
    own();
    for (let i = 0; i < jobs.length; i++) {
      const base = i * SLOTS;
      if (Atomics.compareExchange(c, base + CLAIM, seq, 0) === seq) {
        steal(jobs[i]!);
        continue;
      }
      const done = base + 1;
      for (let spin = 0; Atomics.load(c, done) !== seq; spin++) {
        if (canBlock && spin > 20000) Atomics.wait(c, done, Atomics.load(c, done), 1);
      }
    }
  }

  /** Stops the workers. */
  close(): void {
    for (let i = 0; i < this.workers.length; i++) {
      Atomics.store(this.ctrl, i * SLOTS, -1);
      Atomics.notify(this.ctrl, i * SLOTS);
    }
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
  }
}
