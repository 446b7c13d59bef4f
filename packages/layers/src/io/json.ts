/**
 * JSON.parse for files we did not write. JSON.parse itself defines `__proto__` as a plain own property, but any
 * later spread or Object.assign of such an object would set a prototype; refusing the key up front means no
 * caller has to remember that.
 * @internal
 */
export function parseUntrustedJson(
  text: string,
  fail: (kind: 'forbidden-key' | 'invalid-json', message: string) => Error,
): unknown {
  try {
    return JSON.parse(text, (key, value: unknown) => {
      if (key === '__proto__') throw new ForbiddenKey();
      return value;
    }) as unknown;
  } catch (e) {
    if (e instanceof ForbiddenKey)
      throw fail('forbidden-key', 'the JSON contains a "__proto__" key, which is never valid here');
    throw fail('invalid-json', `invalid JSON (${(e as Error).message})`);
  }
}

class ForbiddenKey extends Error {}

/** @internal A plain object (not null, not an array). */
export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
