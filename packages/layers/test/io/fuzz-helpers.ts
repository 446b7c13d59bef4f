import { expect } from 'vitest';

/** Everything a hostile file could try to reach through a prototype: snapshot now, compare later. */
const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype, String.prototype];

/** The own property names and descriptors of the built-in prototypes, as comparable text. */
export function prototypeSnapshot(): string {
  return PROTOTYPES.map((p) =>
    Reflect.ownKeys(p)
      .map((k) => {
        const d = Object.getOwnPropertyDescriptor(p, k)!;
        const v = 'value' in d ? typeof d.value : 'accessor';
        return `${String(k)}:${v}:${String(d.writable)}:${String(d.enumerable)}`;
      })
      .sort()
      .join(','),
  ).join('\n');
}

/** Fails if any built-in prototype gained, lost or changed a property since `before`, or `{}` sees a new key. */
export function expectPrototypesUntouched(before: string): void {
  expect(prototypeSnapshot()).toBe(before);
  const probe = {} as Record<string, unknown>;
  for (const k of ['polluted', 'isAdmin', 'x', 'dtype', 'shape', 'data_offsets', 'className', 'config'])
    expect(probe[k]).toBeUndefined();
}

/** Counts outcomes so a test can show (and assert) that its mutations reached both paths. */
export class Outcomes {
  readonly counts = new Map<string, number>();
  add(what: string): void {
    this.counts.set(what, (this.counts.get(what) ?? 0) + 1);
  }
  get total(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c;
    return n;
  }
  get(what: string): number {
    return this.counts.get(what) ?? 0;
  }
}

/**
 * Runs `f` and classifies the result: 'ok', or the reason/name of an error that is an instance of one of
 * `allowed`. Any other throw (TypeError, RangeError, a bare Error) is rethrown so the property fails with it.
 */
export async function classify(
  f: () => unknown,
  allowed: readonly (abstract new (...args: never[]) => Error)[],
): Promise<string> {
  try {
    await f();
    return 'ok';
  } catch (e) {
    if (allowed.some((C) => e instanceof C)) {
      const reason = (e as { reason?: unknown }).reason;
      if (typeof reason === 'string') return reason;
      // A wrapped failure keeps its origin in the outcome, so a summary shows what the layers themselves threw.
      const cause = (e as { cause?: unknown }).cause;
      const name = (e as Error).constructor.name;
      return cause instanceof Error ? `${name}(${cause.constructor.name})` : name;
    }
    throw e;
  }
}
