import { ModelFormatError, SafetensorsError } from './errors';

/**
 * Runs one stage of rebuilding a model from an untrusted file, so that whatever a layer, loss or optimizer
 * constructor rejects (an unknown class, a negative size, an allocation it cannot make) reaches the caller as
 * the documented ModelFormatError, with the original kept as `cause`.
 * @internal
 */
export function rebuilding<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ModelFormatError || e instanceof SafetensorsError) throw e;
    const error = new ModelFormatError(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    Object.defineProperty(error, 'cause', { value: e });
    throw error;
  }
}
