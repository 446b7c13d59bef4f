import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { Tensor, keep, memory, reshape, scope, tensor, zeros } from './index';

/** A Tensor subclass that exposes the protected storage swap, as autograd's Variable.assign uses it. */
class Assignable extends Tensor {
  assign(value: Tensor): void {
    this.replaceStorage(value.storage);
  }
}
const assignable = (t: Tensor) => new Assignable(t.storage, t.shape, t.dtype);

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
/** Runs the GC until finalizers stop releasing anything (memory() stable over two rounds), at most 10 rounds. */
async function collect(): Promise<void> {
  let last = '';
  for (let i = 0; i < 10; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
    const now = JSON.stringify(memory());
    if (now === last) return;
    last = now;
  }
}

describe('memory()', () => {
  it('counts tensors, buffers and bytes per dtype; views share one buffer', () => {
    const before = memory();
    const a = zeros([2, 3], 'float64');
    const b = zeros([5], 'bool');
    const c = zeros([4], 'int32');
    expect(memory().numTensors - before.numTensors).toBe(3);
    expect(memory().numBuffers - before.numBuffers).toBe(3);
    expect(memory().numBytes - before.numBytes).toBe(6 * 8 + 5 + 4 * 4);
    const view = reshape(a, [3, 2]);
    expect(memory().numTensors - before.numTensors).toBe(4);
    expect(memory().numBuffers - before.numBuffers).toBe(3);
    a.dispose();
    expect(memory().numBuffers - before.numBuffers).toBe(3); // the view still holds the buffer
    view.dispose();
    b.dispose();
    c.dispose();
    expect(memory()).toEqual(before);
  });
});

describe('scope()', () => {
  it('disposes temporaries, keeps what is returned in arrays or objects, and what keep() marks', () => {
    const before = memory().numTensors;
    let inner: Tensor | undefined;
    let kept: Tensor | undefined;
    const out = scope(() => {
      inner = tensor([1, 2]).mul(3);
      kept = keep(tensor([9]));
      return { pair: [inner.add(1), inner.sub(1)], other: 'x' };
    });
    expect(inner!.isDisposed).toBe(true);
    expect(kept!.isDisposed).toBe(false);
    expect(out.pair.map((t) => t.arraySync())).toEqual([
      [4, 7],
      [2, 5],
    ]);
    expect(memory().numTensors - before).toBe(3);
    out.pair.forEach((t) => t.dispose());
    kept!.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('hands returned tensors to the enclosing scope', () => {
    let fromInner: Tensor | undefined;
    const before = memory().numTensors;
    scope(() => {
      fromInner = scope(() => tensor([1]).add(1));
      expect(fromInner.isDisposed).toBe(false);
    });
    expect(fromInner!.isDisposed).toBe(true);
    expect(memory().numTensors).toBe(before);
  });

  it('disposes everything when the function throws', () => {
    const before = memory().numTensors;
    let t: Tensor | undefined;
    expect(() =>
      scope(() => {
        t = tensor([1]);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(t!.isDisposed).toBe(true);
    expect(memory().numTensors).toBe(before);
  });

  it('ends async scopes when the promise settles', async () => {
    const before = memory().numTensors;
    let tmp: Tensor | undefined;
    const result = await scope(async () => {
      tmp = tensor([1, 2]);
      await Promise.resolve();
      return tmp.sum();
    });
    expect(tmp!.isDisposed).toBe(true);
    expect(result.arraySync()).toBe(3);
    result.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('does not adopt a long-lived tensor whose storage is replaced inside it', () => {
    const base = tensor([1, 2]);
    const v = assignable(base);
    base.dispose();
    const before = memory();
    scope(() => {
      v.assign(tensor([5, 6]).mul(2));
    });
    expect(v.isDisposed).toBe(false);
    expect(v.arraySync()).toEqual([10, 12]);
    // The old buffer was released and the temporaries disposed: one tensor, one buffer, same bytes as before.
    expect(memory()).toEqual(before);
  });
});

describe('garbage collection', () => {
  it('releases forgotten tensors, including storage swapped in after creation', async () => {
    await collect();
    const before = memory();
    (() => {
      zeros([1000]);
      const v = assignable(zeros([10]));
      v.assign(zeros([500]));
    })();
    expect(memory().numBytes - before.numBytes).toBe(4 * (1000 + 10 + 500));
    await collect();
    expect(memory()).toEqual(before);
  });

  it('releases forgotten tensors that outlived a scope: kept, returned from the outermost, reassigned inside', async () => {
    await collect();
    const before = memory();
    (() => {
      scope(() => {
        keep(zeros([100]));
        // Created in the scope, reassigned there, then kept: the GC must release the storage it holds at the end.
        const v = keep(assignable(zeros([20])));
        v.assign(zeros([300]));
        return scope(() => [zeros([7]), zeros([1]).add(1)]);
      });
    })();
    // The [20] buffer went with the swap (its other viewer, zeros([20]), was disposed by the scope).
    expect(memory().numBytes - before.numBytes).toBe(4 * (100 + 300 + 7 + 1));
    await collect();
    expect(memory()).toEqual(before);
  });

  it('does not release a tensor twice when a scope disposes what the GC could also see', async () => {
    await collect();
    const before = memory();
    const outer = zeros([3]);
    scope(() => {
      const inner = zeros([5]);
      inner.dispose(); // disposed inside: the scope skips it
      reshape(outer, [1, 3]); // a view of a long-lived buffer, disposed by the scope
    });
    await collect();
    expect(memory().numBytes - before.numBytes).toBe(4 * 3);
    expect(Array.from(outer.dataSync())).toEqual([0, 0, 0]);
    outer.dispose();
    expect(memory()).toEqual(before);
  });

  it('lets go of the storage on dispose: the registry keeps only an emptied holder', () => {
    const inScope = scope(() => {
      const t = zeros([4]);
      expect(t.registration).toBeUndefined(); // the scope holds it; the GC is not involved yet
      return t;
    });
    const r = inScope.registration!;
    expect(r.storage).toBe(inScope.storage);
    const v = assignable(inScope);
    const vr = v.registration!;
    v.assign(zeros([4]));
    expect(vr.storage).toBe(v.storage); // a swap repoints the same registration
    expect(v.registration).toBe(vr);
    inScope.dispose();
    v.dispose();
    expect(r.storage).toBeUndefined();
    expect(vr.storage).toBeUndefined();
    expect(inScope.registration).toBeUndefined();
  });

  it('keeps storage alive while any view uses it', async () => {
    await collect();
    const before = memory();
    const holder: { view?: Tensor } = { view: (() => reshape(zeros([4]), [2, 2]))() };
    await collect();
    expect(memory().numBuffers - before.numBuffers).toBe(1);
    expect(Array.from(holder.view!.dataSync())).toEqual([0, 0, 0, 0]);
    delete holder.view;
    await collect();
    expect(memory()).toEqual(before);
  });
});
